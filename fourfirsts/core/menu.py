"""The navigation: 第一议题 · 第一要务 · 第一身份 · 第一责任 plus 组织 and 报表,
and each admin's own page. Apps add entries with `register`; the menu shows
the ones whose roles the user has."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from fourfirsts.core.access import Role


@dataclass(frozen=True)
class Entry:
    order: int
    label: str
    url_name: str
    roles: frozenset[str]


_entries: list[Entry] = []


def register(order: int, label: str, url_name: str, roles) -> None:
    _entries.append(Entry(order, label, url_name, frozenset(roles)))


def menu_for(scope, path: str = "") -> list[dict]:
    items = []
    for entry in sorted(_entries, key=lambda e: e.order):
        if not scope.roles & entry.roles:
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        items.append({"label": str(entry.label), "url": url, "active": path.startswith(url) and url != "/"})
    return items


ORG_ROLES = (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY)


# --- actions on a record's page -------------------------------------------------------
# A pillar adds a button to a registry record's page (e.g. the 营商码 of an
# enterprise) without the registry importing the pillar.


@dataclass(frozen=True)
class RecordAction:
    order: int
    label: str
    url: Callable[[object], str]
    allowed: Callable[[object, object], bool]  # (user, record) → may the user use it


_record_actions: dict[str, list[RecordAction]] = {}


def register_record_action(model_label: str, order: int, label: str, url, allowed) -> None:
    """`model_label` as in `Enterprise._meta.label_lower`; `url(record)` gives the
    href, `allowed(user, record)` whether to show it (it must not query per row)."""
    _record_actions.setdefault(model_label, []).append(RecordAction(order, label, url, allowed))


def record_actions_for(user, record) -> list[dict]:
    actions = sorted(_record_actions.get(record._meta.label_lower, []), key=lambda a: a.order)
    return [{"label": str(a.label), "url": a.url(record)} for a in actions if a.allowed(user, record)]
