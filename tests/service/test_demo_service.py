"""The demo's 服务第一要务: the article's 2022 (173 party members visiting, 621
appeals, 151 assigned on site by the city party secretary and the mayor,
raised by 52 entrepreneurs, all closed) and recent months with appeals in
every open state, the overdue ones already escalated."""

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db.models import Q

from fourfirsts.core import figures
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.registry.models import (
    EnterpriseMembership,
    PoliticalStatus,
    PublicOffice,
    active_on,
)
from fourfirsts.service.models import Appeal, Escalation, Visit
from fourfirsts.service.services import appeals

TODAY = date(2026, 11, 27)
YEAR = (datetime(2022, 1, 1, tzinfo=SHANGHAI), datetime(2023, 1, 1, tzinfo=SHANGHAI))


def _member(enterprise_id, day) -> bool:
    return EnterpriseMembership.objects.filter(active_on(day), enterprise_id=enterprise_id).exists()


@pytest.mark.django_db
def test_the_demo_tells_the_articles_service_story(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--today", TODAY.isoformat(), "--workbook", str(tmp_path / "d.xlsx"))

    in_2022 = Appeal.objects.filter(collected_at__gte=YEAR[0], collected_at__lt=YEAR[1])
    assert in_2022.count() == 621
    assert not in_2022.exclude(state=Appeal.State.CLOSED).exists()
    assert not in_2022.filter(Q(reply="") | Q(rating="") | Q(closed_at__gte=YEAR[1])).exists()
    assert in_2022.filter(rating=Appeal.Rating.UNRATED).exists()
    assert all(_member(a.enterprise_id, a.collected_at.astimezone(SHANGHAI).date())
               for a in in_2022.only("enterprise_id", "collected_at"))
    top = {a.category for a in in_2022.filter(category__in=["logistics", "funding", "factors", "materials"])}
    assert len(top) == 4 and in_2022.filter(category__in=top).count() > 621 / 2

    on_site = [a for a in in_2022.filter(assigned_on_site_on__isnull=False)
               if PublicOffice.objects.filter(active_on(a.assigned_on_site_on), person_id=a.assigned_by_id,
                                              is_city_leader=True).exists()]
    assert len(on_site) == 151 and len({a.raised_by_id for a in on_site}) == 52
    assert {PublicOffice.objects.get(person_id=a.assigned_by_id).title for a in on_site} == {"市委书记", "市长"}

    visits = Visit.objects.filter(visited_on__year=2022)
    visitors = {v.visitor_id for v in visits
                if PoliticalStatus.objects.filter(active_on(v.visited_on), person_id=v.visitor_id,
                                                  status__in=PoliticalStatus.PARTY).exists()
                and _member(v.enterprise_id, v.visited_on)}
    assert len(visitors) == 173
    assert {v.channel for v in visits} == set(Visit.Channel.values)

    # Through the figure registry, as the report reads them.
    assert figures.get("F04").evaluate(None, 2022, TODAY).value == 173
    assert figures.get("F06").evaluate(None, 2022, TODAY).value == 621
    f07 = figures.get("F07").evaluate(None, 2022, TODAY)
    assert (f07.value, f07.parts["raisers"]) == (151, 52)
    assert sum(figures.get("F05").evaluate(None, 2022, TODAY).parts.values()) == visits.count()

    # The recent months: every open state; the overdue ones escalated already.
    recent = Appeal.objects.filter(collected_at__gte=datetime(2026, 6, 1, tzinfo=SHANGHAI))
    assert set(Appeal.OPEN_STATES) <= set(recent.values_list("state", flat=True))
    assert recent.filter(state=Appeal.State.DECLINED).exists()
    now = datetime.combine(TODAY, datetime.min.time(), tzinfo=SHANGHAI) + timedelta(hours=10)
    overdue = Appeal.objects.filter(state__in=Appeal.RUNNING_STATES, due_at__lt=now - timedelta(days=3))
    assert 3 <= overdue.count() <= 8
    assert all(a.escalations.count() == 3 for a in overdue)
    created = appeals.escalate(now)
    assert not [e for e in created if e.due_at < now - timedelta(days=3)]
    assert not Escalation.objects.filter(appeal__in=overdue, at__gte=now).exists()
