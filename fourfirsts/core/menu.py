"""The navigation: 第一议题 · 第一要务 · 第一身份 · 第一责任 plus 组织 and 报表,
and each admin's own page. Apps add entries with `register`; the menu shows
the ones whose roles the user has."""

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
