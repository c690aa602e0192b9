"""Shared pieces of the benchmark generator (generate.py): the fixed calendar
the data is dated on, explicit ids, weighted draws and working days.

The data never depends on the day it is generated: everything is dated
relative to REFERENCE_DAY, the data's "today" (five years, 2022 to 2026, the
last one running up to REFERENCE_DAY), so two runs on different days write
the same rows.
"""

import bisect
import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models.base import ModelState

from fourfirsts.core import workdays

REFERENCE_DAY = date(2026, 11, 27)
YEARS = tuple(range(2022, 2027))
WINDOW_START = date(YEARS[0], 1, 1)
LAST_FULL_YEAR = YEARS[-2]
SHANGHAI = workdays.SHANGHAI
# No workflow step, meeting or payment after this moment (the afternoon of REFERENCE_DAY).
CUTOFF = datetime.combine(REFERENCE_DAY, time(17, 0), tzinfo=SHANGHAI)


class Rng(random.Random):
    """random.Random with the few draws the generator needs."""

    def day_in(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.randint(0, (last - first).days))

    def chance(self, p: float) -> bool:
        return self.random() < p


class Weighted:
    """A weighted choice drawn with one random() and a bisect (faster than
    random.choices when drawn millions of times)."""

    def __init__(self, weights: dict):
        self.keys = list(weights)
        total, self.cumulative = 0.0, []
        for w in weights.values():
            total += w
            self.cumulative.append(total)
        self.total = total

    def draw(self, rng: random.Random):
        return self.keys[bisect.bisect_right(self.cumulative, rng.random() * self.total)]


def stream(seed: int, name: str) -> Rng:
    """A random stream of its own per stage: a change in one stage cannot
    shift what the next one draws."""
    return Rng(f"{seed}/{name}")


class Ids:
    """Explicit primary keys, 1, 2, 3 … per model: the database is empty, rows
    refer to each other without reading ids back, and the sequences are reset
    once at the end (generate.py)."""

    def __init__(self):
        self._last = defaultdict(int)

    def next(self, model) -> int:
        self._last[model] += 1
        return self._last[model]

    def last(self, model) -> int:
        return self._last[model]


_templates: dict = {}


def row(model, **values):
    """An unsaved instance of `model` with these field values (attnames: FKs
    as `<name>_id`), the others at their defaults, for bulk writing. Model()
    does the same at ten times the cost (signals, descriptors), which at
    province scale is minutes."""
    template = _templates.get(model)
    if template is None:
        template = _templates[model] = _template(model)
    defaults, attnames, factories = template
    unknown = values.keys() - attnames
    if unknown:
        raise TypeError(f"{model.__name__}: unknown fields {sorted(unknown)}")
    obj = object.__new__(model)
    obj._state = ModelState()
    fields = dict(defaults)
    fields.update(values)
    for attname, factory in factories:
        if attname not in values:
            fields[attname] = factory()
    obj.__dict__.update(fields)
    return obj


def _template(model):
    defaults, factories = {}, []
    for f in model._meta.concrete_fields:
        if f.has_default() and callable(f.default):
            factories.append((f.attname, f.default))
        else:
            defaults[f.attname] = f.get_default()
    return defaults, {f.attname for f in model._meta.concrete_fields}, factories


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=SHANGHAI)


class Calendar:
    """core.workdays' arithmetic on a precomputed table of working days (the
    official calendar the chinese-calendar library knows), fast enough for a
    million appeals; tests check it against core.workdays. Days after the
    library's last year are Monday–Friday, as core.workdays counts a year
    without a saved schedule: only steps simulated past CUTOFF, which are
    never written, reach them."""

    def __init__(self, first: date = date(2019, 1, 1)):
        known = date(workdays.LIBRARY_LAST_YEAR, 12, 31)
        last = known + timedelta(days=730)
        self.first = first.toordinal()
        n = last.toordinal() - self.first + 1
        self.work = []  # ordinals of the working days
        self.index = []  # per day: index in `work` of the first working day on or after it
        for k in range(n):
            d = first + timedelta(days=k)
            if workdays.is_workday(d) if d <= known else d.weekday() < 5:
                self.work.append(d.toordinal())
        j = 0
        for k in range(n):
            while j < len(self.work) and self.work[j] < self.first + k:
                j += 1
            self.index.append(j)

    def _i(self, d: date) -> int:
        return self.index[d.toordinal() - self.first]

    def is_workday(self, d: date) -> bool:
        i = self._i(d)
        return i < len(self.work) and self.work[i] == d.toordinal()

    def next_workday(self, d: date) -> date:
        return date.fromordinal(self.work[self._i(d)])

    def add(self, d: date, n: int) -> date:
        """workdays.add_workdays: the Nth working day after d (a non-working d
        counts as the next working day)."""
        return date.fromordinal(self.work[self._i(d) + n])

    def previous(self, d: date) -> date:
        """The last working day before d."""
        return date.fromordinal(self.work[self._i(d) - 1])

    def elapsed(self, start: date, end: date) -> int:
        """workdays.workdays_elapsed(start, end)."""
        i = self._i(start)
        j = self._i(end + timedelta(days=1))  # working days <= end are those before index j
        return max(0, j - 1 - i)

    def due_at(self, assigned: datetime, n: int) -> datetime:
        """workdays.due_at: 23:59:59 of the Nth working day after the (local) day."""
        day = self.add(assigned.astimezone(SHANGHAI).date(), n)
        return datetime.combine(day, workdays.END_OF_DAY, tzinfo=SHANGHAI)

    def between(self, start: date, end: date) -> int:
        """workdays.workdays_between: working days d with start < d <= end."""
        if end <= start:
            return 0
        return self._i(end + timedelta(days=1)) - self._i(start + timedelta(days=1))
