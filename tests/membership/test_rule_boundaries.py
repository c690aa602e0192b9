"""The DEV rules of rules.md §3 on their boundary days: what is accepted on
the last (or first) allowed day, and refused a day past it. test_services.py
has the rules' refused cases; these pin the edges, with explicit dates."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from fourfirsts.membership import services, workflow
from fourfirsts.registry.models import PoliticalStatus
from tests.membership.conftest import DATES, SYSTEM

pytestmark = pytest.mark.django_db


def refused(rule_text, fn, *args, **kwargs):
    with pytest.raises(ValidationError) as err:
        fn(*args, **kwargs)
    assert rule_text in str(err.value), str(err.value)


def develop(pipe, dates, reviews, notices, through):
    """A development with every step up to `through` on the given dates."""
    dev = pipe.apply(applied_on=dates["1.1"])
    for day in reviews:
        services.review_record(actor=SYSTEM, development=dev, reviewed_on=day)
    for s in workflow.STEPS[1:]:
        pipe.record(dev, s.code, done_on=dates[s.code], **notices.get(s.code, {}))
        if s.code == through:
            break
    dev.refresh_from_db()
    return dev


# A branch meeting (4.15) on 29 Feb 2020: a year of probation ends on 28 Feb 2021.
LEAP = {
    "1.1": date(2018, 7, 2), "1.2": date(2018, 7, 20), "2.3": date(2018, 8, 1), "2.4": date(2018, 8, 5),
    "2.5": date(2018, 8, 10), "2.6": date(2019, 1, 15), "3.7": date(2019, 8, 20), "3.8": date(2019, 8, 25),
    "3.9": date(2019, 9, 1), "3.10": date(2019, 9, 15), "3.11": date(2019, 10, 10), "4.12": date(2020, 1, 20),
    "4.13": date(2020, 2, 1), "4.14": date(2020, 2, 10), "4.15": date(2020, 2, 29), "4.16": date(2020, 3, 5),
    "4.17": date(2020, 3, 20), "4.18": date(2020, 3, 25), "5.19": date(2020, 3, 28), "5.20": date(2020, 4, 10),
    "5.21": date(2020, 9, 1), "5.22": date(2021, 1, 20), "5.23": date(2021, 2, 10),
}
LEAP_REVIEWS = (date(2019, 1, 15), date(2019, 7, 15))
LEAP_NOTICES = {
    "3.7": {"notice_from": date(2019, 8, 12), "notice_to": date(2019, 8, 16)},
    "5.23": {"notice_from": date(2021, 2, 1), "notice_to": date(2021, 2, 5)},
}


# --- DEV-7: probation ---------------------------------------------------------------------------------


def test_dev7_full_membership_is_approved_on_the_day_probation_ends_clamped_to_the_month_end(pipe):
    dev = develop(pipe, LEAP, LEAP_REVIEWS, LEAP_NOTICES, through="5.23")
    refused("DEV-7：预备期满（2021-02-28）", pipe.record, dev, "5.24", done_on=date(2021, 2, 27))
    pipe.record(dev, "5.24", done_on=date(2021, 2, 28))
    dev.refresh_from_db()
    assert dev.stage == "full"
    assert PoliticalStatus.objects.get(person=dev.person, status="01").since == date(2021, 2, 28)


def test_dev7_after_an_extension_full_membership_is_approved_on_the_extended_end_day(pipe):
    dev = pipe.upto("4.14")  # pre-review 1 Jun 2021
    pipe.record(dev, "4.15", done_on=date(2021, 6, 30))
    dev = pipe.advance(dev, "5.23")
    services.probation_extend(actor=SYSTEM, development=dev, months=8, reason="需要继续考察")
    dev.refresh_from_db()
    # 30 Jun 2021 + 12 + 8 months = 30 Feb 2023, clamped to 28 Feb.
    refused("DEV-7：预备期满（2023-02-28）", pipe.record, dev, "5.24", done_on=date(2023, 2, 27))
    pipe.record(dev, "5.24", done_on=date(2023, 2, 28))
    assert PoliticalStatus.objects.get(person=dev.person, status="01").since == date(2023, 2, 28)


def test_dev7_probation_may_be_extended_by_12_months_but_not_13(pipe):
    dev = pipe.upto("5.23")  # meeting 25 Jun 2021
    refused("DEV-7：预备期可延长 6 至 12 个月", services.probation_extend, actor=SYSTEM, development=dev,
            months=13, reason="需要继续考察")
    dev.refresh_from_db()
    assert dev.extension_months == 0
    services.probation_extend(actor=SYSTEM, development=dev, months=12, reason="需要继续考察")
    dev.refresh_from_db()
    assert dev.extension_months == 12
    assert services.probation_end(dev, services.records_of(dev)) == date(2023, 6, 25)


# --- DEV-3: reviews and contacts ------------------------------------------------------------------------


@pytest.mark.parametrize(("first_review", "ok"), [(date(2021, 2, 28), True), (date(2021, 3, 1), False)])
def test_dev3_a_review_exactly_six_months_after_the_last_one_is_in_time(pipe, first_review, ok):
    dev = pipe.upto("1.2")
    for code, day in (("2.3", date(2020, 8, 31)), ("2.4", date(2020, 9, 5)), ("2.5", date(2020, 9, 10)),
                      ("2.6", date(2021, 1, 10))):
        pipe.record(dev, code, done_on=day)
    # 31 Aug 2020 + 6 months = 31 Feb 2021, clamped to 28 Feb.
    for day in (first_review, date(2021, 8, 28)):
        services.review_record(actor=SYSTEM, development=dev, reviewed_on=day)
    candidate = {"done_on": date(2021, 8, 31), "notice_from": date(2021, 8, 23), "notice_to": date(2021, 8, 27)}
    if ok:
        assert pipe.record(dev, "3.7", **candidate)
    else:
        refused("DEV-3：入党积极分子每 6 个月至少考察一次，2020-08-31 至 2021-03-01 之间没有考察记录",
                pipe.record, dev, "3.7", **candidate)


def test_dev3_a_single_contact_is_enough(pipe, world):
    dev = pipe.upto("2.4")
    rec = pipe.record(dev, "2.5", people=[world.member_a])
    assert list(rec.people.all()) == [world.member_a]


# --- date order -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "after", "previous"), [
    ("2.3", "1.2", "1.2 党组织派人谈话"),  # activist ≥ talk
    ("4.13", "3.7", "4.12 支部委员会审查"),  # pre-review ≥ candidate
    ("4.15", "4.13", "4.14 填写入党志愿书"),  # branch meeting ≥ pre-review
    ("4.17", "4.15", "4.16 上级党委派人谈话"),  # approval ≥ branch meeting
])
def test_a_step_is_refused_a_day_before_the_step_it_follows_and_accepted_on_the_same_day(pipe, code, after,
                                                                                       previous):
    dev = pipe.upto(after)
    day = DATES[after]
    # The steps between them on the same day: each step is never before the previous one.
    between = workflow.CODES[workflow.CODES.index(after) + 1:workflow.CODES.index(code)]
    for c in between:
        pipe.record(dev, c, done_on=day)
    refused(f"日期不能早于上一步（{previous}，{day.isoformat()}）", pipe.record, dev, code,
            done_on=day - timedelta(days=1))
    assert pipe.record(dev, code, done_on=day).done_on == day
