"""Report periods, cut at local midnight in Asia/Shanghai: a meeting at 00:30
on 1 January belongs to the new year."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone


def local_midnight(d: date) -> datetime:
    return timezone.make_aware(datetime.combine(d, time.min))


@dataclass(frozen=True)
class Period:
    year: int
    today: date

    @classmethod
    def of(cls, year: int, today: date | None = None) -> "Period":
        return cls(year=year, today=today or timezone.localdate())

    @property
    def first_day(self) -> date:
        return date(self.year, 1, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 12, 31)

    @property
    def start(self) -> datetime:
        """Inclusive start, aware."""
        return local_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        """Exclusive end, aware: local midnight of the next 1 January."""
        return local_midnight(date(self.year + 1, 1, 1))

    @property
    def report_date(self) -> date:
        """31 Dec of the year, or today while the year is running."""
        return min(self.last_day, self.today) if self.today.year == self.year else self.last_day

    @property
    def previous(self) -> "Period":
        return Period(year=self.year - 1, today=self.today)


def add_months(day: date, months: int) -> date:
    """Calendar months, clamped to the month's end (31 Jan + 1 month = 28 or 29 Feb),
    as the party's "within N months" rules count them."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
