"""Visits and contacts as a member meets them on the phone: logging a visit
with the problems found (each an appeal), all or nothing, the scope of who
logs and who reads, and a fixed number of queries on the list."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Tombstone
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import Enterprise, EnterpriseMembership
from fourfirsts.service.models import Appeal, Visit
from fourfirsts.service.services import visits as services
from tests.conftest import _uscc

SYSTEM = Actor.system("测试")


def visit_post(enterprise, visited_on="2022-09-01", notes="了解企业生产经营情况", problems=(), **extra):
    data = {"enterprise": enterprise.pk, "channel": "on_site", "visited_on": visited_on, "notes": notes,
            "problem-TOTAL_FORMS": str(len(problems)), "problem-INITIAL_FORMS": "0",
            "problem-MIN_NUM_FORMS": "0", "problem-MAX_NUM_FORMS": "20", "_save": "1", **extra}
    for i, p in enumerate(problems):
        for key, value in p.items():
            data[f"problem-{i}-{key}"] = value
    return data


PROBLEM_1 = {"title": "货车通行证办理难", "category": "logistics", "kind": "coordination", "is_blockage": "on",
             "description": "城区限行，货车进城需办通行证"}
PROBLEM_2 = {"title": "流动资金紧张", "category": "funding", "kind": "report", "is_pain_point": "on",
             "is_difficulty": "on"}


def make_visit(world, visitor=None, enterprise=None, day=date(2022, 9, 1), channel="on_site", problems=()):
    return services.visit_create(actor=SYSTEM, values={
        "visitor": visitor or world.member_a, "enterprise": enterprise or world.ent_a, "channel": channel,
        "visited_on": day}, problems=problems)


def test_a_member_logs_a_visit_with_two_problems_that_become_appeals(world, cast, client_for):
    client = client_for(cast.member_a)
    page = client.get(reverse("service:visit_create"))
    assert page.status_code == 200
    assert 'name="visitor"' not in page.content.decode()  # the member is the visitor
    response = client.post(reverse("service:visit_create"),
                           visit_post(world.ent_a, problems=[PROBLEM_1, PROBLEM_2]))
    assert response.status_code == 302, response.content.decode()[:3000]
    visit = Visit.objects.get()
    assert response["Location"] == reverse("service:visit_detail", args=[visit.pk])
    assert visit.visitor == world.member_a and visit.entered_by == cast.member_a
    raised = list(Appeal.objects.filter(visit=visit).order_by("id"))
    assert [a.title for a in raised] == ["货车通行证办理难", "流动资金紧张"]
    for a in raised:
        assert a.channel == Appeal.Channel.VISIT
        assert a.collected_by == world.member_a
        assert a.enterprise == world.ent_a
        assert a.state == Appeal.State.COLLECTED
        assert a.collected_at.astimezone(SHANGHAI).date() == date(2022, 9, 1)
    assert raised[0].nature_tags == ["堵点"] and raised[1].nature_tags == ["痛点", "难点"]
    detail = client.get(response["Location"]).content.decode()
    assert "货车通行证办理难" in detail and "流动资金紧张" in detail
    assert f'href="{reverse("service:appeal_detail", args=[raised[0].pk])}"' in detail


def test_a_bad_problem_row_saves_nothing_and_keeps_what_was_typed(world, cast, client_for):
    client = client_for(cast.member_a)
    bad = {**PROBLEM_2, "category": ""}
    response = client.post(reverse("service:visit_create"),
                           visit_post(world.ent_a, notes="车间扩建进展顺利", problems=[PROBLEM_1, bad]))
    assert response.status_code == 200
    page = response.content.decode()
    assert not Visit.objects.exists() and not Appeal.objects.exists()
    assert 'id="problem-errors"' in page
    assert "车间扩建进展顺利" in page and "货车通行证办理难" in page and "流动资金紧张" in page
    assert 'id="id_problem-1-category_error"' in page


def test_the_service_names_the_problem_row_and_rolls_back(world):
    with pytest.raises(ValidationError) as e:
        make_visit(world, problems=[{"title": "用工难", "category": "factors", "kind": "report"},
                                    {"title": "", "category": "tax", "kind": "report"}])
    assert "problem-1-title" in e.value.message_dict
    assert "问题2" in e.value.message_dict["problem-1-title"][0]
    assert not Visit.objects.exists() and not Appeal.objects.exists()


def test_a_future_date_is_refused_with_a_clear_message(world, cast, client_for):
    tomorrow = date.today() + timedelta(days=2)
    response = client_for(cast.member_a).post(reverse("service:visit_create"),
                                              visit_post(world.ent_a, visited_on=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "走访日期不能晚于今天" in response.content.decode()
    assert not Visit.objects.exists()


def test_adding_a_problem_row_keeps_the_input(world, cast, client_for):
    response = client_for(cast.member_a).post(
        reverse("service:visit_create"),
        {**visit_post(world.ent_a, notes="座谈了解用工情况", problems=[PROBLEM_1]), "_add_problem": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and not Visit.objects.exists()
    assert "座谈了解用工情况" in page and "货车通行证办理难" in page
    assert 'name="problem-1-title"' in page and 'name="problem-TOTAL_FORMS" value="2"' in page


def test_the_committee_logs_for_a_member_and_picks_the_visitor(world, cast, client_for):
    response = client_for(cast.committee).post(
        reverse("service:visit_create"), visit_post(world.ent_b, visitor=world.member_a.pk, channel="phone"))
    assert response.status_code == 302, response.content.decode()[:3000]
    visit = Visit.objects.get()
    assert visit.visitor == world.member_a and visit.entered_by == cast.committee
    assert visit.channel == "phone"


def test_secretary_b_cannot_log_for_an_enterprise_of_a(world, cast, client_for):
    response = client_for(cast.secretary_b).post(
        reverse("service:visit_create"), visit_post(world.ent_a, visitor=world.person_b.pk))
    assert response.status_code == 200
    assert not Visit.objects.exists()
    with pytest.raises(ValidationError) as e:
        services.visit_create(actor=Actor.of(cast.secretary_b), values={
            "visitor": world.person_b, "enterprise": world.ent_a, "channel": "on_site",
            "visited_on": date(2022, 9, 1)})
    assert "enterprise" in e.value.message_dict
    # …but for their own association's enterprise they may.
    services.visit_create(actor=Actor.of(cast.secretary_b), values={
        "visitor": world.person_b, "enterprise": world.ent_b, "channel": "on_site", "visited_on": date(2022, 9, 1)})


def test_a_member_logs_only_their_own_visits(world, cast):
    with pytest.raises(ValidationError) as e:
        services.visit_create(actor=Actor.of(cast.member_a), values={
            "visitor": world.person_a, "enterprise": world.ent_a, "channel": "on_site",
            "visited_on": date(2022, 9, 1)})
    assert "visitor" in e.value.message_dict


def test_a_member_may_visit_a_paired_enterprise_that_is_no_association_member(world, cast):
    lone = reg.enterprise_save(actor=SYSTEM, values={"name": "娄底独立科技有限公司", "uscc": _uscc(77)})
    values = {"visitor": world.member_a, "enterprise": lone, "channel": "wechat", "visited_on": date(2022, 9, 1)}
    with pytest.raises(ValidationError):
        services.visit_create(actor=Actor.of(cast.member_a), values=values)
    services.pairing_create(actor=SYSTEM, values={"person": world.member_a, "enterprise": lone,
                                                  "since": date(2022, 1, 1)})
    assert services.visit_create(actor=Actor.of(cast.member_a), values=values).pk


def test_a_member_sees_only_their_own_visits(world, cast, client_for):
    make_visit(world, visitor=world.member_a, enterprise=world.ent_b, day=date(2022, 9, 2))
    make_visit(world, visitor=world.person_a, enterprise=world.ent_b, day=date(2022, 9, 3))
    make_visit(world, visitor=world.person_b, enterprise=world.ent_b, day=date(2022, 9, 4))
    page = client_for(cast.member_a).get(reverse("service:visit_list")).content.decode()
    assert "2022-09-02" in page and "2022-09-03" not in page and "2022-09-04" not in page
    page = client_for(cast.secretary_b).get(reverse("service:visit_list")).content.decode()
    assert "2022-09-02" in page and "2022-09-04" in page  # B's enterprise, whoever visited
    page = client_for(cast.secretary_a).get(reverse("service:visit_list")).content.decode()
    assert "2022-09-03" not in page


def test_the_visit_list_filters(world, cast, client_for):
    make_visit(world, day=date(2021, 5, 1), channel="phone")
    make_visit(world, day=date(2022, 5, 2), channel="phone")
    make_visit(world, enterprise=world.ent_b, day=date(2022, 5, 3), channel="on_site")
    client = client_for(cast.committee)
    page = client.get(reverse("service:visit_list"), {"channel": "phone", "year": 2022}).content.decode()
    assert "2022-05-02" in page and "2021-05-01" not in page and "2022-05-03" not in page
    page = client.get(reverse("service:visit_list"), {"q": "浙商"}).content.decode()
    assert "2022-05-03" in page and "2022-05-02" not in page
    page = client.get(reverse("service:visit_list"), {"start": "2022-05-02", "end": "2022-05-02"}).content.decode()
    assert "2022-05-02" in page and "2022-05-03" not in page
    page = client.get(reverse("service:visit_list"), {"visitor": world.member_a.pk}).content.decode()
    assert "2022-05-02" in page


def test_with_many_visitors_the_filter_searches_them_by_name(world, cast, client_for, monkeypatch):
    from fourfirsts.core import forms as core_forms

    make_visit(world, day=date(2022, 5, 2))
    make_visit(world, visitor=world.person_b, enterprise=world.ent_b, day=date(2022, 5, 3))
    monkeypatch.setattr(core_forms, "CHOICES_MAX", 1)  # a province's thousands, in small
    client = client_for(cast.committee)
    page = client.get(reverse("service:visit_list")).content.decode()
    assert 'name="visitor_name"' in page and '<select name="visitor"' not in page
    page = client.get(reverse("service:visit_list"), {"visitor_name": world.person_b.name}).content.decode()
    assert "2022-05-03" in page and "2022-05-02" not in page
    page = client.get(reverse("service:visit_list"), {"visitor": world.member_a.pk}).content.decode()
    assert "2022-05-02" in page and "2022-05-03" not in page  # a link by id still filters


def test_the_enterprise_search_offers_at_most_20_matches(world, cast, client_for):
    for i in range(25):
        ent = reg.enterprise_save(actor=SYSTEM, values={"name": f"娄底建材{i:02d}有限公司", "uscc": _uscc(100 + i)})
        reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership,
                            values={"enterprise": ent, "association": world.assoc_b, "since": date(2020, 1, 1)})
    response = client_for(cast.member_a).get(reverse("service:visit_enterprise_search"), {"eq": "建材"},
                                             HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert page.count("<option value=\"") == 1 + 20  # the prompt and 20 matches
    assert "<script" not in page
    # Secretary A finds only A's enterprises.
    page = client_for(cast.secretary_a).get(reverse("service:visit_enterprise_search"), {"eq": "建材"}).content
    assert page.decode().count("娄底建材") == 0 and "湖南安徽建材有限公司" in page.decode()
    assert Enterprise.objects.count() == 27


def test_editing_and_deleting_a_visit(world, cast, client_for):
    visit = make_visit(world)
    client = client_for(cast.member_a)
    response = client.post(reverse("service:visit_edit", args=[visit.pk]),
                           visit_post(world.ent_a, visited_on="2022-09-05", notes="补记", problems=[PROBLEM_1]))
    assert response.status_code == 302, response.content.decode()[:2000]
    visit.refresh_from_db()
    assert visit.visited_on == date(2022, 9, 5) and visit.appeals.count() == 1
    # A visit that raised an appeal stays.
    page = client.get(reverse("service:visit_delete", args=[visit.pk])).content.decode()
    assert 'id="blocked"' in page
    other = make_visit(world, day=date(2022, 9, 6))
    response = client.post(reverse("service:visit_delete", args=[other.pk]))
    assert response.status_code == 302
    assert not Visit.objects.filter(pk=other.pk).exists()
    assert Tombstone.objects.filter(model="service.visit", object_pk=str(other.pk)).exists()
    # Secretary B may not touch A's visit (404), the leader reads but may not edit (403).
    assert client_for(cast.secretary_b).get(reverse("service:visit_edit", args=[visit.pk])).status_code == 404
    assert client_for(cast.leader).get(reverse("service:visit_edit", args=[visit.pk])).status_code == 403


def test_the_visit_list_makes_the_same_queries_at_2_and_20_rows(world, cast, client_for,
                                                                 django_assert_max_num_queries):
    client = client_for(cast.member_a)
    services.pairing_create(actor=SYSTEM, values={"person": world.member_a, "enterprise": world.ent_b,
                                                  "since": date(2022, 1, 1)})
    counts = []
    day = date(2022, 1, 1)
    for n in (2, 18):
        for i in range(n):
            day += timedelta(days=1)
            make_visit(world, day=day, problems=[{"title": f"问题{i}", "category": "tax", "kind": "report"}])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("service:visit_list")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(15):
        client.get(reverse("service:visit_list"))
    visit = Visit.objects.first()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("service:visit_detail", args=[visit.pk])).status_code == 200
    assert len(ctx.captured_queries) <= 15


def test_the_visit_list_pages_with_a_more_link(world, cast, client_for):
    day = date(2021, 1, 1)
    for _i in range(55):
        day += timedelta(days=1)
        make_visit(world, day=day)
    client = client_for(cast.committee)
    page = client.get(reverse("service:visit_list")).content.decode()
    assert 'rel="next"' in page
    nxt = page.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    second = client.get(reverse("service:visit_list") + nxt).content.decode()
    assert "2021-01-05" in second and 'rel="next"' not in second


def test_searching_without_javascript_keeps_the_input(world, cast, client_for):
    response = client_for(cast.member_a).post(
        reverse("service:visit_create"),
        {**visit_post(world.ent_a, notes="电话回访", problems=[PROBLEM_1]), "eq": "浙商", "_search": "1"})
    page = response.content.decode()
    assert response.status_code == 200 and not Visit.objects.exists()
    assert f'<option value="{world.ent_b.pk}">娄底浙商物流有限公司</option>' in page
    assert "电话回访" in page and "货车通行证办理难" in page


def test_the_visit_list_answers_htmx_with_its_rows_only(world, cast, client_for):
    make_visit(world, day=date(2022, 5, 2))
    response = client_for(cast.committee).get(reverse("service:visit_list"), {"year": 2022},
                                              HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "2022-05-02" in page and "<html" not in page
