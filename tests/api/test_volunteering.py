"""The 第一身份 API as a client meets it: a member reports their own hours
from a phone, the org's secretary confirms or rejects them, and a keeper
updates an assistance project's progress and records money paid in — each by
the same rules as the pages, in the caller's scope."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from fourfirsts.accounts import services as accounts
from fourfirsts.core.actors import Actor
from fourfirsts.volunteering import services
from fourfirsts.volunteering.models import ActivityKind, Participation, Project
from tests.conftest import make_person
from tests.volunteering.conftest import (
    SYSTEM,
    kind,
    make_activity,
    make_pairing,
    make_project,
    make_village,
    pay,
    seed_activity_kinds,
)

pytestmark = pytest.mark.django_db
URL = "/api/v1/volunteering"


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.FOURFIRSTS_API_RATE = "0"
    seed_activity_kinds()


class Api:
    """A client calling with a user's personal token."""

    def __init__(self, client, user):
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {accounts.token_create(user=user, name='测试')[1]}"}

    def get(self, path, query=None):
        return self.client.get(URL + path, query or {}, **self.headers)

    def send(self, method, path, body=None):
        raw = body if isinstance(body, str) else json.dumps(body or {})
        return self.client.generic(method, URL + path, raw, content_type="application/json", **self.headers)

    def post(self, path, body=None):
        return self.send("POST", path, body)


@pytest.fixture
def api(client, cast):
    return lambda who: Api(client, getattr(cast, who))


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def fields(response, status=422):
    assert response.status_code == status, response.content
    return response.json()["error"]["fields"]


# --- hours ----------------------------------------------------------------------------------------


def test_a_member_reports_hours_and_the_secretary_confirms_them(api, world):
    activity = make_activity(world.org_a, held=date(2022, 5, 10))
    member, secretary = api("member_a"), api("secretary_a")
    made = member.post("/hours", {"activity": activity.pk, "hours": "2.5", "note": "路口劝导"})
    assert made.status_code == 201, made.content
    row = made.json()
    assert (row["status"], row["status_label"], row["hours"], row["person_name"]) == ("reported", "待确认", "2.5",
                                                                                       "王会员")
    assert ids(member.get("/hours")) == [row["id"]]
    assert ids(secretary.get("/hours/pending")) == [row["id"]]
    assert ids(api("secretary_b").get("/hours/pending")) == []

    done = secretary.post(f"/hours/{row['id']}/confirm")
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["decided_by"]) == ("confirmed", "secretary_a")
    assert ids(secretary.get("/hours/pending")) == []
    assert ids(member.get("/hours", {"status": "confirmed"})) == [row["id"]]
    assert ids(member.get("/hours", {"status": "reported"})) == []
    again = secretary.post(f"/hours/{row['id']}/confirm")
    assert again.status_code == 422 and "已经确认过" in again.json()["error"]["message"]


def test_the_secretary_rejects_with_a_reason(api, world, cast):
    row = services.participation_report(actor=Actor.of(cast.member_a),
                                        activity=make_activity(world.org_a), hours=Decimal(2))
    secretary = api("secretary_a")
    assert "请填写未通过的原因" in fields(secretary.post(f"/hours/{row.pk}/reject", {"reason": " "}))["reason"][0]
    done = secretary.post(f"/hours/{row.pk}/reject", {"reason": "当天未到场"})
    assert (done.json()["status"], done.json()["reason"]) == ("rejected", "当天未到场")
    assert fields(secretary.post(f"/hours/{row.pk}/reject", {}), 400) == {"reason": ["必填"]}


def test_another_orgs_secretary_gets_404_and_other_roles_403(api, world, cast):
    row = services.participation_report(actor=Actor.of(cast.member_a), activity=make_activity(world.org_a),
                                        hours=Decimal(2))
    wrong = api("secretary_b").post(f"/hours/{row.pk}/confirm")
    assert wrong.status_code == 404 and wrong.json()["error"]["code"] == "not_found"
    refused = api("instructor").post(f"/hours/{row.pk}/confirm")
    assert refused.status_code == 403 and refused.json()["error"]["message"] == "您的角色无权访问此页面"
    assert api("member_a").post(f"/hours/{row.pk}/confirm").status_code == 403
    assert Participation.objects.get(pk=row.pk).status == Participation.Status.REPORTED


def test_nobody_confirms_their_own_hours(api, world):
    secretary = api("secretary_a")
    row = secretary.post("/hours", {"activity": make_activity(world.org_a).pk, "hours": 3}).json()
    assert row["status"] == "reported" and row["person_name"] == "张安徽"
    refused = secretary.post(f"/hours/{row['id']}/confirm")
    assert refused.status_code == 403 and "不能确认本人登记的服务时长" in refused.json()["error"]["message"]
    assert api("committee").post(f"/hours/{row['id']}/confirm").json()["status"] == "confirmed"


def test_reporting_keeps_the_pages_rules(api, world):
    member = api("member_a")
    today = timezone.localdate()
    day = date(2022, 5, 10)
    first, second = make_activity(world.org_a, held=day), make_activity(world.org_a, held=day, title="第二场")
    assert "大于0" in fields(member.post("/hours", {"activity": first.pk, "hours": 0}))["hours"][0]
    assert "24小时" in fields(member.post("/hours", {"activity": first.pk, "hours": 25}))["hours"][0]
    assert member.post("/hours", {"activity": first.pk, "hours": 20}).status_code == 201
    over = fields(member.post("/hours", {"activity": second.pk, "hours": 5}))["hours"][0]
    assert over == "王会员在2022-05-10的服务时长合计25小时，超过一天24小时"
    assert "已登记过" in fields(member.post("/hours", {"activity": first.pk, "hours": 1}))["activity"][0]
    future = make_activity(world.org_a, held=today + timedelta(days=3))
    assert "活动还未开展" in fields(member.post("/hours", {"activity": future.pk, "hours": 1}))["activity"][0]
    of_b = make_activity(world.org_b, held=day)
    assert fields(member.post("/hours", {"activity": of_b.pk, "hours": 1}))["activity"] == ["志愿活动不存在或不在您的范围内"]
    assert "没有关联人员" in fields(api("committee").post("/hours", {"activity": first.pk, "hours": 1}))["person"][0]


def test_malformed_reports_get_400_naming_the_field(api, world):
    member = api("member_a")
    bad = member.post("/hours", {"activity": make_activity(world.org_a).pk, "hours": "两小时"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "malformed"
    assert bad.json()["error"]["fields"] == {"hours": ["应为数字"]}
    assert fields(member.post("/hours", {"hours": 1}), 400) == {"activity": ["必填"]}
    assert member.post("/hours", "{not json").json()["error"]["code"] == "malformed"
    assert not Participation.objects.exists()


# --- activities -----------------------------------------------------------------------------------


def test_activities_are_scoped_and_filtered_as_on_the_page(api, world):
    a = make_activity(world.org_a, held=date(2022, 5, 10), hours=Decimal(2), participants=[world.person_a])
    a_2021 = make_activity(world.org_a, held=date(2021, 5, 10), code=ActivityKind.BEND_DOWN, title="弯腰捡垃圾")
    b = make_activity(world.org_b, held=date(2022, 6, 1))
    assert set(ids(api("member_a").get("/activities"))) == {a.pk, a_2021.pk}
    assert set(ids(api("secretary_b").get("/activities"))) == {b.pk}
    assert set(ids(api("leader").get("/activities"))) == {a.pk, a_2021.pk, b.pk}
    assert ids(api("committee").get("/activities", {"year": 2021})) == [a_2021.pk]
    assert ids(api("committee").get("/activities", {"kind": kind(ActivityKind.BEND_DOWN).pk})) == [a_2021.pk]
    assert api("handler").get("/activities").status_code == 403

    item = next(i for i in api("member_a").get("/activities").json()["items"] if i["id"] == a.pk)
    assert (item["people"], item["party_org_name"], item["kind_name"], item["hours"]) == (
        1, "娄底市安徽商会党支部", "文明劝导", "2.0")
    detail = api("secretary_a").get(f"/activities/{a.pk}").json()
    assert [(p["person_name"], p["status"]) for p in detail["participants"]] == [("张安徽", "confirmed")]
    assert api("secretary_b").get(f"/activities/{a.pk}").status_code == 404


def test_cursor_paging_and_updated_since(api, world):
    made = [make_activity(world.org_a, held=date(2022, 1, 1) + timedelta(days=i), title=f"活动{i}") for i in range(5)]
    client, seen, cursor = api("committee"), [], None
    while True:
        page = client.get("/activities", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [i["id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(a.pk for a in made) and len(seen) == 5

    since = timezone.now()
    services.activity_save(actor=SYSTEM, values={"place": "娄星区"}, activity=made[2])
    changed = client.get("/activities", {"updated_since": since.isoformat()}).json()
    assert [i["id"] for i in changed["items"]] == [made[2].pk] and changed["deleted"] == []
    assert fields(client.get("/activities", {"cursor": "!!"}), 400) == {}


def test_kinds_list_for_activity_readers(api):
    names = [i["name"] for i in api("member_a").get("/kinds", {"limit": 200}).json()["items"]]
    assert "文明劝导" in names and "弯腰行动" in names
    assert api("secadmin").get("/kinds").status_code == 403


def test_no_personal_numbers_in_hours(api, world, cast):
    services.participation_report(actor=Actor.of(cast.member_a), activity=make_activity(world.org_a),
                                  hours=Decimal(2))
    body = api("secretary_a").get("/hours/pending").content.decode()
    assert "王会员" in body and world.member_a.id_number not in body and "13900002222" not in body


# --- projects -------------------------------------------------------------------------------------


@pytest.fixture
def project(world):
    pairing = make_pairing(make_village(), world.assoc_a, world.ent_a, on=date(2021, 3, 1))
    return make_project(pairing, starts=date(2021, 4, 1), posted_member=world.person_a)


def test_projects_are_scoped_and_filtered(api, world, project):
    other = make_project(make_pairing(make_village("杨家村"), world.assoc_b, world.ent_b), "蔬菜大棚",
                         tag=Project.Tag.EMPLOYMENT, status=Project.Status.COMPLETED)
    assert ids(api("secretary_a").get("/projects")) == [project.pk]
    assert ids(api("secretary_b").get("/projects")) == [other.pk]
    committee = api("committee")
    assert ids(committee.get("/projects", {"status": "completed"})) == [other.pk]
    assert ids(committee.get("/projects", {"tag": "industry"})) == [project.pk]
    assert ids(committee.get("/projects", {"q": "杨家"})) == [other.pk]
    assert api("member_a").get("/projects").status_code == 403
    assert api("secretary_b").get(f"/projects/{project.pk}").status_code == 404


def test_a_keeper_updates_progress_and_records_payments(api, world, project):
    pay(project, "30000", date(2021, 5, 1))
    secretary = api("secretary_a")
    done = secretary.send("PATCH", f"/projects/{project.pk}", {
        "status": "completed", "progress": "基地已投产", "jobs_fixed": 12, "households": 40,
        "income_increase": "52000", "ends_on": "2022-12-31", "benefit_link": "wages"})
    assert done.status_code == 200, done.content
    out = done.json()
    assert (out["status"], out["status_label"], out["jobs_fixed"], out["households"], out["income_increase"],
            out["ends_on"], out["benefit_link"]) == ("completed", "已完成", 12, 40, "52000.00", "2022-12-31", "wages")
    assert (out["name"], out["posted_member_name"], out["paid"]) == ("油茶种植基地", "张安徽", "30000.00")
    project.refresh_from_db()
    assert (project.klass, project.jobs_temporary, project.progress) == (Project.Klass.BUSINESS, 0, "基地已投产")

    paid = secretary.post(f"/projects/{project.pk}/payments", {"paid_on": "2022-03-01", "amount": "20000"})
    assert paid.status_code == 201, paid.content
    detail = secretary.get(f"/projects/{project.pk}").json()
    assert [(p["paid_on"], p["amount"]) for p in detail["payments"]] == [("2021-05-01", "30000.00"),
                                                                        ("2022-03-01", "20000.00")]
    assert detail["paid"] == "50000.00"


def test_progress_and_payments_keep_the_import_rules(api, world, project):
    secretary = api("secretary_a")
    path = f"/projects/{project.pk}"
    assert fields(secretary.send("PATCH", path, {"ends_on": "2021-01-01"}))["ends_on"] == ["结束日期不能早于开始日期"]
    assert fields(secretary.send("PATCH", path, {"income_increase": "-1"}))["income_increase"] == ["村集体增收（元）不能为负数"]
    assert fields(secretary.send("PATCH", path, {"status": "done"}), 400) == {"status": ["不是允许的取值"]}
    assert fields(secretary.send("PATCH", path, {"status": None}), 400) == {"status": ["不是允许的取值"]}
    assert fields(secretary.send("PATCH", path, {"jobs_fixed": -3}))["jobs_fixed"]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    pays = f"{path}/payments"
    assert fields(secretary.post(pays, {"paid_on": tomorrow, "amount": 10}))["paid_on"] == ["到位日期不能晚于今天"]
    assert "不能早于项目开始日期" in fields(secretary.post(pays, {"paid_on": "2021-01-01", "amount": 10}))["paid_on"][0]
    assert fields(secretary.post(pays, {"paid_on": "2021-05-01", "amount": 0}))["amount"] == ["到位金额应大于0元"]
    assert not project.payments.exists()
    project.refresh_from_db()
    assert (project.status, project.jobs_fixed) == (Project.Status.ONGOING, 0)


def test_who_may_update_a_project(api, world, project):
    body = {"status": "suspended"}
    for who, code in (("leader", 403), ("instructor", 403), ("member_a", 403), ("secretary_b", 404)):
        assert api(who).send("PATCH", f"/projects/{project.pk}", body).status_code == code, who
    refused = api("leader").send("PATCH", f"/projects/{project.pk}", body)
    assert refused.json()["error"]["message"] == "您无权修改这个帮扶项目"
    assert api("committee").send("PATCH", f"/projects/{project.pk}", body).json()["status"] == "suspended"


# --- query counts ---------------------------------------------------------------------------------


def _grow(world, cast, project, n, start):
    member = Actor.of(cast.member_a)
    for i in range(start, start + n):
        day = date(2021, 1, 1) + timedelta(days=i)
        activity = make_activity(world.org_a, held=day, hours=Decimal(2), participants=[world.person_a],
                                 title=f"活动{i}")
        services.participation_report(actor=member, activity=activity, hours=Decimal(1))
        person = make_person(f"志愿者{i}")
        services.participation_save(actor=SYSTEM, values={"activity": activity, "person": person,
                                                          "hours": Decimal(1)})
        make_project(project.pairing, f"项目{i}", starts=date(2021, 4, 1), enterprise=world.ent_a,
                     posted_member=person)


@pytest.mark.parametrize("who, path", [
    ("member_a", "/activities"), ("member_a", "/hours"), ("secretary_a", "/hours/pending"),
    ("committee", "/hours/pending"), ("secretary_a", "/projects"), ("leader", "/projects"),
])
def test_lists_take_a_fixed_number_of_queries(api, world, cast, project, django_assert_max_num_queries, who, path):
    client = api(who)
    client.get(path)  # the token's first use stamps last_used_at
    counts = []
    for n, start in ((2, 0), (18, 2)):
        _grow(world, cast, project, n, start)
        with django_assert_max_num_queries(12) as captured:
            response = client.get(path, {"limit": 200})
        assert len(response.json()["items"]) >= n
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_details_take_a_fixed_number_of_queries(api, world, project, django_assert_max_num_queries):
    client = api("secretary_a")
    activity = make_activity(world.org_a, held=date(2022, 5, 10), hours=Decimal(2))
    client.get(f"/projects/{project.pk}")
    counts = []
    for n, start in ((2, 0), (18, 2)):
        for i in range(start, start + n):
            pay(project, 100 + i, date(2021, 5, 1) + timedelta(days=i))
            services.participation_report(actor=SYSTEM, activity=activity, person=make_person(f"志愿者{i}"),
                                          hours=Decimal(1), today=date(2026, 11, 27))
        for path, items in ((f"/projects/{project.pk}", "payments"), (f"/activities/{activity.pk}", "participants")):
            with django_assert_max_num_queries(10) as captured:
                assert len(client.get(path).json()[items]) == start + n
            counts.append(len(captured))
    assert counts[:2] == counts[2:]
