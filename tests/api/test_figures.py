"""Figures through the API: each in the caller's scope, exactly the JSON a
published report stores, and the records behind a figure or a segment."""

from datetime import date

import pytest
from django.utils import timezone

from fourfirsts.core import figures
from tests.volunteering.conftest import make_activity, seed_activity_kinds

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(world):
    """Two 文明劝导 activities of org A and one of org B in 2022, one of A in 2021."""
    seed_activity_kinds()
    return [make_activity(org=world.org_a, held=date(2022, 3, 5), title="春运文明劝导"),
            make_activity(org=world.org_a, held=date(2022, 9, 1), title="开学文明劝导"),
            make_activity(org=world.org_b, held=date(2022, 6, 1), title="浙商文明劝导"),
            make_activity(org=world.org_a, held=date(2021, 6, 1), title="去年的劝导")]


def _f08(response):
    assert response.status_code == 200, response.content
    return next(f for f in response.json() if f["id"] == "F08")


def test_a_secretarys_F08_counts_only_their_orgs_activities(api, cast, world, activities):
    assert _f08(api(cast.secretary_a).get("/figures", year=2022))["value"] == 2
    assert _f08(api(cast.secretary_b).get("/figures", year=2022))["value"] == 1
    assert _f08(api(cast.committee).get("/figures", year=2022))["value"] == 3
    one = api(cast.secretary_a).get("/figures/F08", year=2022).json()
    assert (one["value"], one["display"]) == (2, "2次")


def test_every_figure_is_exactly_its_as_json_in_the_callers_scope(api, cast, world, activities):
    body = api(cast.secretary_a).get("/figures", year=2022).json()
    registered = figures.all_figures()
    assert [f["id"] for f in body] == [f.id for f in registered]
    for item, figure in zip(body, registered, strict=True):
        expected = figure.as_json(figure.evaluate(cast.secretary_a, 2022))
        assert set(item) == set(expected)
        assert item == expected


def test_the_year_defaults_to_this_year_and_must_lie_between_2000_and_now(api, cast, world, activities):
    this_year = timezone.localdate().year
    assert _f08(api(cast.committee).get("/figures"))["value"] == figures.get("F08").evaluate(
        cast.committee, this_year).value
    for year in (1999, this_year + 1):
        response = api(cast.committee).get("/figures/F08", year=year)
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {"year": [f"年度应为 2000–{this_year} 之间的年份"]}
    assert api(cast.committee).get("/figures", year="二〇二二").json()["error"]["fields"] == {"year": ["应为整数"]}


def test_roles_without_the_dashboard_get_403_and_unknown_figures_404(api, cast, world):
    response = api(cast.member_a).get("/figures", year=2022)
    assert (response.status_code, response.json()["error"]["message"]) == (403, "您的角色无权访问此页面")
    response = api(cast.committee).get("/figures/F99")
    assert (response.status_code, response.json()["error"]["message"]) == (404, "没有编号为 F99 的指标")


def test_records_are_rows_of_column_text_paged_by_offset(api, cast, world, activities):
    secretary = api(cast.secretary_a)
    first = secretary.get("/figures/F08/records", year=2022, limit=1).json()
    assert first["columns"] == ["日期", "主题", "组织者", "地点"]
    assert first["items"] == [{"日期": "2022-03-05", "主题": "春运文明劝导", "组织者": world.org_a.name,
                               "地点": "娄星区乐坪大道"}]
    second = secretary.get("/figures/F08/records", year=2022, limit=1, cursor=first["next_cursor"]).json()
    assert [r["主题"] for r in second["items"]] == ["开学文明劝导"]
    assert second["next_cursor"] is None
    assert secretary.get("/figures/F08/records", cursor="下一页").status_code == 400


def test_records_of_a_segment_and_unknown_breakdowns_or_segments(api, cast, world):
    secretary = api(cast.secretary_a)
    year = timezone.localdate().year
    body = secretary.get("/figures/F22/records", year=year, by="by_coverage", segment="own").json()
    assert body["segment_label"] == "单独组建党组织"
    assert [r["商协会"] for r in body["items"]] == [world.assoc_a.name]
    committee = api(cast.committee)
    body = committee.get("/figures/F22/records", year=year, by="by_coverage", segment="instructor").json()
    assert [r["商协会"] for r in body["items"]] == [world.assoc_c.name]
    assert committee.get("/figures/F22/records", by="by_month", segment="own").status_code == 404
    assert committee.get("/figures/F22/records", by="by_coverage", segment="mixed").status_code == 404
    assert committee.get("/figures/F22/records", by="by_coverage").status_code == 404
    assert committee.get("/figures/F99/records").status_code == 404
    missing_by = committee.get("/figures/F22/records", segment="own")
    assert (missing_by.status_code, list(missing_by.json()["error"]["fields"])) == (400, ["by"])


@pytest.mark.parametrize("rows", [2, 20])
def test_records_cost_the_same_queries_at_2_and_at_20_rows(api, cast, world, rows, django_assert_max_num_queries):
    seed_activity_kinds()
    for n in range(rows):
        make_activity(org=world.org_a, held=date(2022, 5, 1 + n), title=f"劝导{n}")
    caller = api(cast.secretary_a)
    caller.get("/figures/F08/records", year=2022)
    with django_assert_max_num_queries(7):
        response = caller.get("/figures/F08/records", year=2022)
    assert len(response.json()["items"]) == rows
