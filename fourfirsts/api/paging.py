"""Cursor pagination for every list, and sync: lists run in (updated_at, id)
order, so a client that keeps the last `updated_at` it saw asks again with
`updated_since` and gets what changed, plus the tombstones of what was
deleted. No page counts the whole table."""

import base64
from datetime import datetime
from typing import Annotated

from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, create_model

from fourfirsts.core.access import scope_of
from fourfirsts.core.models import Tombstone

MAX_LIMIT = 200


def _not_a_number(value):
    """A timestamp is an ISO 8601 text; pydantic would also take a number of seconds."""
    if isinstance(value, int | float) or (isinstance(value, str) and value.replace(".", "", 1).isdigit()):
        raise ValueError(_("应为 ISO 8601 日期时间，例如 2022-12-31T00:00:00+08:00"))
    return value


def _plausible(value: datetime) -> datetime:
    """Years the database can compare on every backend (SQLite and PostgreSQL alike)."""
    if not 1900 <= value.year <= 2100:
        raise ValueError(_("年份应在 1900 至 2100 之间"))
    return value


IsoDatetime = Annotated[datetime, BeforeValidator(_not_a_number), AfterValidator(_plausible)]


class PageIn(Schema):
    # Descriptions are read once, when the schema is built (after the apps are ready).
    cursor: str | None = Field(None, description=_("上一页返回的 next_cursor"))
    limit: int = Field(50, ge=1, le=MAX_LIMIT, description=_("每页条数，1–200"))
    updated_since: IsoDatetime | None = Field(
        None, description=_("只返回此时间（含）之后新建或修改的记录，并附删除记录"))


class Deleted(Schema):
    id: str
    ref: str
    deleted_at: datetime


_pages: dict[type, type] = {}


def page_of(item: type) -> type:
    """The response schema of a list of `item`: items, next_cursor, deleted."""
    if item not in _pages:
        _pages[item] = create_model(
            f"{item.__name__}Page", __base__=Schema,
            items=(list[item], ...), next_cursor=(str | None, None), deleted=(list[Deleted], []),
        )
    return _pages[item]


# A cursor holds two positions, each (time, id) or DONE: the records' (in
# updated_at order) and the tombstones' (in deleted_at order), so the deletions
# since `updated_since` are paged as the records are, however many there are.
DONE = "-"


def _encode(items, deleted) -> str:
    def part(position):
        return DONE if position is None else f"{position[0].isoformat()}|{position[1]}"

    return base64.urlsafe_b64encode(f"{part(items)};{part(deleted)}".encode()).decode().rstrip("=")


def _position(text: str):
    if text == DONE:
        return None
    at, pk = text.rsplit("|", 1)
    at, pk = datetime.fromisoformat(at), int(pk)
    if not (1900 <= at.year <= 2100 and 0 <= pk < 2**63):
        raise ValueError(text)
    return at, pk


def _decode(cursor: str):
    """(records' position, tombstones' position); a position is None when that stream is done."""
    from fourfirsts.api.errors import RequestInvalidCursor

    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        items, deleted = raw.split(";")
        return _position(items), _position(deleted)
    except (ValueError, UnicodeDecodeError):
        raise RequestInvalidCursor(_("cursor 无效，请使用上一页返回的 next_cursor")) from None


def _after(qs, field: str, position):
    at, pk = position
    return qs.filter(Q(**{f"{field}__gt": at}) | Q(**{field: at, "pk__gt": pk}))


def page(queryset, page_in: PageIn, *, deleted_model=None, user=None) -> dict:
    """One page of `queryset` (already filtered by `visible_to`) in sync order,
    and with `updated_since`, one page of the tombstones of what was deleted
    since then; `next_cursor` goes on while either has more.

    A deleted record cannot be checked against the reader's scope any more,
    so its tombstone says only which id went when; its 编号 is given to the
    federation-wide readers (pass `user`) alone."""
    items_at, deleted_at = _decode(page_in.cursor) if page_in.cursor else ((), ())
    rows, more = [], False
    if items_at is not None:
        qs = queryset
        if page_in.updated_since is not None:
            qs = qs.filter(updated_at__gte=page_in.updated_since)
        if items_at:
            qs = _after(qs, "updated_at", items_at)
        rows = list(qs.order_by("updated_at", "pk")[: page_in.limit + 1])
        more = len(rows) > page_in.limit
        rows = rows[: page_in.limit]
    gone, more_gone = [], False
    if page_in.updated_since is not None and deleted_model is not None and deleted_at is not None:
        tombstones = Tombstone.objects.filter(model=deleted_model._meta.label_lower,
                                              deleted_at__gte=page_in.updated_since)
        if deleted_at:
            tombstones = _after(tombstones, "deleted_at", deleted_at)
        gone = list(tombstones.order_by("deleted_at", "pk")[: page_in.limit + 1])
        more_gone = len(gone) > page_in.limit
        gone = gone[: page_in.limit]
    next_cursor = None
    if more or more_gone:
        next_cursor = _encode((rows[-1].updated_at, rows[-1].pk) if more else None,
                              (gone[-1].deleted_at, gone[-1].pk) if more_gone else None)
    show_ref = bool(gone) and user is not None and scope_of(user).sees_all
    deleted = [{"id": t.object_pk, "ref": t.ref if show_ref else "", "deleted_at": t.deleted_at} for t in gone]
    return {"items": rows, "next_cursor": next_cursor, "deleted": deleted}
