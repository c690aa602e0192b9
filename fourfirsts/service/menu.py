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

CONTACT_READERS = (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY, Role.MEMBER)

tab(10, _("问题诉求"), "service:appeal_list", APPEAL_READERS)
tab(12, _("承办收件箱"), "service:inbox", INBOX_READERS)
tab(14, _("现场交办"), "service:on_site", ON_SITE_ROLES)
tab(20, _("走访联系"), "service:visit_list", CONTACT_READERS)
tab(22, _("结对联系"), "service:pairing_list", CONTACT_READERS)
tab(24, _("未联系提醒"), "service:pairing_no_contact", CONTACT_READERS)
tab(30, _("惠企政策"), "service:policy_list", Role.DOMAIN)


# The 营商码 poster on association and enterprise pages, for those who hand out
# codes (the pages themselves already check that the record is in scope).
def _may_hand_out_codes(user, record) -> bool:
    return scope_of(user).has(Role.COMMITTEE, Role.SECRETARY)


for _label, _kind in (("registry.association", "association"), ("registry.enterprise", "enterprise")):
    menu.register_record_action(
        _label, 10, _("营商码"),
        lambda record, kind=_kind: reverse("service:business_code_poster", args=[kind, record.pk]),
        _may_hand_out_codes,
    )
