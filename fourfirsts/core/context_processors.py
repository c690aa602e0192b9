from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import menu, workdays
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.models import Notification

EMPTY = {"menu": [], "unread": 0, "warnings": []}


def shell(request):
    """What base.html needs on every page: the menu, the unread count, and
    warnings the user must act on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shell": EMPTY}
    scope = scope_of(user)
    return {
        "shell": {
            "menu": menu.menu_for(scope, request.path),
            "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
            "warnings": calendar_warnings(scope),
        }
    }


def calendar_warnings(scope) -> list[str]:
    """Deadlines fall back to Monday–Friday for a year with no holiday
    schedule: committee staff are told until they enter it (from November on,
    for the coming year too)."""
    if Role.COMMITTEE not in scope.roles:
        return []
    today = timezone.localdate()
    years = [today.year] + ([today.year + 1] if today.month >= 11 else [])
    missing = [y for y in years if workdays.is_fallback(y)]
    return [
        _(
            "%(year)s年节假日安排尚未录入，工作日暂按周一至周五计算。"
            "请在“规则设置 › 节假日安排”中录入国务院公布的安排。"
        ) % {"year": y}
        for y in missing
    ]
