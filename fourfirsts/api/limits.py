"""Rate limits per token (or per signed-in user) in the shared cache, so
every web process counts the same requests; and a size limit on request
bodies before anything reads them."""

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja.throttling import SimpleRateThrottle

from fourfirsts.api.errors import body


class PerCaller(SimpleRateThrottle):
    """`FOURFIRSTS_API_RATE` requests per token, or per user on the session; "0" switches it off."""

    scope = "api"

    def __init__(self):
        self.rate = None  # read from the settings on each request, so a change applies at once

    def allow_request(self, request) -> bool:
        rate = settings.FOURFIRSTS_API_RATE
        if rate in (None, "", "0"):
            return True
        if rate != self.rate:
            self.rate = rate
            self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        token = getattr(request, "api_token", None)
        if token is not None:
            return f"throttle:api:token:{token.pk}"
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return f"throttle:api:user:{user.pk}"
        return f"throttle:api:ip:{self.get_ident(request)}"


class BodySizeLimit:
    """Refuse an API request whose declared body is over the limit with the
    API's error shape, before the body is read."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            limit = settings.FOURFIRSTS_API_MAX_BODY
            if length > limit:
                return JsonResponse(body("too_large", _("请求内容过大（上限 %(n)s KB）") % {"n": limit // 1024}),
                                    status=413, json_dumps_params={"ensure_ascii": False})
        return self.get_response(request)
