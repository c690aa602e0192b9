"""registry.services.political_status_from_pipeline: the pipeline's 政治面貌 rows."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fourfirsts.core.actors import Actor
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import PoliticalStatus
from tests.conftest import make_person

SYSTEM = Actor.system("测试")
pytestmark = pytest.mark.django_db


def test_closes_the_open_status_the_day_before(world):
    p = make_person("何群众", birth_date=date(1990, 1, 1))
    reg.political_status_set(actor=SYSTEM, person=p, status="13", since=date(2010, 1, 1))
    reg.political_status_from_pipeline(actor=SYSTEM, person=p, status="02", since=date(2021, 6, 25))
    again = reg.political_status_from_pipeline(actor=SYSTEM, person=p, status="02", since=date(2021, 6, 25))
    reg.political_status_from_pipeline(actor=SYSTEM, person=p, status="01", since=date(2022, 6, 25))
    rows = list(p.political_statuses.values_list("status", "since", "until", "source"))
    assert rows == [("13", date(2010, 1, 1), date(2021, 6, 24), "form"),
                    ("02", date(2021, 6, 25), date(2022, 6, 24), "pipeline"),
                    ("01", date(2022, 6, 25), None, "pipeline")]
    assert again.source == PoliticalStatus.Source.PIPELINE


def test_refuses_other_statuses_earlier_dates_and_pre_system_members(world, cast):
    p = make_person("何群众", birth_date=date(1990, 1, 1))
    with pytest.raises(ValidationError, match="只写入中共预备党员"):
        reg.political_status_from_pipeline(actor=SYSTEM, person=p, status="13", since=date(2021, 1, 1))
    reg.political_status_set(actor=SYSTEM, person=p, status="03", since=date(2021, 1, 1))
    with pytest.raises(ValidationError, match="当天或之后已有"):
        reg.political_status_from_pipeline(actor=SYSTEM, person=p, status="02", since=date(2021, 1, 1))
    old = make_person("老党员", birth_date=date(1950, 1, 1))
    reg.party_joining_record(actor=SYSTEM, person=old, joined_on=date(1980, 1, 1), full_on=date(1981, 1, 1))
    with pytest.raises(ValidationError, match="系统启用前的入党记录"):
        reg.political_status_from_pipeline(actor=SYSTEM, person=old, status="01", since=date(2021, 1, 1))
    with pytest.raises(PermissionDenied):
        reg.political_status_from_pipeline(actor=Actor.of(cast.member_a), person=p, status="02",
                                           since=date(2022, 1, 1))
