"""Notifications: an in-app inbox per user, plus pluggable senders for e-mail,
SMS and WeChat. The demo's LogSender only logs what it would send."""

import logging

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from fourfirsts.core.models import Notification

logger = logging.getLogger("fourfirsts.notify")


class LogSender:
    """Logs the message instead of sending it (demo and development)."""

    def send(self, *, user, title: str, body: str, link: str) -> None:
        logger.info("would send to %s: %s — %s %s", user.get_username(), title, body, link)


def senders():
    return [import_string(path)() for path in settings.NOTIFY_SENDERS]


def notify(users, *, title: str, body: str = "", link: str = "", at=None) -> list[Notification]:
    """Put a message in each user's inbox and hand it to every sender."""
    at = at or timezone.now()
    rows = Notification.objects.bulk_create(
        [Notification(recipient=u, title=title, body=body, link=link, created_at=at) for u in users]
    )
    for sender in senders():
        for u in users:
            sender.send(user=u, title=title, body=body, link=link)
    return rows


def mark_read(user, ids=None) -> int:
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return qs.update(read_at=timezone.now())
