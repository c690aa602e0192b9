from fourfirsts.core import menu
from fourfirsts.core.access import scope_of
from fourfirsts.core.models import Notification


def shell(request):
    """What base.html needs on every page: the menu and the unread count."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"shell": {"menu": [], "unread": 0, "warnings": []}}
    scope = scope_of(user)
    return {
        "shell": {
            "menu": menu.menu_for(scope, request.path),
            "unread": Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
            "warnings": getattr(request, "shell_warnings", []),
        }
    }

