"""The to-do panel: what each role must act on now. Each app registers its
sources here (overdue appeals, topics not yet studied, development steps
due…) so the dashboard lists them without reaching into the app's tables.

A source's `collect(user, today)` returns the user's items, already scoped
through `visible_to(user)`, with a fixed number of queries; an item with a
zero count is left out by the panel."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from fourfirsts.core.access import scope_of

LEVELS = ("danger", "warning", "info")


@dataclass(frozen=True)
class Todo:
    label: str
    count: int
    url: str  # the list filtered to exactly these records
    level: str = "warning"  # one of LEVELS: danger = overdue, warning = due soon, info = pending


@dataclass(frozen=True)
class Source:
    id: str
    order: int
    roles: frozenset[str]
    collect: Callable[[object, date], list[Todo]]


_sources: dict[str, Source] = {}


def register(id: str, order: int, roles, collect: Callable[[object, date], list[Todo]]) -> None:
    if id in _sources and _sources[id].collect is not collect:
        raise ValueError(f"to-do source {id} registered twice")
    _sources[id] = Source(id, order, frozenset(roles), collect)


def sources() -> list[Source]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.id))


def todos_for(user, today: date) -> list[Todo]:
    """The user's to-do items, most urgent first; sources for other roles are skipped."""
    scope = scope_of(user)
    items = []
    for source in sources():
        if scope.is_system or scope.roles & source.roles:
            items.extend(t for t in source.collect(user, today) if t.count)
    return sorted(items, key=lambda t: LEVELS.index(t.level))
