"""The service app's menu entry (第一要务) and the tabs of its pages.

Imported by ServiceConfig.ready. The main menu gets one entry; the app's own
pages share one row of tabs (`tabs_for`). Other areas of the app add their
tabs with `tab(order, label, url_name, roles)` here (visits, policies …);
a tab whose URL does not resolve yet is skipped."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.core.access import Role, scope_of

APPEAL_READERS = Role.DOMAIN
INBOX_READERS = (Role.COMMITTEE, Role.HANDLER)
ON_SITE_ROLES = (Role.COMMITTEE, Role.LEADER)


@dataclass(frozen=True)
class Tab:
    order: int
    label: str
    url_name: str
    roles: frozenset[str]


_tabs: list[Tab] = []


def tab(order: int, label, url_name: str, roles) -> None:
    """Add a tab to the service pages (once, at import)."""
    if not any(t.url_name == url_name for t in _tabs):
        _tabs.append(Tab(order, label, url_name, frozenset(roles)))


def tabs_for(request) -> list[dict]:
    scope = scope_of(request.user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    items = []
    for t in sorted(_tabs, key=lambda t: t.order):
        if not scope.has(*t.roles):
            continue
        try:
            url = reverse(t.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": str(t.label), "url": url, "active": t.url_name == current})
    return items


menu.register(20, _("第一要务"), "service:appeal_list", APPEAL_READERS)

# 10–19 appeals; visits, pairings and policies take their own orders (20, 30 …).
tab(10, _("问题诉求"), "service:appeal_list", APPEAL_READERS)
tab(12, _("承办收件箱"), "service:inbox", INBOX_READERS)
tab(14, _("现场交办"), "service:on_site", ON_SITE_ROLES)
