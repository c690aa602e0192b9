"""F15 (entrepreneurs' applications, this year and last, sentence by trend) and
F33 (people at each development stage on the report date)."""

from datetime import date

import pytest

from fourfirsts.core import figures
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def _apply(pipe, name, day, entrepreneur=True, org=None):
    p = make_person(name, birth_date=date(1980, 1, 1), is_entrepreneur=entrepreneur)
    return pipe.apply(person=p, applied_on=day, org=org)


def test_f15_counts_entrepreneurs_applications_by_year_and_says_the_trend(pipe):
    f15 = figures.get("F15")
    _apply(pipe, "甲", date(2021, 12, 31))
    _apply(pipe, "乙", date(2022, 1, 1))
    _apply(pipe, "丙", date(2022, 12, 31))
    _apply(pipe, "丁", date(2022, 6, 1), entrepreneur=False)
    result = f15.evaluate(None, 2022, today=date(2023, 4, 1))
    assert (result.value, result.previous, result.trend) == (2, 1, "增加")
    assert f15.display(result) == "向各商协党组织递交入党申请书的民营经济人士变得越来越多"
    data = f15.as_json(result)
    assert (data["value"], data["previous"], data["trend"]) == (2, 1, "增加")
    assert [d.person.name for d in f15.records(None, 2022, today=date(2023, 4, 1))] == ["乙", "丙"]
    assert f15.evaluate(None, 2021, today=date(2023, 4, 1)).previous == 0
    fewer = f15.evaluate(None, 2023, today=date(2023, 4, 1))
    assert (fewer.value, fewer.previous, fewer.trend) == (0, 2, "减少")
    assert f15.display(fewer) == "向各商协党组织递交入党申请书的民营经济人士人数较上年有所减少"


def test_f15_flag_is_taken_at_application(pipe):
    dev = _apply(pipe, "甲", date(2022, 3, 1), entrepreneur=False)
    dev.person.is_entrepreneur = True
    dev.person.save()
    assert figures.get("F15").evaluate(None, 2022, today=date(2023, 1, 1)).value == 0


def test_f15_equal_years_are_flat_and_a_secretary_counts_their_org(pipe, cast, world):
    _apply(pipe, "甲", date(2021, 3, 1))
    _apply(pipe, "乙", date(2022, 3, 1), org=world.org_b)
    f15 = figures.get("F15")
    result = f15.evaluate(None, 2022, today=date(2023, 1, 1))
    assert f15.display(result) == "向各商协党组织递交入党申请书的民营经济人士人数与上年持平"
    mine = f15.evaluate(cast.secretary_b, 2022, today=date(2023, 1, 1))
    assert (mine.value, mine.previous) == (1, 0)


def test_f33_people_per_stage_on_the_report_date(pipe):
    pipe.upto("5.24")  # full on 1 Jul 2022 (probationary from the 25 Jun 2021 meeting)
    _apply(pipe, "乙", date(2022, 3, 1))
    f33 = figures.get("F33")
    r2021 = f33.evaluate(None, 2021, today=date(2023, 1, 1))
    assert r2021.value == 1 and r2021.parts["预备党员"] == 1 and r2021.parts["入党申请人"] == 0
    r2022 = f33.evaluate(None, 2022, today=date(2023, 1, 1))
    assert r2022.value == 1 and r2022.parts == {"入党申请人": 1, "入党积极分子": 0, "发展对象": 0, "预备党员": 0}
    # In the running year the report date is today.
    mid = f33.evaluate(None, 2022, today=date(2022, 6, 30))
    assert mid.parts["预备党员"] == 1 and mid.parts["入党申请人"] == 1
    assert [d.person.name for d in f33.records(None, 2022, today=date(2022, 6, 30))] == ["陈申请", "乙"]


def test_f33_counts_a_development_at_3_7_as_a_candidate(pipe):
    pipe.upto("3.11")  # 发展对象 from 15 Mar 2021 (3.7), still one at the end of the year
    f33 = figures.get("F33")
    year_end = f33.evaluate(None, 2021, today=date(2023, 1, 1))
    assert year_end.value == 1
    assert year_end.parts == {"入党申请人": 0, "入党积极分子": 0, "发展对象": 1, "预备党员": 0}
    # The day before 3.7 the person was still an activist; on its day, a candidate.
    assert f33.evaluate(None, 2021, today=date(2021, 3, 14)).parts["入党积极分子"] == 1
    on_the_day = f33.evaluate(None, 2021, today=date(2021, 3, 15))
    assert on_the_day.parts["发展对象"] == 1 and on_the_day.parts["入党积极分子"] == 0
    assert [d.person.name for d in f33.records(None, 2021, today=date(2023, 1, 1))] == ["陈申请"]
