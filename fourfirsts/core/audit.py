"""Writing the security log. Every unmasked view, export, import, login and
account or role change goes through `log`."""

from django.utils import timezone

from fourfirsts.core.models import SecurityEvent

Kind = SecurityEvent.Kind


def client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def log(kind: str, *, user=None, username: str = "", request=None, target: str = "", **detail):
    if user is not None and getattr(user, "is_authenticated", False):
        username = username or user.get_username()
    else:
        user = None
    return SecurityEvent.objects.create(
        at=timezone.now(),
        kind=kind,
        user=user,
        username=username,
        ip=client_ip(request),
        target=target[:255],
        detail=detail,
    )
