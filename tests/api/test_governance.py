"""第一责任 through the API: coverage as the governance page computes it (and
as F21/F22 count it), honours per role, their filters, paging and sync."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from fourfirsts.core import figures
from fourfirsts.governance import services
from fourfirsts.governance.models import Honour
from tests.governance.conftest import SYSTEM, assign, cover, honour, make_org, new_association

pytestmark = pytest.mark.django_db


# --- coverage -----------------------------------------------------------------------------------


def test_the_committee_sees_every_association_classified_with_both_rates(api, cast, world):
    body = api(cast.committee).get("/governance/coverage").json()
    kinds = {a["association_name"]: (a["kind"], [o["name"] for o in a["party_orgs"]], a["instructor_count"])
             for a in body["associations"]}
    assert kinds == {world.assoc_a.name: ("own", [world.org_a.name], 1),
                     world.assoc_b.name: ("own", [world.org_b.name], 0),
                     world.assoc_c.name: ("instructor", [], 1)}
    assert body["org_coverage"] == {"figure": "F21", "numerator": 2, "denominator": 3, "value": 66.7,
                                    "display": "66.7%"}
    assert (body["work_coverage"]["value"], body["work_coverage"]["display"]) == (100, "100.0%")
    stats = {s["key"]: s["value"] for s in body["statistics"]}
    assert (stats["units"], stats["own"], stats["with_instructor"]) == (3, 2, 1)


def test_a_secretary_sees_their_associations_and_the_rates_match_their_F21_and_F22(api, cast, world):
    body = api(cast.secretary_b).get("/governance/coverage").json()
    assert [a["association_name"] for a in body["associations"]] == [world.assoc_b.name]
    year = timezone.localdate().year
    for key, figure_id in (("org_coverage", "F21"), ("work_coverage", "F22")):
        figure = figures.get(figure_id)
        expected = figure.as_json(figure.evaluate(cast.secretary_b, year))
        assert body[key]["display"] == expected["display"] == "100.0%"


def test_coverage_on_a_day_before_the_orgs_existed(api, cast, world):
    body = api(cast.committee).get("/governance/coverage", day="2019-01-01").json()
    assert body["day"] == "2019-01-01"
    assert {a["association_name"]: a["kind"] for a in body["associations"]} == {
        world.assoc_a.name: "own", world.assoc_b.name: "none", world.assoc_c.name: "none"}
    for day in ("2019-13-01", "0", "1546300800"):  # not a day, nor a timestamp
        response = api(cast.committee).get("/governance/coverage", day=day)
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {"day": ["应为日期（YYYY-MM-DD）"]}


def test_a_member_may_not_read_coverage(api, cast, world):
    response = api(cast.member_a).get("/governance/coverage")
    assert response.status_code == 403
    assert response.json()["error"]["message"] == "您的角色无权访问此页面"


# --- honours ---------------------------------------------------------------------------------------


@pytest.fixture
def honours(world):
    return {
        "a": honour(association=world.assoc_a, title="全国“四好”商会"),
        "b": honour(association=world.assoc_b, level=Honour.Level.CITY, title="市级“四好”商会"),
        "org_a": honour(kind=Honour.Kind.BENCHMARK, level=Honour.Level.PROVINCIAL, party_org=world.org_a,
                        recognised_on=None, stage=Honour.Stage.DECLARED),
    }


def _titles(response):
    assert response.status_code == 200, response.content
    return sorted(item["title"] for item in response.json()["items"])


def test_honours_in_each_roles_scope(api, cast, world, honours):
    assert _titles(api(cast.committee).get("/governance/honours")) == sorted(
        ["全国“四好”商会", "市级“四好”商会", "标杆示范党组织"])
    assert _titles(api(cast.secretary_a).get("/governance/honours")) == ["全国“四好”商会", "标杆示范党组织"]
    assert _titles(api(cast.member_a).get("/governance/honours")) == ["全国“四好”商会", "标杆示范党组织"]
    assert api(cast.secretary_a).get(f"/governance/honours/{honours['b'].pk}").status_code == 404
    assert api(cast.handler).get("/governance/honours").status_code == 403
    detail = api(cast.member_a).get(f"/governance/honours/{honours['org_a'].pk}").json()
    assert (detail["party_org_name"], detail["association_name"], detail["stage_label"]) == (
        world.org_a.name, None, "申报")


def test_honours_filter_by_kind_level_stage_and_expiry(api, cast, world, honours):
    committee = api(cast.committee)
    assert _titles(committee.get("/governance/honours", kind="benchmark")) == ["标杆示范党组织"]
    assert _titles(committee.get("/governance/honours", level="city")) == ["市级“四好”商会"]
    assert _titles(committee.get("/governance/honours", stage="recognised")) == ["全国“四好”商会", "市级“四好”商会"]
    today = timezone.localdate()
    honour(association=world.assoc_c, title="即将到期的荣誉", recognised_on=today - timedelta(days=300),
           valid_until=today + timedelta(days=10))
    assert _titles(committee.get("/governance/honours", expiring="true")) == ["即将到期的荣誉"]
    bad = committee.get("/governance/honours", level="county")
    assert (bad.status_code, bad.json()["error"]["fields"]) == (400, {"level": ["不是允许的取值"]})


def test_honours_page_by_cursor_and_sync_by_updated_since(api, cast, world, honours):
    for n in range(4):
        honour(association=world.assoc_c, title=f"荣誉{n}")
    seen, cursor = [], None
    while True:
        body = api(cast.committee).get("/governance/honours", limit=2, **({"cursor": cursor} if cursor else {})).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 7
    since = timezone.now()
    services.honour_save(actor=SYSTEM, values={"notes": "复核通过"}, honour=honours["b"])
    body = api(cast.committee).get("/governance/honours", updated_since=since.isoformat()).json()
    assert [(item["id"], item["notes"]) for item in body["items"]] == [(honours["b"].pk, "复核通过")]


@pytest.mark.parametrize("rows", [2, 20])
def test_the_honour_list_costs_the_same_queries_at_2_and_at_20_rows(api, cast, world, rows,
                                                                     django_assert_max_num_queries):
    for n in range(rows):
        honour(association=world.assoc_a, title=f"荣誉{n}", recognised_on=date(2021, 1, 1))
    caller = api(cast.secretary_a)
    caller.get("/governance/honours")  # the token's first use writes last_used_at
    with django_assert_max_num_queries(8):
        response = caller.get("/governance/honours", updated_since="2000-01-01T00:00:00+08:00")
    assert len(response.json()["items"]) == rows


@pytest.mark.parametrize("rows", [2, 20])
def test_coverage_costs_the_same_queries_at_2_and_at_20_associations(api, cast, world, rows,
                                                                     django_assert_max_num_queries):
    for n in range(rows):
        a = new_association(f"新商会{n}")
        cover(make_org(f"新支部{n}"), a, date(2020, 1, 1))
        assign(world.instructor, a)
    caller = api(cast.committee)
    caller.get("/governance/coverage")
    with django_assert_max_num_queries(17):
        response = caller.get("/governance/coverage")
    assert len(response.json()["associations"]) == rows + 3
