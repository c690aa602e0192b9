"""China's working-day calendar: library years, entered schedules, the fallback."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from fourfirsts.core import workdays
from fourfirsts.core.signals import workday_schedule_saved
from fourfirsts.core.workdays import (
    SHANGHAI,
    add_workdays,
    due_at,
    due_is_fallback,
    fallback_years,
    is_fallback,
    is_workday,
    next_workday,
    schedule_save,
    workdays_between,
)

# A plausible 2027 schedule: National Day Fri 1 Oct + Mon 4–Thu 7 Oct off,
# Sun 26 Sep and Sat 9 Oct worked.
HOLIDAYS_2027 = [date(2027, 10, 1), *(date(2027, 10, d) for d in range(4, 8))]
WORKDAYS_2027 = [date(2027, 9, 26), date(2027, 10, 9)]


@pytest.fixture(autouse=True)
def _fresh_cache():
    workdays.clear_cache()
    yield
    workdays.clear_cache()


def sh(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def save_2027(**overrides):
    kwargs = {
        "year": 2027,
        "holidays": HOLIDAYS_2027,
        "workdays": WORKDAYS_2027,
        "actor_label": "组织委员",
    }
    kwargs.update(overrides)
    return schedule_save(**kwargs)


def messages(exc_info) -> dict[str, list[str]]:
    return exc_info.value.message_dict


# --- library years (no database) ----------------------------------------------


def test_library_last_year_is_read_from_the_library():
    import chinese_calendar.constants

    assert workdays.LIBRARY_LAST_YEAR == max(d.year for d in chinese_calendar.constants.holidays)
    assert workdays.LIBRARY_LAST_YEAR >= 2026
    assert not is_fallback(2026)


def test_national_day_2022_assignment_on_saturday_counts_from_tiaoxiu_day():
    assert not is_workday(date(2022, 10, 1))
    assert not is_workday(date(2022, 10, 7))
    assert is_workday(date(2022, 10, 8))  # Saturday, 调休
    assert is_workday(date(2022, 10, 9))  # Sunday, 调休
    assert next_workday(date(2022, 10, 1)) == date(2022, 10, 8)
    assert add_workdays(date(2022, 10, 1), 5) == date(2022, 10, 13)
    assert due_at(sh(2022, 10, 1, 9, 0), 5) == sh(2022, 10, 13, 23, 59, 59)


def test_national_day_2022_assignment_before_the_holiday():
    assert add_workdays(date(2022, 9, 26), 5) == date(2022, 10, 8)
    due = due_at(sh(2022, 9, 26, 10, 0), 5)
    assert due == sh(2022, 10, 8, 23, 59, 59)
    assert due.tzinfo == SHANGHAI
    assert not due_is_fallback(sh(2022, 9, 26, 10, 0), due)


def test_assignment_time_is_read_in_shanghai():
    # 16:30 UTC on Fri 30 Sep is 00:30 on Sat 1 Oct in Shanghai.
    assigned = datetime(2022, 9, 30, 16, 30, tzinfo=UTC)
    assert due_at(assigned, 5) == sh(2022, 10, 13, 23, 59, 59)
    # 15:59 UTC is still Fri 30 Sep (a working day, not counted).
    assert due_at(datetime(2022, 9, 30, 15, 59, tzinfo=UTC), 5) == sh(2022, 10, 12, 23, 59, 59)


def test_naive_assignment_is_refused():
    with pytest.raises(ValueError):
        due_at(datetime(2022, 10, 1, 9, 0), 5)


def test_spring_festival_2023():
    for d in range(21, 28):  # Sat 21 – Fri 27 Jan off
        assert not is_workday(date(2023, 1, d)), d
    assert is_workday(date(2023, 1, 28))  # Saturday, 调休
    assert is_workday(date(2023, 1, 29))  # Sunday, 调休
    assert add_workdays(date(2023, 1, 20), 1) == date(2023, 1, 28)
    # Assigned on the holiday: treated as Sat 28 Jan, not counted.
    assert add_workdays(date(2023, 1, 23), 3) == date(2023, 1, 31)
    assert workdays_between(date(2023, 1, 20), date(2023, 1, 31)) == 4


def test_known_tiaoxiu_sundays_2025_2026_are_workdays():
    assert date(2025, 1, 26).weekday() == 6
    assert is_workday(date(2025, 1, 26))
    assert is_workday(date(2025, 9, 28))
    assert date(2026, 1, 4).weekday() == 6
    assert is_workday(date(2026, 1, 4))
    assert not is_workday(date(2025, 1, 25))  # the Saturday before stays a rest day
    assert not is_fallback(2025)


def test_add_workdays_zero_and_negative():
    assert add_workdays(date(2022, 10, 1), 0) == date(2022, 10, 8)
    assert add_workdays(date(2022, 9, 30), 0) == date(2022, 9, 30)
    with pytest.raises(ValueError):
        add_workdays(date(2022, 9, 30), -1)


def test_workdays_between():
    assert workdays_between(date(2022, 9, 26), date(2022, 10, 8)) == 5
    assert workdays_between(date(2022, 10, 1), date(2022, 10, 13)) == 6
    assert workdays_between(date(2022, 9, 30), date(2022, 10, 7)) == 0
    assert workdays_between(date(2022, 10, 8), date(2022, 10, 8)) == 0
    assert workdays_between(date(2022, 10, 9), date(2022, 10, 8)) == 0
    # Matches counting day by day across a year boundary.
    start, end = date(2022, 12, 1), date(2023, 2, 15)
    brute = sum(
        is_workday(date.fromordinal(o)) for o in range(start.toordinal() + 1, end.toordinal() + 1)
    )
    assert workdays_between(start, end) == brute


# --- years the library does not know ---------------------------------------------


@pytest.mark.django_db
def test_year_without_schedule_falls_back_to_monday_to_friday():
    assert is_fallback(2027)
    assert is_workday(date(2027, 10, 1))  # a Friday
    assert not is_workday(date(2027, 9, 26))  # a Sunday
    assert add_workdays(date(2027, 9, 30), 5) == date(2027, 10, 7)
    assert fallback_years(date(2026, 12, 1), date(2027, 1, 10)) == [2027]
    assert fallback_years(date(2026, 1, 1), date(2026, 12, 31)) == []
    assigned = sh(2026, 12, 30, 10, 0)
    due = due_at(assigned, 5)
    assert due_is_fallback(assigned, due)
    assert "2027年" in workdays.fallback_warning(assigned.date(), due.date())


@pytest.mark.django_db
def test_saved_schedule_changes_workdays_and_due_dates(django_capture_on_commit_callbacks):
    assert add_workdays(date(2027, 9, 30), 5) == date(2027, 10, 7)
    with django_capture_on_commit_callbacks(execute=True):
        schedule = save_2027()
    assert schedule.year == 2027
    assert schedule.entered_by == "组织委员"
    assert schedule.holidays == [d.isoformat() for d in HOLIDAYS_2027]
    assert not is_fallback(2027)
    assert not is_workday(date(2027, 10, 1))
    assert is_workday(date(2027, 9, 26))
    assert is_workday(date(2027, 10, 9))
    # Thu 30 Sep → 1–7 Oct off → Fri 8, Sat 9 (调休), Mon 11, Tue 12, Wed 13.
    assert add_workdays(date(2027, 9, 30), 5) == date(2027, 10, 13)
    assigned = sh(2027, 9, 30, 10, 0)
    due = due_at(assigned, 5)
    assert due == sh(2027, 10, 13, 23, 59, 59)
    assert not due_is_fallback(assigned, due)
    # Sun 26 Sep, Mon 27–Thu 30 Sep, Fri 8 and Sat 9 Oct.
    assert workdays_between(date(2027, 9, 24), date(2027, 10, 10)) == 7


@pytest.mark.django_db
def test_saving_again_replaces_the_schedule(django_capture_on_commit_callbacks):
    from fourfirsts.core.models import WorkdaySchedule

    with django_capture_on_commit_callbacks(execute=True):
        save_2027()
    assert not is_workday(date(2027, 10, 1))
    with django_capture_on_commit_callbacks(execute=True):
        save_2027(holidays=[date(2027, 10, 4)], workdays=[], actor_label="另一人")
    assert WorkdaySchedule.objects.count() == 1
    assert is_workday(date(2027, 10, 1))
    assert not is_workday(date(2027, 10, 4))
    assert not is_workday(date(2027, 9, 26))
    assert WorkdaySchedule.objects.get().entered_by == "另一人"


@pytest.mark.django_db
def test_signal_fires_once_after_commit(django_capture_on_commit_callbacks):
    calls = []

    def listener(sender, year, **kwargs):
        calls.append((sender, year))

    from fourfirsts.core.models import WorkdaySchedule

    workday_schedule_saved.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            save_2027()
            assert calls == []  # not before commit
        assert len(callbacks) == 1
        assert calls == [(WorkdaySchedule, 2027)]
    finally:
        workday_schedule_saved.disconnect(listener)


@pytest.mark.django_db
def test_database_read_at_most_once_per_year(django_assert_num_queries):
    with django_assert_num_queries(1):
        for d in range(1, 31):
            is_workday(date(2027, 9, d))
        is_fallback(2027)
    with django_assert_num_queries(0):
        is_workday(date(2026, 5, 1))  # library year


@pytest.mark.django_db
def test_cache_is_reread_after_a_minute(monkeypatch, django_assert_num_queries):
    from fourfirsts.core.models import WorkdaySchedule

    now = [1000.0]
    monkeypatch.setattr(workdays, "_clock", lambda: now[0])
    assert is_workday(date(2027, 10, 1))
    # Another process saves the schedule: this one does not know yet.
    WorkdaySchedule.objects.create(year=2027, holidays=["2027-10-01"], workdays=[])
    now[0] += workdays.CACHE_SECONDS - 1
    with django_assert_num_queries(0):
        assert is_workday(date(2027, 10, 1))
    now[0] += 2
    with django_assert_num_queries(1):
        assert not is_workday(date(2027, 10, 1))


@pytest.mark.django_db
def test_signal_from_another_code_path_clears_the_cache():
    from fourfirsts.core.models import WorkdaySchedule

    assert is_fallback(2027)
    WorkdaySchedule.objects.create(year=2027, holidays=["2027-10-01"], workdays=[])
    assert is_fallback(2027)  # cached
    workday_schedule_saved.send(sender=WorkdaySchedule, year=2027)
    assert not is_fallback(2027)


# --- validation ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "fragments"),
    [
        ({"holidays": [date(2026, 12, 31)]}, "holidays", ["2026-12-31", "不在 2027 年"]),
        ({"workdays": [date(2028, 1, 2)]}, "workdays", ["2028-01-02", "不在 2027 年"]),
        ({"holidays": [date(2027, 10, 2)]}, "holidays", ["2027-10-02", "星期六"]),
        ({"workdays": [date(2027, 10, 8)]}, "workdays", ["2027-10-08", "星期五"]),
        (
            {"holidays": [date(2027, 10, 1)], "workdays": [date(2027, 10, 1)]},
            NON_FIELD_ERRORS,
            ["2027-10-01", "同时出现"],
        ),
        ({"year": 2026}, "year", ["2026", "官方日历"]),
    ],
)
def test_bad_input_is_refused_naming_the_date(overrides, field, fragments):
    from fourfirsts.core.models import WorkdaySchedule

    with pytest.raises(ValidationError) as exc_info:
        save_2027(**overrides)
    found = messages(exc_info)
    assert field in found, found
    assert any(all(f in m for f in fragments) for m in found[field]), found
    assert not WorkdaySchedule.objects.exists()


@pytest.mark.django_db
def test_bad_input_leaves_an_existing_schedule_and_sends_nothing(
    django_capture_on_commit_callbacks,
):
    from fourfirsts.core.models import WorkdaySchedule

    with django_capture_on_commit_callbacks(execute=True):
        save_2027()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError):
            save_2027(holidays=[date(2027, 10, 3)])  # a Sunday
    assert callbacks == []
    assert WorkdaySchedule.objects.get().holidays == [d.isoformat() for d in HOLIDAYS_2027]
    assert not is_workday(date(2027, 10, 1))


def test_workdays_elapsed_counts_as_deadlines_count():
    from fourfirsts.core.workdays import add_workdays, workdays_elapsed

    # Assigned Sat 1 Oct 2022 (国庆): it stands for Sat 8 Oct (调休), not counted.
    assert workdays_elapsed(date(2022, 10, 1), date(2022, 10, 8)) == 0
    assert workdays_elapsed(date(2022, 10, 1), date(2022, 10, 13)) == 5
    assert add_workdays(date(2022, 10, 1), 5) == date(2022, 10, 13)
    # An ordinary Monday: Tuesday is the first counted day.
    assert workdays_elapsed(date(2022, 10, 17), date(2022, 10, 18)) == 1
