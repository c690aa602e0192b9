"""Pairings (结对联系): who arranges them, ending them, and the no-contact
list on explicit days with the rule changed."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fourfirsts.core import rules
from fourfirsts.core.actors import Actor
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import EnterpriseMembership
from fourfirsts.service.models import Pairing
from fourfirsts.service.services import visits as services
from tests.conftest import _uscc, make_person

SYSTEM = Actor.system("测试")


def pair(person, enterprise, since=date(2022, 1, 1), until=None):
    return services.pairing_create(actor=SYSTEM, values={"person": person, "enterprise": enterprise,
                                                         "since": since, "until": until})


def visit(person, enterprise, day):
    return services.visit_create(actor=SYSTEM, values={"visitor": person, "enterprise": enterprise,
                                                       "channel": "phone", "visited_on": day})


def test_the_committee_and_a_secretary_arrange_pairings(world, cast, client_for):
    response = client_for(cast.secretary_a).post(reverse("service:pairing_create"), {
        "person": world.member_a.pk, "enterprise": world.ent_a.pk, "since": "2022-02-01", "note": "重点联系"})
    assert response.status_code == 302, response.content.decode()[:2000]
    pairing = Pairing.objects.get()
    assert (pairing.person, pairing.enterprise, pairing.since) == (world.member_a, world.ent_a, date(2022, 2, 1))
    # The same pair again while it runs: refused, input kept.
    response = client_for(cast.committee).post(reverse("service:pairing_create"), {
        "person": world.member_a.pk, "enterprise": world.ent_a.pk, "since": "2022-06-01", "note": "再次结对"})
    assert response.status_code == 200 and "已有结对" in response.content.decode()
    assert "再次结对" in response.content.decode()
    assert Pairing.objects.count() == 1


def test_secretary_b_cannot_pair_with_an_enterprise_of_a_and_a_member_cannot_pair(world, cast):
    with pytest.raises(ValidationError) as e:
        services.pairing_create(actor=Actor.of(cast.secretary_b), values={
            "person": world.person_b, "enterprise": world.ent_a, "since": date(2022, 1, 1)})
    assert "enterprise" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        services.pairing_create(actor=Actor.of(cast.member_a), values={
            "person": world.member_a, "enterprise": world.ent_a, "since": date(2022, 1, 1)})


def test_ending_a_pairing(world, cast, client_for):
    pairing = pair(world.member_a, world.ent_a, since=date(2022, 3, 1))
    client = client_for(cast.secretary_a)
    response = client.post(reverse("service:pairing_end", args=[pairing.pk]), {"until": "2022-02-01"})
    assert response.status_code == 200 and "结束日期不能早于结对日期" in response.content.decode()
    response = client.post(reverse("service:pairing_end", args=[pairing.pk]), {"until": "2022-12-31", "note": "调岗"})
    assert response.status_code == 302
    pairing.refresh_from_db()
    assert pairing.until == date(2022, 12, 31) and pairing.note == "调岗"
    with pytest.raises(ValidationError):
        services.pairing_end(actor=SYSTEM, pairing=pairing, until=date(2023, 1, 1))
    # The list: ended pairs under "已结束", not among the active ones.
    page = client.get(reverse("service:pairing_list")).content.decode()
    assert "湖南安徽建材有限公司" not in page
    page = client.get(reverse("service:pairing_list"), {"status": "ended"}).content.decode()
    assert "湖南安徽建材有限公司" in page


def test_the_pairing_list_filters_by_person_and_enterprise(world, cast, client_for):
    pair(world.member_a, world.ent_a)
    pair(world.person_b, world.ent_b)
    client = client_for(cast.committee)
    page = client.get(reverse("service:pairing_list"), {"person": world.person_b.pk}).content.decode()
    assert "娄底浙商物流有限公司" in page and "湖南安徽建材有限公司" not in page
    page = client.get(reverse("service:pairing_list"), {"q": "安徽"}).content.decode()
    assert "湖南安徽建材有限公司" in page and "娄底浙商物流有限公司" not in page
    page = client_for(cast.member_a).get(reverse("service:pairing_list")).content.decode()
    assert "湖南安徽建材有限公司" in page and "娄底浙商物流有限公司" not in page


def test_the_no_contact_list_on_explicit_days(world, cast):
    day = date(2022, 6, 30)
    recent = pair(world.member_a, world.ent_a)  # visited 10 days before
    visit(world.member_a, world.ent_a, date(2022, 6, 20))
    stale = pair(world.member_a, world.ent_b)  # visited 45 days before
    visit(world.member_a, world.ent_b, date(2022, 5, 16))
    visit(world.person_a, world.ent_b, date(2022, 6, 29))  # someone else's visit does not count
    never = pair(world.person_b, world.ent_b)  # never visited since 1 Jan
    new = pair(world.person_a, world.ent_a, since=date(2022, 6, 15))  # paired two weeks ago
    later = visit(world.member_a, world.ent_b, date(2022, 7, 10))  # after the day: does not count
    assert later.pk
    pair(world.person_a, world.ent_b, since=date(2021, 1, 1), until=date(2021, 12, 31))  # ended: not listed

    rows = {p.pk: p for p in services.no_contact(cast.committee, day)}
    assert set(rows) == {stale.pk, never.pk}
    assert rows[stale.pk].last_contact == date(2022, 5, 16)
    assert rows[never.pk].last_contact is None
    assert recent.pk not in rows and new.pk not in rows

    # The committee raises the limit to 60 days from 1 June: only the never-visited pair is left.
    rules.setting_change(key="service.no_contact_days", raw="60", effective_from=date(2022, 6, 1), actor=SYSTEM)
    assert {p.pk for p in services.no_contact(cast.committee, day)} == {never.pk}
    # …but a list of 31 May still follows the old 30 days.
    assert rules.value("service.no_contact_days", on=date(2022, 5, 31)) == 30
    rules.setting_change(key="service.no_contact_days", raw="10", effective_from=date(2022, 6, 25), actor=SYSTEM)
    assert {p.pk for p in services.no_contact(cast.committee, day)} == {stale.pk, never.pk, new.pk}


def test_the_no_contact_page_by_scope_and_day(world, cast, client_for):
    pair(world.member_a, world.ent_a)
    visit(world.member_a, world.ent_a, date(2022, 3, 1))
    pair(world.person_b, world.ent_b)
    url = reverse("service:pairing_no_contact")
    page = client_for(cast.committee).get(url, {"on": "2022-06-30"}).content.decode()
    assert "湖南安徽建材有限公司" in page and "2022-03-01" in page and "娄底浙商物流有限公司" in page
    assert "从未联系" in page
    page = client_for(cast.committee).get(url, {"on": "2022-03-15"}).content.decode()
    assert "湖南安徽建材有限公司" not in page
    page = client_for(cast.secretary_a).get(url, {"on": "2022-06-30"}).content.decode()
    assert "湖南安徽建材有限公司" in page and "娄底浙商物流有限公司" not in page


def test_a_member_sees_their_overdue_pairs_on_the_visit_list(world, cast, client_for):
    pair(world.member_a, world.ent_a, since=date(2020, 1, 1))
    pair(world.person_b, world.ent_b, since=date(2020, 1, 1))
    page = client_for(cast.member_a).get(reverse("service:visit_list")).content.decode()
    assert 'id="overdue"' in page and "湖南安徽建材有限公司" in page and "娄底浙商物流有限公司" not in page


def _fill(world, n, start):
    for i in range(n):
        ent = reg.enterprise_save(actor=SYSTEM, values={"name": f"娄底联系{start + i:02d}有限公司",
                                                        "uscc": _uscc(300 + start + i)})
        reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership,
                            values={"enterprise": ent, "association": world.assoc_a, "since": date(2020, 1, 1)})
        person = make_person(f"会员{start + i:02d}")
        pair(person, ent)
        visit(person, ent, date(2022, 2, 1))


@pytest.mark.parametrize("name,query", [("service:pairing_list", {}),
                                        ("service:pairing_no_contact", {"on": "2022-06-30"})])
def test_pairing_pages_make_the_same_queries_at_2_and_20_rows(world, cast, client_for,
                                                              django_assert_max_num_queries, name, query):
    client = client_for(cast.secretary_a)
    counts = []
    for n, start in ((2, 0), (18, 2)):
        _fill(world, n, start)
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse(name), query)
        assert page.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert "娄底联系19有限公司" in page.content.decode()
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(15):
        client.get(reverse(name), query)
