"""The 第一身份 pages as a user meets them: what they list, what a secretary
records and confirms, what a member reports from a phone, and a fixed number
of queries whatever the rows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fourfirsts.core import attachments
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Attachment
from fourfirsts.volunteering import services
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    Participation,
    Payment,
    Project,
    Village,
)
from tests.conftest import make_person
from tests.volunteering.conftest import (
    SYSTEM,
    donate,
    kind,
    make_activity,
    make_pairing,
    make_project,
    make_village,
    pay,
)


class Records:
    """Rows of every kind, added n at a time (each page's rows grow together)."""

    def __init__(self, world, member):
        self.world, self.member = world, member
        self.village = make_village(weak=[(2020, None)])
        self.pairing = make_pairing(self.village, world.assoc_a, world.ent_a, on=date(2020, 3, 1),
                                    way=Pairing.Way.GROUP)
        services.pairing_save(actor=SYSTEM, values={}, pairing=self.pairing, group=[world.ent_b])
        self.project = make_project(self.pairing, starts=date(2020, 4, 1), posted_member=world.person_a)
        self.activity = make_activity(world.org_a, held=date(2022, 5, 1), hours=Decimal(2))
        self.done = 0

    def add(self, n):
        w = self.world
        for i in range(self.done, self.done + n):
            day = date(2021, 1, 1) + timedelta(days=i)
            a = make_activity(w.org_a, held=day, hours=Decimal(2), participants=[w.person_a], title=f"活动{i}")
            services.participation_report(actor=Actor.of(self.member), activity=a, hours=Decimal(1),
                                          today=date(2026, 11, 27))
            v = make_village(f"村{i}", township="测试镇", weak=[(2019, None)])
            p = make_pairing(v, w.assoc_a, w.ent_a, on=date(2021, 1, 1))
            make_project(p, f"项目{i}", starts=date(2021, 2, 1))
            make_pairing(self.village, w.assoc_a, w.ent_b, on=date(2021, 1, 1) + timedelta(days=i))
            make_project(self.pairing, f"石井项目{i}", starts=date(2021, 2, 1))
            pay(self.project, 1000 + i, date(2021, 1, 1) + timedelta(days=i))
            services.participation_report(actor=SYSTEM, activity=self.activity, person=make_person(f"志愿者{i}"),
                                          hours=Decimal(1), today=date(2026, 11, 27))
            donate(amount=100 + i, org=w.org_a, enterprise=w.ent_a, on=day)
            donate(Donation.Kind.HARDSHIP, amount=100, org=w.org_a, on=day, donor_kind=Donation.DonorKind.PERSON,
                   donor_person=w.person_a)
        self.done += n


PAGES = [
    ("volunteering:activity_list", None, "secretary_a"),
    ("volunteering:activity_list", None, "member_a"),
    ("volunteering:activity_detail", "activity", "secretary_a"),
    ("volunteering:my_hours", None, "member_a"),
    ("volunteering:confirm_queue", None, "secretary_a"),
    ("volunteering:confirm_queue", None, "committee"),
    ("volunteering:village_list", None, "committee"),
    ("volunteering:village_detail", "village", "secretary_a"),
    ("volunteering:project_detail", "project", "secretary_a"),
    ("volunteering:project_list", None, "secretary_a"),
    ("volunteering:project_edit", "project", "committee"),
    ("volunteering:pairing_edit", "pairing", "committee"),
    ("volunteering:donation_list", None, "committee"),
    ("volunteering:donation_create", None, "secretary_a"),
    ("volunteering:activity_create", None, "secretary_a"),
]


@pytest.mark.parametrize("name,arg,who", PAGES)
def test_pages_make_the_same_queries_at_2_and_20_rows(world, cast, client_for, django_assert_max_num_queries,
                                                      name, arg, who):
    records = Records(world, cast.member_a)
    client = client_for(getattr(cast, who))
    url = reverse(name, args=[getattr(records, arg).pk] if arg else [])
    client.get(url)  # warm the content-type cache
    counts = []
    for n in (2, 18):  # 2, then 20 rows
        records.add(n)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(20):
        client.get(url)


def test_a_secretary_records_an_activity_with_participants_and_photos(world, cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(cast.secretary_a)
    data = {"kind": kind(ActivityKind.BEND_DOWN).pk, "title": "进社区弯腰行动", "party_org": world.org_a.pk,
            "held_on": "2022-06-05", "place": "乐坪街道", "hours": "30", "participants": [world.member_a.pk]}
    bad = client.post(reverse("volunteering:activity_create"), data)
    assert bad.status_code == 200
    assert "服务时长不能超过一天24小时" in bad.text and "进社区弯腰行动" in bad.text  # the input is kept
    assert not Activity.objects.exists()
    photo = SimpleUploadedFile("现场.jpg", b"\xff\xd8\xff\xe0 jpeg", content_type="image/jpeg")
    ok = client.post(reverse("volunteering:activity_create"), {**data, "hours": "3", "attachment": photo})
    activity = Activity.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("volunteering:activity_detail", args=[activity.pk])
    assert [a.name for a in attachments.attachments_of(activity)] == ["现场.jpg"]
    page = client.get(ok["Location"]).text
    assert "王会员" in page and "已确认" in page and "现场.jpg" in page
    # Adding a person on the detail page.
    added = client.post(ok["Location"], {"person": world.person_a.pk, "hours": "2.5"})
    assert added.status_code == 302
    assert Participation.objects.get(person=world.person_a).hours == Decimal("2.5")
    # A member reads it, without the form to add people.
    member_page = client_for(cast.member_a).get(ok["Location"]).text
    assert "进社区弯腰行动" in member_page and "登记参加人员" not in member_page


def test_a_member_reports_hours_from_the_phone_and_the_secretary_confirms(world, cast, client_for):
    activity = make_activity(world.org_a, held=date(2022, 5, 10))
    make_activity(world.org_b, held=date(2022, 5, 10), title="浙江商会活动")
    member = client_for(cast.member_a)
    page = member.get(reverse("volunteering:my_hours")).text
    assert "文明交通劝导" in page and "浙江商会活动" not in page  # only their org's activities to choose from
    bad = member.post(reverse("volunteering:my_hours"), {"activity": activity.pk, "hours": "0", "note": "路口值守"})
    assert "路口值守" in bad.text and not Participation.objects.exists()
    ok = member.post(reverse("volunteering:my_hours"), {"activity": activity.pk, "hours": "2.5", "note": "路口值守"})
    assert ok.status_code == 302
    row = Participation.objects.get()
    assert (row.person, row.status) == (world.member_a, Participation.Status.REPORTED)
    assert "待确认" in member.get(reverse("volunteering:my_hours")).text
    # B's secretary does not see it; A's does.
    assert "王会员" not in client_for(cast.secretary_b).get(reverse("volunteering:confirm_queue")).text
    secretary = client_for(cast.secretary_a)
    assert "王会员" in secretary.get(reverse("volunteering:confirm_queue")).text
    refused = secretary.post(reverse("volunteering:confirm_queue"), {"row": row.pk, "action": "reject", "reason": ""})
    assert "请填写未通过的原因" in refused.text
    assert client_for(cast.secretary_b).post(reverse("volunteering:confirm_queue"), {"row": row.pk}).status_code == 404
    secretary = client_for(cast.secretary_a)
    assert secretary.post(reverse("volunteering:confirm_queue"), {"row": row.pk, "action": "confirm"}).status_code == 302
    row.refresh_from_db()
    assert row.status == Participation.Status.CONFIRMED
    assert "已确认服务时长 2.5 小时（1 次）" in client_for(cast.member_a).get(reverse("volunteering:my_hours")).text


def test_villages_pairings_projects_and_payments_through_the_pages(world, cast, client_for):
    client = client_for(cast.secretary_a)
    created = client.post(reverse("volunteering:village_create"), {
        "province": "湖南省", "city": "娄底市", "county": "新化县", "township": "琅塘镇", "name": "石井村"})
    village = Village.objects.get()
    assert created["Location"] == reverse("volunteering:village_detail", args=[village.pk])
    paired = client.post(reverse("volunteering:pairing_create", args=[village.pk]), {
        "way": "enterprise", "association": world.assoc_a.pk, "enterprise": world.ent_a.pk,
        "paired_on": "2021-03-01"})
    assert paired.status_code == 302
    # Once A's association pairs the village, A's secretary keeps its weak years; B's may not.
    assert client_for(cast.secretary_b).post(created["Location"], {"since_year": "2019"}).status_code == 403
    client = client_for(cast.secretary_a)
    client.post(created["Location"], {"since_year": "2020", "until_year": ""})
    assert village.weak_years.get().since_year == 2020
    pairing = Pairing.objects.get()
    bad = client.post(reverse("volunteering:project_create", args=[pairing.pk]), {
        "name": "油茶种植基地", "klass": "business", "tag": "industry", "starts_on": "2021-02-01", "status": "ongoing",
        "planned_funds": "500000", "goods_value": "0", "jobs_fixed": "12", "jobs_temporary": "30",
        "households": "45", "income_increase": "80000"})
    assert "项目开始日期不能早于结对日期（2021-03-01）" in bad.text and "油茶种植基地" in bad.text
    made = client.post(reverse("volunteering:project_create", args=[pairing.pk]), {
        "name": "油茶种植基地", "klass": "business", "tag": "industry", "starts_on": "2021-04-01", "status": "ongoing",
        "planned_funds": "500000", "goods_value": "0", "jobs_fixed": "12", "jobs_temporary": "30",
        "households": "45", "income_increase": "80000", "benefit_link": "wages",
        "enterprise": world.ent_a.pk})
    project = Project.objects.get()
    assert made["Location"] == reverse("volunteering:project_detail", args=[project.pk])
    assert project.enterprise == world.ent_a and project.jobs_fixed == 12
    client.post(made["Location"], {"paid_on": "2021-05-01", "amount": "200000", "note": "首期"})
    client.post(made["Location"], {"paid_on": "2021-08-01", "amount": "100000"})
    page = client.get(made["Location"]).text
    assert "300000.00" in page and "首期" in page
    assert list(Payment.objects.values_list("amount", flat=True)) == [Decimal(200000), Decimal(100000)]
    detail = client.get(reverse("volunteering:village_detail", args=[village.pk])).text
    assert "湖南安徽建材有限公司" in detail and "油茶种植基地" in detail
    ledger = client.get(reverse("volunteering:project_list"), {"tag": "industry"}).text
    assert "油茶种植基地" in ledger and ">300000" in ledger
    assert "油茶种植基地" not in client.get(reverse("volunteering:project_list"), {"tag": "culture"}).text
    # B's secretary reads the village but not A's pairing and project.
    other = client_for(cast.secretary_b)
    assert "油茶种植基地" not in other.get(reverse("volunteering:village_detail", args=[village.pk])).text
    assert other.get(made["Location"]).status_code == 404


def test_a_keeper_attaches_evidence_to_a_project_that_readers_in_scope_download(world, cast, client_for, settings,
                                                                               tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    pairing = make_pairing(make_village(), world.assoc_a, world.ent_a)
    client = client_for(cast.secretary_a)
    create = reverse("volunteering:project_create", args=[pairing.pk])
    data = {"name": "油茶种植基地", "klass": "business", "tag": "industry", "starts_on": "2021-04-01",
            "status": "ongoing", "planned_funds": "500000", "goods_value": "0", "jobs_fixed": "12",
            "jobs_temporary": "30", "households": "45", "income_increase": "80000", "benefit_link": "wages",
            "enterprise": world.ent_a.pk}
    # A file of a refused type or size: a message naming the field and the file, the input kept, nothing saved.
    for upload, message in (
        (SimpleUploadedFile("验收报告.exe", b"MZ", content_type="application/octet-stream"),
         "佐证材料“验收报告.exe”的类型不允许，只能上传"),
        (SimpleUploadedFile("验收报告.pdf", b"%PDF" + b"0" * 1024 * 1024, content_type="application/pdf"),
         "佐证材料“验收报告.pdf”超过 1MB 的大小限制"),
    ):
        bad = client.post(create, {**data, "attachment": upload})
        assert bad.status_code == 200
        assert message in bad.text and "油茶种植基地" in bad.text
        assert not Project.objects.exists() and not Attachment.objects.exists()
    assert not [f for f in tmp_path.rglob("*") if f.is_file()]
    evidence = SimpleUploadedFile("验收报告.pdf", b"%PDF-1.4 acceptance", content_type="application/pdf")
    made = client.post(create, {**data, "attachment": evidence})
    project = Project.objects.get()
    assert made["Location"] == reverse("volunteering:project_detail", args=[project.pk])
    [saved] = attachments.attachments_of(project)
    assert (saved.name, saved.purpose) == ("验收报告.pdf", "evidence")
    download = reverse("core:attachment", args=[saved.token])
    # A later refused file on the edit page keeps the project as it was.
    edit = reverse("volunteering:project_edit", args=[project.pk])
    bad = client.post(edit, {**data, "progress": "已挂果", "attachment": SimpleUploadedFile(
        "进展.exe", b"MZ", content_type="application/octet-stream")})
    assert "佐证材料“进展.exe”的类型不允许" in bad.text
    project.refresh_from_db()
    assert project.progress == "" and attachments.attachments_of(project).count() == 1
    # The instructor of A's association reads the project, sees the file and downloads it.
    reader = client_for(cast.instructor)
    page = reader.get(made["Location"]).text
    assert "佐证材料" in page and "验收报告.pdf" in page and download in page
    got = reader.get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 acceptance"
    assert got["Content-Type"] == "application/pdf" and "attachment" in got["Content-Disposition"]
    # B's secretary neither reads the project nor downloads its file.
    other = client_for(cast.secretary_b)
    assert other.get(made["Location"]).status_code == 404
    assert other.get(download).status_code == 404


def test_donations_are_listed_in_scope_and_recorded_without_personal_data(world, cast, client_for):
    donate(amount=20000, org=world.org_b, enterprise=world.ent_b)
    client = client_for(cast.secretary_a)
    data = {"kind": "education_aid", "donor_kind": "enterprise", "donor_enterprise": world.ent_a.pk,
            "recipient": "学生 430102197505041234", "amount": "30000", "goods_value": "0",
            "donated_on": "2022-09-01", "party_org": world.org_a.pk}
    bad = client.post(reverse("volunteering:donation_create"), data)
    assert "受助对象不能写身份证号或手机号" in bad.text and not Donation.objects.filter(party_org=world.org_a).exists()
    ok = client.post(reverse("volunteering:donation_create"), {**data, "recipient": "新化县某中学贫困学生12名"})
    assert ok["Location"] == reverse("volunteering:donation_list")
    page = client.get(ok["Location"]).text
    assert "新化县某中学贫困学生12名" in page and "娄底浙商物流有限公司" not in page
    assert "娄底浙商物流有限公司" in client_for(cast.committee).get(ok["Location"]).text


def test_the_committee_adds_an_activity_kind_and_the_menu_leads_to_the_pillar(world, cast, client_for):
    client = client_for(cast.committee)
    assert client.post(reverse("volunteering:kind_list"), {"name": "关爱老人", "order": "90"}).status_code == 302
    assert ActivityKind.objects.filter(name="关爱老人").exists()
    dup = client.post(reverse("volunteering:kind_list"), {"name": "文明劝导", "order": "5"})
    assert dup.status_code == 200 and ActivityKind.objects.filter(name="文明劝导").count() == 1
    assert client_for(cast.secretary_a).post(reverse("volunteering:kind_list"), {"name": "植树"}).status_code == 403
    page = client_for(cast.member_a).get(reverse("volunteering:kind_list")).text
    assert "关爱老人" in page and "添加类型" not in page
    home = client_for(cast.member_a).get("/").text
    assert "第一身份" in home and reverse("volunteering:activity_list") in home


def test_a_member_sees_the_same_confirmed_count_on_an_activity_as_the_secretary(world, cast, client_for):
    """The count is of confirmed participants, whoever reads: a member, whose
    visibility also goes through their own (unconfirmed) participation, sees both."""
    others = [make_person(f"志愿者{i}") for i in range(2)]
    activity = make_activity(world.org_a, held=date(2022, 6, 1), hours=Decimal(2), participants=others,
                             title="社区清扫")
    services.participation_report(actor=Actor.of(cast.member_a), activity=activity, hours=Decimal(1),
                                  today=date(2026, 11, 27))
    for user in (cast.secretary_a, cast.member_a, cast.committee):
        rows = client_for(user).get(reverse("volunteering:activity_list")).context["rows"]
        assert [(r.title, r.people) for r in rows if r.pk == activity.pk] == [("社区清扫", 2)], user


def test_the_project_ledger_shows_the_money_paid_in_so_far(world, cast, client_for):
    village = make_village(weak=[(2020, None)])
    pairing = make_pairing(village, world.assoc_a, world.ent_a, on=date(2020, 3, 1))
    paid = make_project(pairing, "茶园项目", starts=date(2020, 4, 1))
    make_project(pairing, "道路项目")  # nothing paid in yet
    pay(paid, 1000, date(2020, 5, 1))
    pay(paid, 250, date(2021, 5, 1))
    rows = client_for(cast.committee).get(reverse("volunteering:project_list")).context["rows"]
    assert {r.name: r.paid for r in rows} == {"茶园项目": Decimal(1250), "道路项目": None}
