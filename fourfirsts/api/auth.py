"""Who is calling: a personal API token (`Authorization: Bearer …`) or the
site's own session. Either way `request.user` is the account, so every read
goes through `visible_to(request.user)` as on the pages."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from fourfirsts.accounts.models import ApiToken
from fourfirsts.accounts.services import token_digest

TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        now = timezone.now()
        row = (ApiToken.objects.usable(now).select_related("user")
               .filter(digest=token_digest(token)).first())
        if row is None:
            return None
        if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        request.api_token = row
        _password_changed(row.user)
        return row.user


class SessionAuth(APIKeyCookie):
    """The site's own session. CSRF is checked on writes only for a signed-in
    user: a request with no session is simply unauthenticated (401)."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self):
        super().__init__(csrf=False)

    def authenticate(self, request, key):
        if not request.user.is_authenticated:
            return None
        unsafe = request.method not in ("GET", "HEAD", "OPTIONS", "TRACE")
        _password_changed(request.user)
        if unsafe and check_csrf(request) is not None:
            raise HttpError(403, _("CSRF 校验失败：请从本站页面发起请求并携带 CSRF 令牌，或改用 API 令牌"))
        return request.user


def _password_changed(user) -> None:
    """A one-time password must be changed on the site before the API answers."""
    if user.must_change_password:
        raise HttpError(403, _("请先登录网站修改一次性密码，再使用 API"))


AUTH = [TokenAuth(), SessionAuth()]
