"""What every area's endpoints share: the record fields every item carries,
and looking one record up in the caller's scope."""

import re
from datetime import date, datetime
from typing import Annotated

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from fourfirsts.api import errors


class RecordOut(Schema):
    """Every item has its id and timestamps, so a client can sync."""

    id: int
    created_at: datetime
    updated_at: datetime


def visible_or_404(user, queryset, pk, what: str):
    """The record with `pk` in `queryset.visible_to(user)`, or 404 — never a
    403 that tells someone outside the scope it exists."""
    row = queryset.visible_to(user).filter(pk=pk).first()
    if row is None:
        raise Http404(_("%(what)s不存在或不在您的范围内") % {"what": what})
    return row


# --- request types every area uses -------------------------------------------------------

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value):
    """YYYY-MM-DD only: pydantic would also read a number as a timestamp."""
    if isinstance(value, date) or (isinstance(value, str) and ISO_DAY.fullmatch(value)):
        return value
    raise PydanticCustomError("date_parsing", str(errors.PYDANTIC_WORDS["date_parsing"]))


IsoDate = Annotated[date, BeforeValidator(_iso_day)]
MAX_ID = 2**63 - 1  # beyond it the database cannot compare: a 400, not a 500
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Quantity = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]  # what an integer column holds; the rules judge the sign
