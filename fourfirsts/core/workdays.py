"""China's official working-day calendar, and the deadlines counted on it.

Rules:

* A working day follows the State Council's schedule, 调休 make-up days included.
  For the years the `chinese_calendar` library knows (its last year is read from
  its data, not hard-coded) the library's calendar applies and cannot be
  overridden. For later years committee staff enter the published schedule as a
  `WorkdaySchedule` row (via `schedule_save`). A year with neither is on the
  *fallback*: Monday–Friday are working days, and callers show a warning
  (`fallback_years`, `fallback_warning`) and store `due_is_fallback` on the record
  so that deadlines are recomputed when the schedule is saved
  (signal `workday_schedule_saved`).
* A due date is the end (23:59:59 Asia/Shanghai) of the Nth working day after the
  day of assignment. An assignment made on a non-working day is treated as made
  on the next working day, and that day is not counted. E.g. assigned Sat
  1 Oct 2022 with 5 working days: treated as Sat 8 Oct (调休), due Thu 13 Oct.
* `workdays_between(start, end)` counts working days d with start < d <= end.

Every year is represented by the frozenset of its *exceptions* to the Monday–Friday
rule (holidays on weekdays, working days on weekends), so a day is a working day
when "is a weekday" XOR "is an exception". Library years are computed once at
import; other years are read from the database at most once per process per
`CACHE_SECONDS` (other processes may save a schedule), and the cache is cleared
when a schedule is saved.
"""

import time
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import chinese_calendar.constants as _cc
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fourfirsts.core.signals import workday_schedule_saved

if TYPE_CHECKING:
    from fourfirsts.core.models import WorkdaySchedule

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = dtime(23, 59, 59)
CACHE_SECONDS = 60
_WEEKDAY_NAMES = (
    gettext_lazy("星期一"),
    gettext_lazy("星期二"),
    gettext_lazy("星期三"),
    gettext_lazy("星期四"),
    gettext_lazy("星期五"),
    gettext_lazy("星期六"),
    gettext_lazy("星期日"),
)


def _weekend(d: date) -> bool:
    return d.weekday() >= 5


def _library_exceptions() -> dict[int, frozenset[date]]:
    """Per year the library knows: its weekday holidays and weekend workdays."""
    years: dict[int, set[date]] = {}
    for d in _cc.holidays:
        years.setdefault(d.year, set())
        if not _weekend(d):
            years[d.year].add(d)
    for d in _cc.workdays:
        years.setdefault(d.year, set())
        if _weekend(d):
            years[d.year].add(d)
    first, last = min(years), max(years)
    return {y: frozenset(years.get(y, ())) for y in range(first, last + 1)}


_LIBRARY = _library_exceptions()
LIBRARY_FIRST_YEAR = min(_LIBRARY)
LIBRARY_LAST_YEAR = max(_LIBRARY)

# year -> (time read, exceptions, is_fallback); only for years outside the library.
_cache: dict[int, tuple[float, frozenset[date], bool]] = {}
_clock = time.monotonic  # replaced in tests


def library_knows(year: int) -> bool:
    return LIBRARY_FIRST_YEAR <= year <= LIBRARY_LAST_YEAR


def clear_cache() -> None:
    _cache.clear()


@receiver(workday_schedule_saved, dispatch_uid="fourfirsts.core.workdays.clear_cache")
def _schedule_saved(sender, year=None, **kwargs):
    # Also covers schedules saved by code paths other than schedule_save.
    clear_cache()


def _year(year: int) -> tuple[frozenset[date], bool]:
    """(exceptions, is_fallback) for a year."""
    known = _LIBRARY.get(year)
    if known is not None:
        return known, False
    entry = _cache.get(year)
    now = _clock()
    if entry is None or now - entry[0] > CACHE_SECONDS:
        entry = (now, *_read_schedule(year))
        _cache[year] = entry
    return entry[1], entry[2]


def _read_schedule(year: int) -> tuple[frozenset[date], bool]:
    # Imported here so the calendar arithmetic of library years needs no app registry.
    from fourfirsts.core.models import WorkdaySchedule

    row = WorkdaySchedule.objects.filter(year=year).values_list("holidays", "workdays").first()
    if row is None:
        return frozenset(), True
    holidays, workdays = (_dates(v) for v in row)
    # Keep only real exceptions of that year, whatever the row holds.
    days = {d for d in holidays if d.year == year and not _weekend(d)}
    days |= {d for d in workdays if d.year == year and _weekend(d)}
    return frozenset(days), False


def _dates(values) -> list[date]:
    out = []
    for v in values or ():
        if isinstance(v, datetime):
            v = v.date()
        elif not isinstance(v, date):
            v = date.fromisoformat(str(v))
        out.append(v)
    return out


# --- queries ----------------------------------------------------------------


def is_workday(d: date) -> bool:
    return (not _weekend(d)) != (d in _year(d.year)[0])


def is_fallback(year: int) -> bool:
    """True when neither the library nor a saved schedule knows the year."""
    return _year(year)[1]


def fallback_years(start: date, end: date) -> list[int]:
    """The years from start to end (inclusive) counted on the Monday–Friday fallback."""
    lo, hi = sorted((start.year, end.year))
    return [y for y in range(lo, hi + 1) if is_fallback(y)]


def fallback_warning(start: date, end: date) -> str:
    """A warning for display, or "" when the whole range is on the official calendar."""
    years = fallback_years(start, end)
    if not years:
        return ""
    names = "、".join(_("%(year)s年") % {"year": y} for y in years)
    return _("%(years)s的法定节假日安排尚未录入，期限暂按周一至周五计算；录入后将自动重新计算。") % {
        "years": names
    }


def next_workday(d: date) -> date:
    """d itself if it is a working day, else the next working day."""
    while not is_workday(d):
        d += timedelta(days=1)
    return d


def add_workdays(d: date, n: int) -> date:
    """The Nth working day after d; a non-working d counts as next_workday(d)."""
    if n < 0:
        raise ValueError("n must not be negative")
    d = next_workday(d)
    for _i in range(n):
        d = next_workday(d + timedelta(days=1))
    return d


def local_date(at: datetime) -> date:
    """The Asia/Shanghai calendar day of an aware datetime."""
    return timezone.localtime(at, SHANGHAI).date()


def due_at(assigned_at: datetime, n: int) -> datetime:
    """23:59:59 Asia/Shanghai of the Nth working day after the day of assigned_at."""
    day = add_workdays(local_date(assigned_at), n)
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


def due_is_fallback(assigned_at: datetime, due: datetime) -> bool:
    """Whether any year from assignment to due date is on the fallback."""
    return bool(fallback_years(local_date(assigned_at), local_date(due)))


def _weekdays_through(d: date) -> int:
    # Monday–Friday count from 0001-01-01 (a Monday) through d.
    o = d.toordinal()
    return o // 7 * 5 + min(o % 7, 5)


def workdays_between(start: date, end: date) -> int:
    """The number of working days d with start < d <= end (0 if end <= start)."""
    if end <= start:
        return 0
    count = _weekdays_through(end) - _weekdays_through(start)
    for year in range(start.year, end.year + 1):
        for d in _year(year)[0]:
            if start < d <= end:
                count += 1 if _weekend(d) else -1
    return count


def workdays_elapsed(start: date, end: date) -> int:
    """Working days after the day of `start` up to and including `end`, counted
    as deadlines count (rules.md §4): a non-working `start` stands for the next
    working day, which is not counted. Inverse of add_workdays."""
    return workdays_between(next_workday(start), end)


# --- service ----------------------------------------------------------------


@transaction.atomic
def schedule_save(
    *, year: int, holidays: list[date], workdays: list[date], actor_label: str
) -> "WorkdaySchedule":
    """Save the State Council's schedule for a year the library does not know.

    holidays: weekdays on which there is no work; workdays: weekend days that are
    调休 working days. Raises ValidationError (keys year / holidays / workdays /
    __all__) naming each wrong date; nothing is written then."""
    from fourfirsts.core.models import WorkdaySchedule

    if library_knows(year):
        raise ValidationError(
            {
                "year": ValidationError(
                    _(
                        "%(year)s年的工作日安排已由日历库按国务院公布的官方日历提供，"
                        "以官方日历为准，不能另行录入。"
                    )
                    % {"year": year},
                    code="library_year",
                )
            }
        )
    if not 1 <= year <= 9999:
        raise ValidationError({"year": ValidationError(_("年份 %(year)s 无效。") % {"year": year}, code="year")})

    try:
        holiday_days = sorted(set(_dates(holidays)))
        work_days = sorted(set(_dates(workdays)))
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            {NON_FIELD_ERRORS: ValidationError(_("日期格式无效：%(error)s") % {"error": exc}, code="invalid_date")}
        ) from exc

    errors: dict[str, list[ValidationError]] = {}

    def err(field, message, code):
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    for d in holiday_days:
        if d.year != year:
            err(
                "holidays",
                _("放假日期 %(date)s 不在 %(year)s 年内。") % {"date": d.isoformat(), "year": year},
                "wrong_year",
            )
        elif _weekend(d):
            err(
                "holidays",
                _(
                    "放假日期 %(date)s 是%(weekday)s，本来就不上班；"
                    "这里只填周一至周五中放假的日期。"
                )
                % {"date": d.isoformat(), "weekday": _WEEKDAY_NAMES[d.weekday()]},
                "holiday_on_weekend",
            )
    for d in work_days:
        if d.year != year:
            err(
                "workdays",
                _("调休上班日期 %(date)s 不在 %(year)s 年内。") % {"date": d.isoformat(), "year": year},
                "wrong_year",
            )
        elif not _weekend(d):
            err(
                "workdays",
                _(
                    "调休上班日期 %(date)s 是%(weekday)s，本来就要上班；"
                    "这里只填周六、周日中上班的日期。"
                )
                % {"date": d.isoformat(), "weekday": _WEEKDAY_NAMES[d.weekday()]},
                "workday_on_weekday",
            )
    for d in sorted(set(holiday_days) & set(work_days)):
        err(
            NON_FIELD_ERRORS,
            _("%(date)s 同时出现在放假日期和调休上班日期中。") % {"date": d.isoformat()},
            "in_both",
        )
    if errors:
        raise ValidationError(errors)

    schedule, _created = WorkdaySchedule.objects.update_or_create(
        year=year,
        defaults={
            "holidays": [d.isoformat() for d in holiday_days],
            "workdays": [d.isoformat() for d in work_days],
            "entered_by": actor_label,
        },
    )
    # Cleared now for this transaction's own reads, and again (by the receiver)
    # after commit, in case another thread re-read the old row meanwhile.
    clear_cache()
    transaction.on_commit(lambda: workday_schedule_saved.send(sender=WorkdaySchedule, year=year))
    return schedule
