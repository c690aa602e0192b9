"""The 第一责任 pages: what a user sees, forms that keep bad input, and query
counts that stay flat as rows grow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fourfirsts.core import attachments
from fourfirsts.governance import services
from fourfirsts.governance.models import (
    REQUIRED_CLAUSES,
    Charter,
    Establishment,
    EstablishmentStep,
    Honour,
    InstructorLog,
    Support,
)
from fourfirsts.registry.models import AssociationStatus, InstructorAssignment, PartyOrg
from tests.conftest import make_association
from tests.governance.conftest import (
    SYSTEM,
    assign,
    cover,
    honour,
    make_org,
    new_association,
    set_status,
)


class Records:
    """A few of everything; `add(n)` adds n more rows to every list."""

    def __init__(self, world):
        self.w = world
        self.checklist = services.checklist_save(actor=SYSTEM, values={"name": "规范化建设", "year": 2022},
                                                 items=[("组织设置", Decimal(50)), ("三会一课", Decimal(50))])
        self.done = 0

    def add(self, n):
        w = self.w
        items = list(self.checklist.items.all())
        for i in range(self.done, self.done + n):
            a = new_association(f"娄底市测试商会{i}", status=AssociationStatus.Status.PREPARING)
            org = make_org(f"测试商会{i}党支部", established=date(2019, 1, 1), term_end=date(2023, 1, 1))
            cover(org, a, date(2019, 1, 1))
            assign(w.instructor, a, since=date(2022, 1, 1))
            honour(association=a, recognised_on=date(2022, 1, 1) + timedelta(days=i))
            honour(kind=Honour.Kind.BENCHMARK, level=Honour.Level.CITY, party_org=org)
            services.charter_save(actor=SYSTEM, values={"association": a, "version": "2021版",
                                                        "approved_on": date(2021, 5, 1)},
                                  clauses={c.value: "第3条" for c in REQUIRED_CLAUSES})
            est = services.establishment_create(actor=SYSTEM, values={
                "association": a, "registered_on": date(2022, 3, 1) + timedelta(days=i),
                "org_name": f"测试{i}", "org_kind": PartyOrg.Kind.BRANCH})
            services.establishment_step_record(actor=SYSTEM, establishment=est, step=EstablishmentStep.Step.SURVEY,
                                               done_on=date(2022, 3, 20))
            services.instructor_log_save(actor=SYSTEM, values={
                "assignment": w.instructor.instructor_assignments.get(association=w.assoc_a),
                "kind": InstructorLog.Kind.VISIT, "held_on": date(2022, 3, 1) + timedelta(days=i)})
            services.support_save(actor=SYSTEM, values={
                "party_org": w.org_a, "kind": Support.Kind.FUNDS, "amount": Decimal(100 + i), "purpose": "活动经费",
                "given_on": date(2022, 5, 1) + timedelta(days=i), "given_by": "商会"})
            services.assessment_save(actor=SYSTEM, values={"checklist": self.checklist, "party_org": org,
                                                           "assessed_on": date(2022, 12, 1)},
                                     scores={it.pk: (Decimal(i % 50), "台账") for it in items})
        self.done += n


PAGES = [
    ("governance:coverage", "committee", {"day": "2022-12-31"}),
    ("governance:coverage", "secretary_a", {}),
    ("governance:honour_list", "committee", {}),
    ("governance:honour_list", "member_a", {}),
    ("governance:establishment_list", "committee", {}),
    ("governance:charter_list", "committee", {"day": "2022-12-31"}),
    ("governance:instructor_list", "committee", {"first": "2022-01-01", "last": "2022-12-31"}),
    ("governance:instructor_list", "instructor", {"first": "2022-01-01", "last": "2022-12-31"}),
    ("governance:log_list", "instructor", {}),
    ("governance:org_checks", "committee", {"day": "2022-12-31"}),
    ("governance:checklist_list", "committee", {}),
    ("governance:support_list", "secretary_a", {}),
]


@pytest.mark.parametrize("name,who,query", PAGES)
def test_lists_make_the_same_queries_at_2_and_20_rows(world, cast, client_for, django_assert_max_num_queries,
                                                     name, who, query):
    records = Records(world)
    client = client_for(getattr(cast, who))
    url = reverse(name)
    client.get(url, query)
    counts = []
    for n in (2, 18):
        records.add(n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, query).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(25):
        client.get(url, query)


def test_checklist_detail_ranks_with_flat_queries(world, cast, client_for):
    records = Records(world)
    client = client_for(cast.committee)
    url = reverse("governance:checklist_detail", args=[records.checklist.pk])
    client.get(url)
    counts = []
    for n in (2, 18):
        records.add(n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_coverage_page_shows_each_association_and_the_rates(world, cast, client_for):
    page = client_for(cast.committee).get(reverse("governance:coverage"), {"day": "2022-12-31"}).content.decode()
    assert "娄底市长沙商会" in page and "仅选派指导员（工作覆盖）" in page
    assert "66.7%" in page and "100.0%" in page
    page = client_for(cast.secretary_a).get(reverse("governance:coverage"), {"day": "2022-12-31"}).content.decode()
    assert "娄底市浙江商会" not in page


def test_the_coverage_page_follows_a_change_of_the_registry_at_once(world, cast, client_for):

    client = client_for(cast.committee)
    assert "娄底市湖北商会" not in client.get(reverse("governance:coverage"), {"day": "2022-12-31"}).content.decode()
    make_association("娄底市湖北商会", founded=date(2020, 1, 1))  # its numbers are cached until the data moves
    page = client.get(reverse("governance:coverage"), {"day": "2022-12-31"}).content.decode()
    assert "娄底市湖北商会" in page and "未覆盖" in page


def test_the_committee_records_an_honour_and_bad_input_is_kept(world, cast, client_for):
    client = client_for(cast.committee)
    data = {"kind": "benchmark", "level": "national", "party_org": world.org_a.pk, "stage": "recognised",
            "recognised_on": "2022-07-01", "cycle": "2022年度", "title": ""}
    response = client.post(reverse("governance:honour_create"), data)
    assert response.status_code == 200
    assert "标杆示范党组织只有省级和市级" in response.content.decode()
    assert 'value="2022年度"' in response.content.decode()
    assert not Honour.objects.exists()
    response = client.post(reverse("governance:honour_create"), {**data, "level": "provincial"})
    h = Honour.objects.get()
    assert response.url == reverse("governance:honour_detail", args=[h.pk])
    assert "娄底市安徽商会党支部" in client.get(response.url).content.decode()


def test_establishment_founding_through_the_page_creates_the_org(world, cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(cast.committee)
    prep = new_association("娄底经开区电力局协会", founded=date(2022, 3, 1), status=AssociationStatus.Status.PREPARING)
    response = client.post(reverse("governance:establishment_create"), {
        "association": prep.pk, "registered_on": "2022-03-01", "org_name": "娄底经开区电力局协会党支部",
        "org_kind": "branch", "parent": world.committee_org.pk})
    est = Establishment.objects.get()
    url = reverse("governance:establishment_detail", args=[est.pk])
    assert response.url == url
    response = client.post(url, {"step": "approval", "done_on": "2022-03-02"})
    assert "请先完成" in response.content.decode() and 'value="2022-03-02"' in response.content.decode()
    for step, day in (("commitment", "2022-03-02"), ("survey", "2022-03-07"), ("approval", "2022-04-01"),
                      ("transfer", "2022-04-20")):
        assert client.post(url, {"step": step, "done_on": day}).status_code == 302
    response = client.post(url, {"step": "founding", "done_on": "2022-05-20"})
    assert "状态为“正常”" in response.content.decode() and not Establishment.objects.get().party_org_id
    set_status(prep, AssociationStatus.Status.ACTIVE, date(2022, 5, 1))
    upload = SimpleUploadedFile("选举结果.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client.post(url, {"step": "founding", "done_on": "2022-05-20", "attachment": upload}).status_code == 302
    est.refresh_from_db()
    assert est.party_org.name == "娄底经开区电力局协会党支部"
    founding = est.steps.get(step="founding")
    assert attachments.attachments_of(founding).count() == 1
    page = client.get(reverse("governance:establishment_list")).content.decode()
    assert "5/5" in page


def test_a_charter_with_its_file_and_clauses(world, cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(cast.committee)
    upload = SimpleUploadedFile("章程.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    data = {"association": world.assoc_a.pk, "version": "2022版", "approved_on": "2022-05-01",
            "clause_leadership": "第三条", "clause_party_org": "第四条", "attachment": upload}
    response = client.post(reverse("governance:charter_create"), data)
    charter = Charter.objects.get()
    assert response.url == reverse("governance:charter_detail", args=[charter.pk])
    assert attachments.attachments_of(charter).count() == 1
    page = client.get(reverse("governance:charter_list"), {"day": "2022-12-31"}).content.decode()
    assert "支持党组织开展活动" in page  # a missing clause is listed
    response = client.post(reverse("governance:charter_create"), {**data, "approved_on": "", "attachment": ""})
    assert response.status_code == 200 and 'value="第三条"' in response.content.decode()


def test_an_instructor_logs_their_own_work(world, cast, client_for):
    client = client_for(cast.instructor)
    own = InstructorAssignment.objects.get(person=world.instructor, association=world.assoc_a)
    response = client.post(reverse("governance:log_create"), {"assignment": own.pk, "kind": "visit",
                                                               "held_on": "2022-03-03", "notes": "走访"})
    assert response.status_code == 302
    other = assign(new_person("钱指导"), world.assoc_b)
    response = client.post(reverse("governance:log_create"), {"assignment": other.pk, "kind": "visit",
                                                               "held_on": "2022-03-03", "notes": "走访"})
    assert response.status_code == 200 and InstructorLog.objects.count() == 1  # not among their choices
    page = client.get(reverse("governance:instructor_list"), {"first": "2022-03-01", "last": "2022-03-31"})
    assert "娄底市安徽商会" in page.content.decode()


def new_person(name):
    from tests.conftest import make_person

    return make_person(name)


def test_assigning_a_sixth_association_shows_a_warning(world, cast, client_for):
    client = client_for(cast.committee)
    for i in range(4):
        assign(world.instructor, new_association(f"娄底市商会{i}"), since=date(2022, 1, 1))
    a = new_association("娄底市第六商会")
    response = client.post(reverse("governance:assignment_create"), {
        "person": world.instructor.pk, "association": a.pk, "since": "2022-06-01"}, follow=True)
    assert "超过 5 家的建议上限" in response.content.decode()


def test_the_registry_assignment_screen_warns_of_a_sixth_association_as_governance_does(world, cast, client_for):
    client = client_for(cast.committee)
    for i in range(2):  # with the world's two: four
        assign(world.instructor, new_association(f"娄底市商会{i}"), since=date(2022, 1, 1))
    url = reverse("registry:instructor_assignment_create")
    for name, warned in (("娄底市第五商会", False), ("娄底市第六商会", True)):
        a = new_association(name)
        response = client.post(f"{url}?association={a.pk}", {
            "person": world.instructor.pk, "association": a.pk, "since": "2022-06-01"}, follow=True)
        saved = InstructorAssignment.objects.get(person=world.instructor, association=a)  # saved either way
        page = response.content.decode()
        assert response.redirect_chain[-1][0] == reverse("registry:instructor_assignment_detail", args=[saved.pk])
        assert "党建工作指导员已保存" in page
        assert ("赵指导 已联系 6 家商协会，超过 5 家的建议上限" in page) is warned
    assert services.instructor_load_warning(saved) == "赵指导 已联系 6 家商协会，超过 5 家的建议上限"


def _f16_pages(client, year):
    tile = client.get(reverse("reports:dashboard"), {"year": year}).content.decode()
    tile = tile[tile.index('id="tile-F16"'):]
    tile = tile[:tile.index("</a>")]
    figure = client.get(reverse("reports:figure", args=["F16"]), {"year": year}).content.decode()
    return tile, figure


def test_the_committee_sees_f16_change_on_the_dashboard_and_drill_down_after_founding(world, cast, client_for):
    client = client_for(cast.committee)
    prep = new_association("娄底经开区电力局协会", founded=date(2022, 3, 1), status=AssociationStatus.Status.PREPARING)
    est = services.establishment_create(actor=SYSTEM, values={
        "association": prep, "registered_on": date(2022, 3, 1), "org_name": "娄底经开区电力局协会党支部",
        "org_kind": PartyOrg.Kind.BRANCH, "parent": world.committee_org})
    for step, day in (("commitment", date(2022, 3, 2)), ("survey", date(2022, 3, 7)),
                      ("approval", date(2022, 4, 1)), ("transfer", date(2022, 4, 20))):
        services.establishment_step_record(actor=SYSTEM, establishment=est, step=step, done_on=day)
    set_status(prep, AssociationStatus.Status.ACTIVE, date(2022, 5, 1))

    tile, figure = _f16_pages(client, 2022)
    assert ">0家<" in tile and "娄底经开区电力局协会" not in tile
    assert 'id="figure-display">0家<' in figure and 'id="figure-empty"' in figure
    assert "娄底经开区电力局协会" not in figure

    url = reverse("governance:establishment_detail", args=[est.pk])
    assert client.post(url, {"step": "founding", "done_on": "2022-05-20"}).status_code == 302
    tile, figure = _f16_pages(client, 2022)
    assert ">1家<" in tile and "较上年 +1家" in tile
    assert 'id="figure-display">1家<' in figure
    records = figure[figure.index('id="figure-records"'):]
    assert "<td>娄底经开区电力局协会</td><td>2022年5月20日</td>" in records
    assert "娄底经开区电力局协会" in figure[:figure.index('id="figure-records"')]  # the names line


def test_assessment_page_records_scores_and_keeps_bad_input(world, cast, client_for):
    client = client_for(cast.committee)
    response = client.post(reverse("governance:checklist_create"), {"name": "规范化建设", "year": 2022,
                                                                    "items": "组织设置,50\n三会一课，50"})
    checklist = services.Checklist.objects.get()
    assert response.url == reverse("governance:checklist_detail", args=[checklist.pk])
    items = list(checklist.items.all())
    url = reverse("governance:assessment_create", args=[checklist.pk])
    data = {"party_org": world.org_a.pk, "assessed_on": "2022-12-01", f"score_{items[0].pk}": "60",
            f"score_{items[1].pk}": "40", f"evidence_{items[1].pk}": "会议记录"}
    response = client.post(url, data)
    assert response.status_code == 200 and "得分应在 0 到 50" in response.content.decode()
    assert 'value="会议记录"' in response.content.decode()
    assert client.post(url, {**data, f"score_{items[0].pk}": "45"}).status_code == 302
    assert "85" in client.get(reverse("governance:checklist_detail", args=[checklist.pk])).content.decode()
    response = client.post(reverse("governance:checklist_create"), {"name": "x", "year": 2022, "items": "没有分值"})
    assert "第1行" in response.content.decode()


def test_the_menu_shows_the_entry_to_readers_only(world, cast, client_for):
    assert reverse("governance:coverage") in client_for(cast.secretary_a).get(reverse("core:home")).content.decode()
    assert reverse("governance:coverage") not in client_for(cast.handler).get(reverse("core:home")).content.decode()


def test_the_coverage_table_comes_a_page_at_a_time_and_shows_the_uncovered_alone(world, cast, client_for,
                                                                              monkeypatch):
    from fourfirsts.governance import views

    monkeypatch.setattr(views, "COVERAGE_PAGE_SIZE", 2)  # a province's 3,000 associations, in small
    client = client_for(cast.committee)
    url = reverse("governance:coverage")
    first = client.get(url, {"day": "2022-12-31"}).content.decode()
    assert "第 1 / 2 页" in first and "page=2" in first and "66.7%" in first
    second = client.get(url, {"day": "2022-12-31", "page": 2}).content.decode()
    names = [a.name for a in (world.assoc_a, world.assoc_b, world.assoc_c)]
    assert sum(n in first for n in names) == 2 and sum(n in second for n in names) == 1
    assert "66.7%" in second  # the rates are the whole federation's on every page
    make_association("娄底市湖北商会", founded=date(2020, 1, 1))
    only = client.get(url, {"day": "2022-12-31", "uncovered": "1"}).content.decode()
    assert "娄底市湖北商会" in only and not any(n in only for n in names)
    assert "第 1 / 2 页" not in only
