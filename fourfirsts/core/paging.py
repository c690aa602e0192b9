"""Keyset paging for the long lists.

`?after=<key>|<id>` names the last row of the page before. There is no COUNT
and no OFFSET, so a page deep in a province's million appeals costs what the
first one does. One row more than a page is fetched to learn whether a next
page exists.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list
    after: str  # the ?after= of the next page, "" on the last one
    paged: bool  # not the first page


def _key(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def keyset(request, qs, field: str, *, descending=True, parse=date.fromisoformat, size=PAGE_SIZE) -> Page:
    """`size` rows of qs ordered by (field, id) after the request's ?after=.

    `parse` turns the key back into a value of the field (date.fromisoformat,
    datetime.fromisoformat, or str); a key it refuses shows the first page."""
    key, __, pk = request.GET.get("after", "").rpartition("|")
    value = None
    if pk.isdigit():
        try:
            value = parse(key)
        except ValueError:
            value = None
    if value is not None:
        op = "lt" if descending else "gt"
        qs = qs.filter(Q(**{f"{field}__{op}": value}) | Q(**{field: value, f"id__{op}": int(pk)}))
    order = (f"-{field}", "-id") if descending else (field, "id")
    rows = list(qs.order_by(*order)[: size + 1])
    last = rows[size - 1] if len(rows) > size else None
    return Page(rows[:size], f"{_key(getattr(last, field))}|{last.pk}" if last else "", value is not None)
