"""Due dates on China's working-day calendar (APL-1), extensions, and the
recompute when a later year's schedule is saved."""

from datetime import date, datetime

import pytest

from fourfirsts.core import rules, workdays
from fourfirsts.core.actors import Actor
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals as services
from tests.service.conftest import at, do


def end_of(y, m, d):
    return datetime(y, m, d, 23, 59, 59, tzinfo=SHANGHAI)


def test_national_day_2022(new_appeal, advance):
    """Assigned Sat 1 Oct 2022: treated as Sat 8 Oct (调休), 5 working days → Thu 13 Oct."""
    appeal = advance(new_appeal(), "assigned", at(2022, 10, 1))
    appeal.refresh_from_db()
    assert (appeal.assigned_at, appeal.limit_days) == (at(2022, 10, 1), 5)
    assert appeal.due_at == end_of(2022, 10, 13)
    assert appeal.due_on_fallback is False


def test_an_assignment_on_a_sunday_counts_from_monday(new_appeal, advance):
    """Assigned Sun 16 Oct 2022: treated as Mon 17 Oct, not counted; 5 working days → Mon 24 Oct."""
    appeal = advance(new_appeal(), "assigned", at(2022, 10, 16, 20))
    appeal.refresh_from_db()
    assert appeal.due_at == end_of(2022, 10, 24)


def test_the_tiao_xiu_saturday_is_a_working_day(new_appeal, advance):
    """Assigned Fri 30 Sep 2022: 1–7 Oct are holidays and Sat 8, Sun 9 Oct 调休 working days,
    so the 5 working days are 8, 9, 10, 11 and 12 Oct."""
    appeal = advance(new_appeal(), "assigned", at(2022, 9, 30, 16))
    appeal.refresh_from_db()
    assert appeal.due_at == end_of(2022, 10, 12)


def test_the_limit_is_the_categorys_setting_on_the_day_of_assignment(new_appeal, advance):
    rules.setting_change(key="service.limit.tax", raw="3", effective_from=date(2022, 10, 1),
                         actor=Actor.system("测试"))
    appeal = advance(new_appeal(category=Appeal.Category.TAX), "assigned", at(2022, 10, 17))
    assert (appeal.limit_days, appeal.due_at) == (3, end_of(2022, 10, 20))
    early = advance(new_appeal(category=Appeal.Category.TAX), "assigned", at(2022, 9, 26))
    assert early.limit_days == 5


def test_an_approved_extension_moves_the_due_date(cast, world, new_appeal, advance):
    appeal = advance(new_appeal(), "extension_requested", at(2022, 10, 17))
    assert appeal.due_at == end_of(2022, 10, 24)
    do("approve_extension", appeal, Actor.of(cast.committee), world)
    appeal.refresh_from_db()
    assert (appeal.state, appeal.extension_count, appeal.extension_days) == ("handling", 1, 2)
    assert appeal.due_at == end_of(2022, 10, 26)


def test_a_refused_extension_keeps_the_due_date(cast, world, new_appeal, advance):
    appeal = advance(new_appeal(), "extension_requested", at(2022, 10, 17))
    do("refuse_extension", appeal, Actor.of(cast.committee), world)
    appeal.refresh_from_db()
    assert (appeal.state, appeal.extension_count, appeal.due_at) == ("handling", 0, end_of(2022, 10, 24))


SCHEDULE_2027 = {
    # Explicit test dates (not the real 2027 schedule): a weekday holiday week
    # from Mon 8 Feb and a make-up working Saturday on 20 Feb.
    "holidays": [date(2027, 2, 8), date(2027, 2, 9), date(2027, 2, 10), date(2027, 2, 11), date(2027, 2, 12)],
    "workdays": [date(2027, 2, 20)],
}


@pytest.fixture
def library_until_2026(monkeypatch):
    """The calendar library as it is pinned (it knows years up to 2026), even
    after an upgrade teaches it 2027, so these tests keep a fallback year."""
    monkeypatch.setattr(workdays, "LIBRARY_LAST_YEAR", min(workdays.LIBRARY_LAST_YEAR, 2026))
    monkeypatch.setattr(workdays, "_LIBRARY", {y: v for y, v in workdays._LIBRARY.items() if y <= 2026})
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.mark.usefixtures("library_until_2026")
def test_saving_the_2027_schedule_recomputes_exactly_the_fallback_due_dates(
    cast, world, new_appeal, advance, django_capture_on_commit_callbacks
):
    plain = advance(new_appeal(title="plain"), "assigned", at(2027, 2, 8))
    extended = advance(new_appeal(title="extended"), "extension_requested", at(2027, 2, 8))
    do("approve_extension", extended, Actor.of(cast.committee), world)
    later = advance(new_appeal(title="2028"), "assigned", at(2028, 1, 3))
    known = advance(new_appeal(title="2026"), "assigned", at(2026, 6, 1))
    closed = advance(new_appeal(title="closed"), "assigned", at(2027, 2, 8))
    Appeal.objects.filter(pk=closed.pk).update(state=Appeal.State.CLOSED)

    # On the Monday–Friday fallback.
    assert (plain.due_at, plain.due_on_fallback) == (end_of(2027, 2, 15), True)
    assert (extended.due_at, extended.extension_days) == (end_of(2027, 2, 17), 2)
    assert (later.due_at, later.due_on_fallback) == (end_of(2028, 1, 10), True)
    assert (known.due_at, known.due_on_fallback) == (end_of(2026, 6, 8), False)

    with django_capture_on_commit_callbacks(execute=True):
        workdays.schedule_save(year=2027, actor_label="测试", **SCHEDULE_2027)

    for a in (plain, extended, later, known, closed):
        a.refresh_from_db()
    # Assigned on a holiday: treated as Mon 15 Feb, then 16–19 and Sat 20 Feb.
    assert (plain.due_at, plain.due_on_fallback) == (end_of(2027, 2, 20), False)
    # The approved 2 extra working days survive: 5 + 2 → Tue 23 Feb.
    assert (extended.due_at, extended.extension_days, extended.extension_count) == (end_of(2027, 2, 23), 2, 1)
    assert (later.due_at, later.due_on_fallback) == (end_of(2028, 1, 10), True)
    assert known.due_at == end_of(2026, 6, 8)
    assert (closed.due_at, closed.due_on_fallback) == (end_of(2027, 2, 15), True)


@pytest.mark.usefixtures("library_until_2026")
def test_recompute_service_counts_changes(new_appeal, advance):
    advance(new_appeal(), "assigned", at(2027, 2, 8))
    assert services.appeals_recompute_due(year=2027) == 0  # nothing saved yet: same dates
