"""Writing the security log. Every unmasked view, export, import, login and
account or role change goes through `log`."""

import ipaddress

from django.conf import settings
from django.utils import timezone

from fourfirsts.core.models import SecurityEvent

Kind = SecurityEvent.Kind


def client_ip(request) -> str | None:
    """The client's address for the log. Behind N trusted reverse proxies
    (FOURFIRSTS_PROXY_COUNT) it is the Nth address from the right of
    X-Forwarded-For — the one our own outermost proxy saw; anything further
    left was written by the client and is not trusted."""
    if request is None:
        return None
    proxies = settings.FOURFIRSTS_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        candidate = forwarded[-proxies]
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            pass
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
