"""The 第一要务 API as a phone client or another system would use it: an
appeal from the 营商码 to closure, each step by its role's token; the page's
role and conflict rules on every action; scoping, masking, filters, paging
and sync of visits and appeals; and the public intake's limits."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from fourfirsts.accounts import services as accounts
from fourfirsts.core import rules
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.registry.models import PublicOffice
from fourfirsts.service.models import Appeal, Visit
from fourfirsts.service.services import intake, visits
from fourfirsts.service.workflow import APPEAL_WORKFLOW
from tests.service.conftest import advance, new_appeal  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("测试")
PHONE = "13812345678"


@pytest.fixture
def api(client, settings):
    """api(user).get/post(path, …): calls with the user's personal token (None: no token)."""
    settings.FOURFIRSTS_API_RATE = "0"
    tokens = {}

    class Caller:
        def __init__(self, user):
            if user is not None and user.pk not in tokens:
                tokens[user.pk] = accounts.token_create(user=user, name="测试")[1]
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[user.pk]}"} if user is not None else {}

        def get(self, path, query=None):
            return client.get("/api/v1/service" + path, query or {}, **self.headers)

        def post(self, path, body=None, **extra):
            return client.post("/api/v1/service" + path, body or {}, content_type="application/json",
                               **self.headers, **extra)

    return Caller


def act(caller, appeal_id, action, **body):
    """Read the appeal as the caller, then post the action with the updated_at seen."""
    seen = caller.get(f"/appeals/{appeal_id}").json()["updated_at"]
    return caller.post(f"/appeals/{appeal_id}/actions/{action}", {"seen_updated_at": seen, **body})


def answers(world, **over):
    """A complete 营商码 submission from 湖南安徽建材 through the 安徽商会's code."""
    data = {"enterprise_name": world.ent_a.name, "uscc": world.ent_a.uscc, "contact_name": "刘经理",
            "contact_phone": PHONE, "category": "logistics", "kind": "coordination", "nature": ["is_blockage"],
            "title": "货车通行证办理难", "description": "城区限行后，送货车辆办理通行证需跑三个部门。",
            "consent": True, "key": "api-key-0001-abcdefgh"}
    data.update(over)
    return data


def assoc_code(world):
    return intake.code_token("a", world.assoc_a.pk)


def submit(api, world, **over):
    return api(None).post(f"/public/codes/{assoc_code(world)}/appeals", answers(world, **over))


def events(appeal_id):
    return list(APPEAL_WORKFLOW.events(Appeal.objects.get(pk=appeal_id)).values_list("action", flat=True))


# --- an appeal from the 营商码 to closure ----------------------------------------------------------


def test_an_appeal_from_the_business_code_to_closure(api, cast, world):
    public = api(None)
    code = public.get(f"/public/codes/{assoc_code(world)}").json()
    assert (code["kind"], code["name"]) == ("association", world.assoc_a.name)

    received = submit(api, world)
    assert received.status_code == 201, received.content
    ref, token = received.json()["ref"], received.json()["tracking_token"]
    again = submit(api, world)  # a double tap: the same appeal, not a second one
    assert again.status_code == 200 and again.json()["duplicate"] and again.json()["ref"] == ref
    pk = Appeal.objects.get(ref=ref).pk
    assert Appeal.objects.filter(enterprise=world.ent_a).count() == 1

    committee, handler = api(cast.committee), api(cast.handler)
    detail = committee.get(f"/appeals/{pk}").json()
    assert (detail["state"], detail["channel"], detail["contact_phone"]) == ("collected", "business_code",
                                                                               "138****5678")
    assert set(detail["allowed_actions"]) >= {"accept", "decline", "assign_on_site"}
    assert act(committee, pk, "accept", note="属于受理范围").status_code == 200
    assigned = act(committee, pk, "assign", department_id=world.department.pk, note="请五个工作日内办结")
    assert assigned.json()["state"] == "assigned" and assigned.json()["department_name"] == world.department.name
    assert assigned.json()["due_at"]
    assert act(handler, pk, "sign").json()["state"] == "signed"
    assert act(handler, pk, "handle").json()["state"] == "handling"
    replied = act(handler, pk, "reply", reply="已为企业办理货车通行证，三个部门并联审批。")
    assert replied.json()["state"] == "replied"

    tracked = public.get(f"/public/track/{token}").json()
    assert tracked["can_rate"] and tracked["reply"].startswith("已为企业办理")
    assert [s["label"] for s in tracked["steps"]][:3] == ["通过营商码提交", "商协会党委已受理", "已交办承办单位"]
    rated = public.post(f"/public/track/{token}/rating", {"rating": "satisfied", "note": "办得快"})
    assert rated.status_code == 200 and rated.json()["state"] == "closed"
    assert rated.json()["rating_label"] == "满意"

    closed = committee.get(f"/appeals/{pk}").json()
    assert (closed["state"], closed["rating"]) == ("closed", "satisfied") and closed["closed_at"]
    assert [i["label"] for i in closed["timeline"] if i["kind"] == "event"] == [
        "受理", "交办", "签收", "办理", "答复", "回访评价"]
    assert closed["timeline"][1]["actor"] == "committee"  # who did it, as on the detail page
    assert events(pk) == ["accept", "assign", "sign", "handle", "reply", "rate"]


def test_staff_intake_then_return_and_reassignment(api, cast, world):
    secretary, committee, handler = api(cast.secretary_a), api(cast.committee), api(cast.handler)
    created = secretary.post("/appeals", {
        "enterprise_id": world.ent_a.pk, "category": "funding", "kind": "coordination", "title": "贷款续贷难",
        "collected_by_id": world.person_a.pk, "contact_phone": "0738-8221234", "contact_consent": True})
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["collected_by"] == world.person_a.name
    assert created.json()["contact_phone"] == "073*****1234"
    act(committee, pk, "accept")
    act(committee, pk, "assign", department_id=world.department.pk)
    act(handler, pk, "sign")
    returned = act(handler, pk, "return", reason="不属于本单位职责", basis="《职能配置规定》第三条")
    assert returned.json()["state"] == "returned" and returned.json()["return_count"] == 1
    again = act(committee, pk, "reassign", department_id=world.other_department.pk)
    assert again.json()["department_id"] == world.other_department.pk
    # The appeal has left the handler's department: it is out of their scope now.
    assert handler.get(f"/appeals/{pk}").status_code == 404


def test_a_leader_assigns_on_site(api, cast, world, new_appeal):  # noqa: F811
    PublicOffice.objects.create(person=world.person_b, title="市长", is_city_leader=True, since=date(2020, 1, 1))
    appeal = new_appeal()
    leader = api(cast.leader)
    missing = act(leader, appeal.pk, "assign_on_site", leader_id=world.person_b.pk, place="民营企业座谈会",
                  on=date.today().isoformat())
    assert missing.status_code == 422 and missing.json()["error"]["fields"]["department_id"] == ["请为该诉求选择承办单位"]
    not_leader = act(leader, appeal.pk, "assign_on_site", leader_id=world.person_a.pk, place="座谈会",
                     on=date.today().isoformat(), department_id=world.department.pk)
    assert not_leader.status_code == 422 and "leader_id" in not_leader.json()["error"]["fields"]
    done = act(leader, appeal.pk, "assign_on_site", leader_id=world.person_b.pk, place="民营企业座谈会",
               on=timezone.localdate().isoformat(), department_id=world.department.pk)
    assert done.status_code == 200, done.content
    assert (done.json()["state"], done.json()["assigned_by"], done.json()["assigned_place"]) == (
        "assigned", world.person_b.name, "民营企业座谈会")


# --- the page's rules on every action ------------------------------------------------------------


def test_a_role_the_table_does_not_allow_gets_403_and_nothing_changes(api, cast, world, new_appeal,  # noqa: F811
                                                                       advance):  # noqa: F811
    appeal = new_appeal(collected_by=world.member_a)
    refused = act(api(cast.member_a), appeal.pk, "accept")
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "member_a无权执行“受理”"
    advance(appeal, "assigned")
    assert act(api(cast.committee), appeal.pk, "sign").status_code == 403  # the department's step
    assert act(api(cast.leader), appeal.pk, "approve_extension").status_code == 403
    assert api(cast.sysadmin).post(f"/appeals/{appeal.pk}/actions/sign",
                                   {"seen_updated_at": timezone.now().isoformat()}).status_code == 403
    assert api(cast.secretary_b).post(f"/appeals/{appeal.pk}/actions/sign",
                                      {"seen_updated_at": timezone.now().isoformat()}).status_code == 404
    assert events(appeal.pk) == ["accept", "assign"]


def test_a_handler_of_another_department_cannot_act(api, cast, world, new_appeal, advance):  # noqa: F811
    from tests.conftest import make_user

    other = make_user("handler_other", "handler", department=world.other_department)
    appeal = advance(new_appeal(), "assigned")
    assert api(other).get(f"/appeals/{appeal.pk}").status_code == 404


def test_a_stale_read_gets_409_and_nothing_is_done(api, cast, world, new_appeal):  # noqa: F811
    appeal = new_appeal()
    committee = api(cast.committee)
    seen = committee.get(f"/appeals/{appeal.pk}").json()["updated_at"]
    # Someone else accepts it meanwhile (on the page).
    assert committee.post(f"/appeals/{appeal.pk}/actions/accept", {"seen_updated_at": seen}).status_code == 200
    late = committee.post(f"/appeals/{appeal.pk}/actions/decline",
                          {"seen_updated_at": seen, "ground": "outside_remit"})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "conflict"
    assert late.json()["error"]["message"].startswith("该诉求已被他人处理为“已受理”，您的操作未执行")
    appeal.refresh_from_db()
    assert appeal.state == "accepted" and appeal.decline_reason == ""
    assert events(appeal.pk) == ["accept"]


def test_an_action_the_state_does_not_allow_is_a_409(api, cast, world, new_appeal):  # noqa: F811
    appeal = new_appeal()
    committee = api(cast.committee)
    act(committee, appeal.pk, "accept")
    again = act(committee, appeal.pk, "accept")
    assert again.status_code == 409
    assert again.json()["error"]["message"] == "当前状态为“已受理”，不能执行“受理”"
    assert events(appeal.pk) == ["accept"]


@pytest.mark.parametrize(("action", "body", "field", "message"), [
    ("return", {"reason": "不属于本单位职责"}, "basis", "请填写退回依据"),
    ("request_extension", {"days": 0, "reason": "需省厅协调"}, "days", "确保该值大于或等于1。"),
    ("request_extension", {"days": 61, "reason": "需省厅协调"}, "days", "确保该值小于或等于60。"),
    ("request_extension", {"days": 2}, "reason", "请填写延期理由（将告知企业）"),
    ("reply", {"reply": "  "}, "reply", "请填写答复内容"),
])
def test_rule_breaking_input_is_a_422_naming_the_field(api, cast, world, new_appeal, advance,  # noqa: F811
                                                       action, body, field, message):
    appeal = advance(new_appeal(), "handling")
    response = act(api(cast.handler), appeal.pk, action, **body)
    assert response.status_code == 422
    assert response.json()["error"]["fields"][field] == [message]
    appeal.refresh_from_db()
    assert appeal.state == "handling" and appeal.return_count == 0 and appeal.requested_extension_days == 0


def test_decline_needs_its_ground_and_committee_close_needs_a_note(api, cast, world, new_appeal):  # noqa: F811
    appeal = new_appeal()
    response = act(api(cast.committee), appeal.pk, "decline")
    assert response.status_code == 422 and response.json()["error"]["fields"] == {"ground": ["请选择不予受理的情形"]}
    other = act(api(cast.committee), appeal.pk, "decline", ground="other")
    assert other.json()["error"]["fields"] == {"reason": ["选择“其他”时请填写不予受理的理由"]}
    done = act(api(cast.committee), appeal.pk, "decline", ground="legal_process", reason="已进入仲裁")
    assert done.json()["decline_reason"] == "已进入诉讼、仲裁、行政复议等程序：已进入仲裁"


def test_malformed_requests_are_400(api, cast, world, new_appeal):  # noqa: F811
    appeal = new_appeal()
    committee = api(cast.committee)
    no_seen = committee.post(f"/appeals/{appeal.pk}/actions/accept", {})
    assert no_seen.status_code == 400 and no_seen.json()["error"]["fields"]["seen_updated_at"] == ["必填"]
    unknown = committee.post(f"/appeals/{appeal.pk}/actions/approve_everything",
                             {"seen_updated_at": timezone.now().isoformat()})
    assert unknown.status_code == 400
    far = committee.post(f"/appeals/{appeal.pk}/actions/accept", {"seen_updated_at": "9999-12-31T23:59:59Z"})
    assert far.status_code == 400
    assert committee.get("/appeals/99999999999999999999999").status_code == 400
    assert committee.get("/appeals", {"state": "lost"}).status_code == 400


# --- reading appeals -------------------------------------------------------------------------------


def test_the_contact_phone_is_masked_for_everyone(api, cast, world, advance):  # noqa: F811
    appeal = intake.intake_submit(actor=Actor.public(), enterprise=world.ent_a, key="phone-key-0001",
                                  values={"contact_name": "刘经理", "contact_phone": PHONE, "contact_consent": True,
                                          "category": "logistics", "kind": "coordination", "title": "通行证"}).appeal
    advance(appeal, "assigned")
    for user in (cast.committee, cast.handler, cast.secretary_a):
        response = api(user).get(f"/appeals/{appeal.pk}")
        assert response.json()["contact_phone"] == "138****5678"
        assert PHONE not in response.content.decode()
    assert "tracking_token" not in response.json()


def test_each_role_lists_the_appeals_of_its_scope(api, cast, world, new_appeal, advance):  # noqa: F811
    a_assigned = advance(new_appeal(title="A交办", collected_by=world.member_a), "assigned")
    a_new = new_appeal(title="A新收")
    b_new = new_appeal(enterprise=world.ent_b, title="B新收")

    def titles(user):
        return {i["title"] for i in api(user).get("/appeals").json()["items"]}

    assert titles(cast.committee) == titles(cast.leader) == {a_assigned.title, a_new.title, b_new.title}
    assert titles(cast.secretary_a) == titles(cast.instructor) == {a_assigned.title, a_new.title}
    assert titles(cast.secretary_b) == {b_new.title}
    assert titles(cast.member_a) == {a_assigned.title}
    assert titles(cast.handler) == {a_assigned.title}
    assert api(cast.auditadmin).get("/appeals").status_code == 403
    assert api(None).get("/appeals").status_code == 401
    assert api(cast.secretary_b).get(f"/appeals/{a_new.pk}").status_code == 404


def test_appeal_filters_mirror_the_list_page(api, cast, world, new_appeal, advance):  # noqa: F811
    late = advance(new_appeal(title="逾期的", category="funding"), "signed",
                   when=datetime(2022, 3, 1, 10, tzinfo=SHANGHAI))
    new = new_appeal(title="新收的")
    other_dept = new_appeal(title="别的单位")
    advance(other_dept, "accepted")
    from fourfirsts.service.services import appeals as services

    services.appeal_assign(appeal=other_dept, department=world.other_department, actor=SYSTEM)
    committee = api(cast.committee)

    def titles(**query):
        response = committee.get("/appeals", query)
        assert response.status_code == 200, response.content
        return {i["title"] for i in response.json()["items"]}

    assert titles(state="collected") == {new.title}
    assert titles(category="funding") == {late.title}
    assert titles(overdue="true") == {late.title}
    assert titles(department_id=world.other_department.pk) == {other_dept.title}
    assert titles(waiting="true") == {new.title}
    assert titles(nature="blockage") == {late.title, new.title, other_dept.title}
    assert titles(q="逾期") == {late.title}
    assert titles(q="hnah") == {late.title, new.title, other_dept.title}  # the enterprise's initials
    assert titles(year=2021) == set()
    item = next(i for i in committee.get("/appeals").json()["items"] if i["title"] == late.title)
    assert item["overdue"] and item["state_label"] == "已签收" and item["enterprise_name"] == world.ent_a.name


def test_appeals_page_by_cursor_and_sync_by_updated_since(api, cast, world, new_appeal):  # noqa: F811
    made = [new_appeal(title=f"诉求{n}") for n in range(5)]
    committee = api(cast.committee)
    first = committee.get("/appeals", {"limit": 2}).json()
    second = committee.get("/appeals", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = committee.get("/appeals", {"limit": 2, "cursor": second["next_cursor"]}).json()
    ids = [i["id"] for page in (first, second, third) for i in page["items"]]
    assert ids == [a.pk for a in made] and third["next_cursor"] is None

    mark = timezone.now()
    act(committee, made[1].pk, "accept")
    changed = committee.get("/appeals", {"updated_since": mark.isoformat()}).json()
    assert [i["id"] for i in changed["items"]] == [made[1].pk]
    assert changed["items"][0]["state"] == "accepted"


@pytest.mark.parametrize("rows", [2, 20])
def test_appeal_list_and_detail_queries_are_bounded(api, cast, world, new_appeal, advance,  # noqa: F811
                                                    django_assert_max_num_queries, rows):
    for n in range(rows):
        advance(new_appeal(title=f"诉求{n}"), "assigned")
    secretary = api(cast.secretary_a)
    secretary.get("/appeals")  # the token's first use is written once a minute
    with django_assert_max_num_queries(7):
        assert len(secretary.get("/appeals").json()["items"]) == rows
    pk = Appeal.objects.first().pk
    with django_assert_max_num_queries(9):
        assert secretary.get(f"/appeals/{pk}").status_code == 200


def test_staff_intake_keeps_to_the_creators_scope(api, cast, world):
    body = {"enterprise_id": world.ent_a.pk, "category": "tax", "kind": "consultation", "title": "退税进度"}
    outside = api(cast.secretary_b).post("/appeals", body)
    assert outside.status_code == 422 and "enterprise_id" in outside.json()["error"]["fields"]
    assert api(cast.member_a).post("/appeals", body).status_code == 403
    assert api(cast.leader).post("/appeals", body).json()["error"]["message"] == "您的角色无权登记诉求"
    bad_phone = api(cast.committee).post("/appeals", {**body, "contact_phone": "12345"})
    assert bad_phone.status_code == 422 and "contact_phone" in bad_phone.json()["error"]["fields"]
    future = api(cast.committee).post("/appeals", {**body, "collected_at": (
        timezone.now() + timedelta(days=2)).isoformat()})
    assert future.status_code == 422 and "晚于现在" in future.json()["error"]["fields"]["collected_at"][0]
    assert not Appeal.objects.exists()


# --- visits ------------------------------------------------------------------------------------------


def test_a_member_logs_a_visit_and_its_problems_become_appeals(api, cast, world):
    member = api(cast.member_a)
    response = member.post("/visits", {
        "enterprise_id": world.ent_a.pk, "visitor_id": world.person_a.pk, "visited_on": "2022-09-01",
        "channel": "phone", "notes": "了解复工情况",
        "problems": [{"title": "融资难", "category": "funding", "kind": "coordination", "is_difficulty": True},
                     {"title": "招工难", "category": "factors", "kind": "report"}]})
    assert response.status_code == 201, response.content
    visit = response.json()
    assert visit["visitor_name"] == world.member_a.name  # a member logs their own visits, whatever they send
    assert visit["problem_count"] == 2 and [a["title"] for a in visit["appeals"]] == ["融资难", "招工难"]
    appeal = Appeal.objects.get(title="融资难")
    assert (appeal.channel, appeal.collected_by, appeal.visit_id, appeal.state) == (
        "visit", world.member_a, visit["id"], "collected")
    assert member.get(f"/appeals/{appeal.pk}").status_code == 200  # they collected it


def test_a_wrong_problem_row_saves_nothing(api, cast, world):
    response = api(cast.committee).post("/visits", {
        "enterprise_id": world.ent_a.pk, "visitor_id": world.member_a.pk, "visited_on": "2022-09-01",
        "problems": [{"title": "融资难", "category": "funding", "kind": "coordination"},
                     {"title": "", "category": "factors", "kind": "report"}]})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["problems.1.title"] == ["请填写问题标题"]
    future = api(cast.committee).post("/visits", {
        "enterprise_id": world.ent_a.pk, "visitor_id": world.member_a.pk,
        "visited_on": (timezone.localdate() + timedelta(days=1)).isoformat()})
    assert future.status_code == 422 and "visited_on" in future.json()["error"]["fields"]
    no_visitor = api(cast.committee).post("/visits", {"enterprise_id": world.ent_a.pk, "visited_on": "2022-09-01"})
    assert no_visitor.json()["error"]["fields"]["visitor_id"] == ["请选择走访人"]
    outside = api(cast.secretary_b).post("/visits", {"enterprise_id": world.ent_a.pk, "visitor_id": world.person_b.pk,
                                                     "visited_on": "2022-09-01"})
    assert outside.status_code == 422 and "enterprise_id" in outside.json()["error"]["fields"]
    assert not Visit.objects.exists() and not Appeal.objects.exists()


def _visit(world, visitor, enterprise, day=date(2022, 9, 1)):
    return visits.visit_create(actor=SYSTEM, values={"visitor": visitor, "enterprise": enterprise,
                                                     "channel": "on_site", "visited_on": day})


def test_each_role_lists_the_visits_of_its_scope_with_filters(api, cast, world):
    mine = _visit(world, world.member_a, world.ent_a, date(2022, 3, 1))
    theirs = _visit(world, world.person_a, world.ent_a, date(2021, 5, 1))
    b = _visit(world, world.person_b, world.ent_b)

    def ids(user, **query):
        return {i["id"] for i in api(user).get("/visits", query).json()["items"]}

    assert ids(cast.committee) == {mine.pk, theirs.pk, b.pk}
    assert ids(cast.secretary_a) == {mine.pk, theirs.pk}
    assert ids(cast.member_a) == {mine.pk}
    assert api(cast.handler).get("/visits").status_code == 403
    assert api(cast.member_a).get(f"/visits/{theirs.pk}").status_code == 404
    assert ids(cast.committee, year=2022) == {mine.pk, b.pk}
    assert ids(cast.committee, visitor_id=world.person_a.pk) == {theirs.pk}
    assert ids(cast.committee, start="2022-01-01", end="2022-06-30") == {mine.pk}
    assert ids(cast.committee, q="浙商") == {b.pk}


def test_visits_sync_with_tombstones_of_deleted_ones(api, cast, world):
    kept = _visit(world, world.member_a, world.ent_a)
    gone = _visit(world, world.member_a, world.ent_a)
    mark = timezone.now()
    visits.visit_delete(actor=Actor.of(cast.committee), visit=gone)
    visits.visit_update(actor=SYSTEM, visit=kept, values={"notes": "补记"})
    changed = api(cast.committee).get("/visits", {"updated_since": mark.isoformat()}).json()
    assert [i["id"] for i in changed["items"]] == [kept.pk]
    assert [d["id"] for d in changed["deleted"]] == [str(gone.pk)]


@pytest.mark.parametrize("rows", [2, 20])
def test_visit_list_queries_are_bounded(api, cast, world, django_assert_max_num_queries, rows):
    for __ in range(rows):
        _visit(world, world.member_a, world.ent_a)
    member = api(cast.member_a)
    member.get("/visits")
    with django_assert_max_num_queries(6):
        assert len(member.get("/visits").json()["items"]) == rows


# --- the public 营商码 --------------------------------------------------------------------------------


NOW = datetime(2022, 10, 17, 10, 30, tzinfo=SHANGHAI)


def set_rule(key, value):
    rules.setting_change(key=key, raw=str(value), effective_from=date(2020, 1, 1), actor=SYSTEM)


def test_public_intake_checks_as_the_page_does(api, world):
    wrong = submit(api, world, uscc="91431300MA4L99999X")
    assert wrong.status_code == 422 and "uscc" in wrong.json()["error"]["fields"]
    no_consent = submit(api, world, consent=False)
    assert no_consent.json()["error"]["fields"]["consent"][0].startswith("请勾选同意将联系方式提供给承办单位")
    bad_phone = submit(api, world, contact_phone="110")
    assert "contact_phone" in bad_phone.json()["error"]["fields"]
    assert api(None).post("/public/codes/forged/appeals", answers(world)).status_code == 404
    by_enterprise = api(None).post(f"/public/codes/{intake.code_token('e', world.ent_b.pk)}/appeals",
                                   answers(world, enterprise_name="", uscc=""))
    assert by_enterprise.status_code == 201 and by_enterprise.json()["enterprise_name"] == world.ent_b.name
    assert Appeal.objects.get().enterprise == world.ent_b


def test_public_intake_keeps_the_pages_rate_limits(api, world, settings):
    with time_machine.travel(NOW, tick=False):
        set_rule("service.intake_per_ip_hour", 2)
        for n in range(2):
            assert submit(api, world, key=f"api-key-limit-{n:04d}").status_code == 201
        limited = submit(api, world, key="api-key-limit-0009")
        assert limited.status_code == 429
        assert limited.json()["error"]["code"] == "throttled"
        assert limited.json()["error"]["message"].startswith("提交过于频繁")
        assert 1 <= int(limited["Retry-After"]) <= 3600  # the hour's window ends
        # A double submit at the limit still gets its acknowledgement.
        assert submit(api, world, key="api-key-limit-0001").status_code == 200
        settings.FOURFIRSTS_INTAKE_RATE_LIMITS = False
        assert submit(api, world, key="api-key-limit-0010").status_code == 201


def test_public_intake_limits_each_enterprise_per_day(api, world):
    with time_machine.travel(NOW, tick=False):
        set_rule("service.intake_per_enterprise_day", 1)
        assert submit(api, world, key="api-key-ent-0001").status_code == 201
        limited = submit(api, world, key="api-key-ent-0002", REMOTE_ADDR="10.0.0.9")
        assert limited.status_code == 429 and "贵企业今天提交的诉求已达上限" in limited.json()["error"]["message"]
        assert 1 <= int(limited["Retry-After"]) <= 86400  # tomorrow, local time


def test_lookup_by_ref_and_phone(api, world, settings):
    received = submit(api, world).json()
    public = api(None)
    found = public.post("/public/lookup", {"ref": received["ref"].lower(), "phone": "138 1234 5678"})
    assert found.status_code == 200, found.content
    assert found.json()["tracking_token"] == received["tracking_token"]
    assert found.json()["state_label"] == "已收集"
    assert public.post("/public/lookup", {"ref": received["ref"], "phone": "13900000000"}).status_code == 404
    with time_machine.travel(timezone.now(), tick=False):
        for __ in range(intake.LOOKUPS_PER_IP_HOUR):
            public.post("/public/lookup", {"ref": received["ref"], "phone": "13900000000"})
        assert public.post("/public/lookup", {"ref": received["ref"], "phone": PHONE}).status_code == 429


def test_rating_only_once_replied_and_unsatisfied_needs_a_reason(api, cast, world, advance):  # noqa: F811
    received = submit(api, world).json()
    token = received["tracking_token"]
    public = api(None)
    early = public.post(f"/public/track/{token}/rating", {"rating": "satisfied"})
    assert early.status_code == 409 and early.json()["error"]["message"] == "该诉求当前不能评价：已收集"
    advance(Appeal.objects.get(ref=received["ref"]), "replied")
    no_reason = public.post(f"/public/track/{token}/rating", {"rating": "unsatisfied"})
    assert no_reason.status_code == 422 and "note" in no_reason.json()["error"]["fields"]
    redo = public.post(f"/public/track/{token}/rating", {"rating": "unsatisfied", "note": "通行证仍未办下"})
    assert redo.json()["state"] == "handling"
    assert public.post(f"/public/track/{token}/rating", {"rating": "fair"}).status_code == 400
    assert public.get("/public/track/not-a-token").status_code == 404


def test_the_public_view_names_no_staff_and_no_phone(api, cast, world, advance):  # noqa: F811
    received = submit(api, world).json()
    advance(Appeal.objects.get(ref=received["ref"]), "returned")
    page = api(None).get(f"/public/track/{received['tracking_token']}")
    text = page.content.decode()
    assert page.status_code == 200
    assert "committee" not in text and "handler" not in text and "5678" not in text
    assert "不属于本单位职责" not in text  # the return reason is internal
    assert WorkflowEvent.objects.filter(action="return").exists()
