"""The service sheets: an appeal's history imported from a workbook is replayed
through the services at its recorded times; the export reads back the same
rows; a second import writes nothing; a broken row names sheet, row and
column and writes nothing."""

from datetime import date, datetime, timedelta

import openpyxl
import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from python_calamine import CalamineWorkbook

from fourfirsts.core.actors import Actor
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.exchange import services
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import PublicOffice
from fourfirsts.service.models import Appeal, Escalation, Pairing, Policy, PolicyNotice, Visit
from fourfirsts.service.services import appeals
from fourfirsts.service.workflow import APPEAL_WORKFLOW

SYSTEM = Actor.system("测试导入")
SERVICE_SHEETS = ("结对联系", "走访联系", "问题诉求", "诉求办理记录", "诉求督办", "惠企政策", "政策告知")
APPEAL_HEAD = ["编号", "企业", "提出人", "收集人", "渠道", "类别", "性质", "堵点", "痛点", "难点", "标题", "收集日期", "收集时刻",
               "来源走访"]
STEP_HEAD = ["编号", "问题诉求", "操作", "日期", "时刻", "办理人", "承办单位", "交办领导", "交办地点", "延期天数", "评价",
             "退回依据", "说明"]


def write(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return str(path)


def cells(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in SERVICE_SHEETS}


def workbook(world, mayor):
    ent, dept = world.ent_a.ref, world.department.ref
    return {
        "结对联系": [["编号", "联系人", "企业", "结对日期", "结束日期", "备注"],
                     ["PA1", world.member_a.ref, ent, "2022-01-10", None, "每月联系一次"]],
        "走访联系": [["编号", "走访人", "企业", "方式", "日期", "情况记录"],
                     ["V1", world.member_a.ref, ent, "上门走访", "2022-03-01", "了解物流情况"],
                     ["V2", world.member_a.ref, ent, "微信", "2022-03-20", ""]],
        "问题诉求": [APPEAL_HEAD,
                     ["Q1", ent, world.person_a.ref, world.member_a.ref, "走访调研", "物流运输", "协调帮助", "是", "否", "否",
                      "货车通行证办理难", "2022-03-01", "10:30", "V1"],
                     ["Q2", ent, world.person_a.ref, world.member_a.ref, "走访调研", "资金周转", "情况反映", "否", "是", "否",
                      "贷款续贷难", "2022-03-02", "", ""]],
        "诉求办理记录": [STEP_HEAD,
                         ["Q1-01", "Q1", "受理", "2022-03-02", "09:00", "党委工作人员", None, None, None, None, None, None, ""],
                         ["Q1-02", "Q1", "交办", "2022-03-02", "10:00", "党委工作人员", dept, None, None, None, None, None, ""],
                         ["Q1-03", "Q1", "签收", "2022-03-03", "09:00", "市交通局", None, None, None, None, None, None, ""],
                         ["Q1-04", "Q1", "办理", "2022-03-03", "10:00", "市交通局", None, None, None, None, None, None, ""],
                         ["Q1-05", "Q1", "申请延期", "2022-03-04", "09:00", "市交通局", None, None, None, 2, None, None,
                          "需要省厅协调"],
                         ["Q1-06", "Q1", "批准延期", "2022-03-04", "15:00", "党委工作人员", None, None, None, 2, None, None, ""],
                         ["Q1-07", "Q1", "答复", "2022-03-10", "16:00", "市交通局", None, None, None, None, None, None,
                          "已办理通行证"],
                         ["Q1-08", "Q1", "回访评价", "2022-03-11", "10:00", "党委工作人员", None, None, None, None, "满意", None,
                          ""],
                         ["Q2-01", "Q2", "现场交办", "2022-03-05", "15:00", "党委工作人员", dept, mayor.ref,
                          "娄底经开区现场办公会", None, None, None, ""],
                         ["Q2-02", "Q2", "签收", "2022-03-07", "09:00", "市交通局", None, None, None, None, None, None, ""]],
        "诉求督办": [["编号", "问题诉求", "督办环节", "日期", "时刻"],
                     ["Q2-reminder", "Q2", "催办", "2022-03-10", "08:00"]],
        "惠企政策": [["编号", "标题", "发文机关", "文号", "发布日期", "适用行业"],
                     ["PL1", "关于支持民营企业纾困发展的若干措施", "娄底市人民政府", "娄政发〔2022〕3号", "2022-04-01", "C,F"]],
        "政策告知": [["编号", "政策", "企业", "告知人", "告知日期", "方式", "备注"],
                     ["N1", "PL1", ent, world.member_a.ref, "2022-04-10", "上门宣讲", ""]],
    }


@pytest.fixture
def mayor(world):
    person = reg.person_save(actor=SYSTEM, values={"name": "市长甲", "gender": "male", "birth_date": date(1968, 1, 1)})
    reg.dated_link_save(actor=SYSTEM, model=PublicOffice, values={
        "person": person, "title": "市长", "is_city_leader": True, "since": date(2021, 4, 20)})
    return person


def snapshot():
    return {m.__name__: m.objects.count() for m in (Appeal, Visit, Pairing, Policy, PolicyNotice, Escalation,
                                                    WorkflowEvent)}


def test_an_appeals_history_is_replayed_at_its_recorded_times(world, mayor, tmp_path):
    report = services.import_file(write(tmp_path / "in.xlsx", workbook(world, mayor)), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    q1, q2 = Appeal.objects.get(ref="Q1"), Appeal.objects.get(ref="Q2")
    assert q1.state == Appeal.State.CLOSED and q1.rating == Appeal.Rating.SATISFIED
    assert q1.first_assigned_at.isoformat() == "2022-03-02T02:00:00+00:00"  # 10:00 in Beijing
    assert q1.extension_days == 2 and q1.due_at.date() == date(2022, 3, 11)  # 5 + 2 working days from 2 March
    assert q1.close_days == 7 and q1.visit.ref == "V1" and q1.reply == "已办理通行证"
    assert [e.action for e in APPEAL_WORKFLOW.events(q1)] == [
        "accept", "assign", "sign", "handle", "request_extension", "approve_extension", "reply", "rate"]
    assert q2.state == Appeal.State.SIGNED and q2.assigned_by == mayor
    assert q2.assigned_on_site_on == date(2022, 3, 5) and q2.assigned_place == "娄底经开区现场办公会"
    assert Escalation.objects.get(appeal=q2).step == "reminder"
    assert Policy.objects.get(ref="PL1").notices.get().told_by == world.member_a
    assert Visit.objects.get(ref="V2").channel == Visit.Channel.WECHAT
    assert Pairing.objects.get(ref="PA1").person == world.member_a


def test_a_second_import_changes_nothing_and_the_export_reads_back_the_same(world, mayor, tmp_path):
    source = write(tmp_path / "in.xlsx", workbook(world, mayor))
    assert services.import_file(source, actor=SYSTEM).ok
    before = snapshot()
    again = services.import_file(source, actor=SYSTEM)
    assert again.ok and not again.created and not again.updated, [str(p) for p in again.problems]
    assert snapshot() == before

    first = tmp_path / "first.xlsx"
    services.export_for_system(str(first))
    out = cells(first)
    steps = {r[0]: r for r in out["诉求办理记录"][1:]}
    assert steps["Q1-05"][1:6] == ["Q1", "申请延期", date(2022, 3, 4), "", "市交通局"]
    assert steps["Q2-01"][7] == mayor.ref and steps["Q2-01"][8] == "娄底经开区现场办公会"
    appeal = next(r for r in out["问题诉求"][1:] if r[0] == "Q2")
    assert appeal[12:14] == [date(2022, 3, 2), ""]  # a blank time is 09:00

    # Everything the service sheets hold, into a database without it, and out again.
    Escalation.objects.all().delete()
    WorkflowEvent.objects.filter(workflow=APPEAL_WORKFLOW.name).delete()
    for model in (Appeal, PolicyNotice, Policy, Visit, Pairing):
        model.objects.all().delete()
    report = services.import_file(str(first), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    second = tmp_path / "second.xlsx"
    services.export_for_system(str(second))
    assert cells(second) == out
    assert snapshot() == before
    assert Appeal.objects.get(ref="Q1").close_days == 7


def test_a_broken_row_is_named_and_nothing_is_written(world, mayor, tmp_path):
    rows = workbook(world, mayor)
    rows["诉求办理记录"][3][2] = "答复"  # Q1-03: a reply before it was signed and handled
    rows["诉求办理记录"][9][7] = world.person_b.ref  # Q2-01: on site, by someone who is no city leader
    rows["问题诉求"][2][12] = "25:00"
    before = snapshot()
    lines = [str(p) for p in services.import_file(write(tmp_path / "bad.xlsx", rows), actor=SYSTEM).problems]
    assert "问题诉求 第3行 收集时刻：时刻格式应为 HH:MM，如 09:30：25:00" in lines, lines
    assert any(x.startswith("诉求办理记录 第4行 操作：当前状态为“已交办”，不能执行“答复”") for x in lines), lines
    assert snapshot() == before


def test_an_on_site_assignment_needs_a_city_leader(world, mayor, tmp_path):
    rows = workbook(world, mayor)
    rows["诉求办理记录"][9][7] = world.person_b.ref
    lines = [str(p) for p in services.import_file(write(tmp_path / "bad.xlsx", rows), actor=SYSTEM).problems]
    assert any(x.startswith("诉求办理记录 第10行 交办领导：李浙江在2022-03-05不是市领导") for x in lines), lines
    assert not Appeal.objects.exists()


def test_only_the_committee_imports_service_records(cast, world, mayor, tmp_path):
    report = services.import_file(write(tmp_path / "in.xlsx", workbook(world, mayor)),
                                  actor=Actor.of(cast.secretary_a))
    assert any("只有商协会党委可以导入" in str(p) for p in report.problems)
    assert not Appeal.objects.exists() and not Visit.objects.exists()


def test_imported_records_are_dated_by_their_own_day_in_their_history(world, mayor, tmp_path):
    assert services.import_file(write(tmp_path / "in.xlsx", workbook(world, mayor)), actor=SYSTEM).ok
    noon = datetime(2022, 3, 1, 12, tzinfo=SHANGHAI)
    assert Visit.objects.get(ref="V1").history.get().history_date == noon
    assert Pairing.objects.get(ref="PA1").history.get().history_date == datetime(2022, 1, 10, 12, tzinfo=SHANGHAI)
    assert Policy.objects.get(ref="PL1").history.get().history_date == datetime(2022, 4, 1, 12, tzinfo=SHANGHAI)
    assert PolicyNotice.objects.get(ref="N1").history.get().history_date == datetime(2022, 4, 10, 12,
                                                                                     tzinfo=SHANGHAI)
    q1 = Appeal.objects.get(ref="Q1")
    assert q1.history.earliest().history_date == datetime(2022, 3, 1, 10, 30, tzinfo=SHANGHAI)  # its 收集时刻
    assert q1.history.earliest().history_type == "+"


def test_appeal_create_dates_its_history_now_unless_told(world):
    values = {"enterprise": world.ent_a, "channel": Appeal.Channel.VISIT, "category": Appeal.Category.LOGISTICS,
              "kind": Appeal.Kind.COORDINATION, "title": "货车通行证办理难",
              "collected_at": datetime(2022, 3, 1, 10, 30, tzinfo=SHANGHAI)}
    with time_machine.travel(datetime(2024, 5, 6, 9, tzinfo=SHANGHAI), tick=False):
        now = appeals.appeal_create(actor=SYSTEM, values=values)
        then = appeals.appeal_create(actor=SYSTEM, values=values, at=values["collected_at"])
        appeals.appeal_decline(appeal=then, reason="不属于受理范围", actor=SYSTEM)  # a later step: dated on its own
    assert now.history.get().history_date == datetime(2024, 5, 6, 9, tzinfo=SHANGHAI)
    assert [h.history_date for h in then.history.order_by("history_id")] == [
        datetime(2022, 3, 1, 10, 30, tzinfo=SHANGHAI), datetime(2024, 5, 6, 9, tzinfo=SHANGHAI)]


def test_a_replied_appeal_imported_as_closed_unrated(world, mayor, tmp_path):
    rows = workbook(world, mayor)
    rows["诉求办理记录"][8:9] = [
        ["Q1-08", "Q1", "未评价办结", "2022-03-25", "10:00", "系统", None, None, None, None, None, None, ""]]
    assert services.import_file(write(tmp_path / "in.xlsx", rows), actor=SYSTEM).ok
    q1 = Appeal.objects.get(ref="Q1")
    assert q1.state == Appeal.State.CLOSED and q1.rating == Appeal.Rating.UNRATED
    assert q1.closed_at == datetime(2022, 3, 25, 10, tzinfo=SHANGHAI) and q1.close_days == 17
    assert APPEAL_WORKFLOW.events(q1).last().action == "close_unrated"


def test_a_second_import_may_end_a_pairing_but_changes_nothing_else(world, mayor, tmp_path):
    rows = workbook(world, mayor)
    assert services.import_file(write(tmp_path / "in.xlsx", rows), actor=SYSTEM).ok
    rows["结对联系"][1][4:6] = ["2022-12-31", "企业迁出"]
    report = services.import_file(write(tmp_path / "end.xlsx", rows), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    pairing = Pairing.objects.get(ref="PA1")
    assert (pairing.until, pairing.note) == (date(2022, 12, 31), "企业迁出")

    rows["结对联系"][1][3] = "2022-02-01"
    rows["政策告知"][1][6] = "补记"
    lines = [str(p) for p in services.import_file(write(tmp_path / "bad.xlsx", rows), actor=SYSTEM).problems]
    assert any(x.startswith("结对联系 第2行 结对日期：已登记的结对导入时只能填写结束日期") for x in lines), lines
    assert "政策告知 第2行 备注：已登记的政策告知不能通过导入修改" in lines, lines
    assert Pairing.objects.get(ref="PA1").since == date(2022, 1, 10)


class TestEscalationRecord:
    @pytest.fixture
    def appeal(self, world, mayor, tmp_path):
        assert services.import_file(write(tmp_path / "in.xlsx", workbook(world, mayor)), actor=SYSTEM).ok
        return Appeal.objects.get(ref="Q2")

    def test_once_per_appeal_and_step_against_the_appeals_due_date(self, cast, appeal):
        sent = datetime(2022, 3, 14, 9, tzinfo=SHANGHAI)
        row = appeals.escalation_record(appeal=appeal, step="notice", at=sent, actor=Actor.of(cast.committee))
        assert (row.at, row.due_at) == (sent, appeal.due_at)
        again = appeals.escalation_record(appeal=appeal, step="notice", at=sent + timedelta(days=1), actor=SYSTEM)
        assert again.pk == row.pk and again.at == sent
        assert appeal.escalations.count() == 2  # the imported 催办 and this 催办通知书

    def test_only_the_committee_or_the_system(self, cast, appeal):
        for user in (cast.secretary_a, cast.handler):
            with pytest.raises(PermissionDenied):
                appeals.escalation_record(appeal=appeal, step="notice", at=datetime(2022, 3, 14, tzinfo=SHANGHAI),
                                          actor=Actor.of(user))
        assert appeal.escalations.count() == 1

    def test_an_appeal_not_yet_assigned_has_no_due_date(self, appeal):
        Appeal.objects.filter(pk=appeal.pk).update(due_at=None)
        appeal.refresh_from_db()
        with pytest.raises(ValidationError) as e:
            appeals.escalation_record(appeal=appeal, step="reminder", at=datetime(2022, 3, 14, tzinfo=SHANGHAI),
                                      actor=SYSTEM)
        assert "due_at" in e.value.message_dict


def test_a_policys_industries_are_read_as_they_are_kept(world, mayor, tmp_path):
    rows = workbook(world, mayor)
    rows["惠企政策"][1][5] = "g，c"
    source = write(tmp_path / "in.xlsx", rows)
    assert services.import_file(source, actor=SYSTEM).ok
    assert Policy.objects.get(ref="PL1").industries == "C,G"
    again = services.import_file(source, actor=SYSTEM)
    assert again.ok and not again.updated

    rows["惠企政策"][1][5] = "C,Z"
    lines = [str(p) for p in services.import_file(write(tmp_path / "bad.xlsx", rows), actor=SYSTEM).problems]
    assert any(x.startswith("惠企政策 第2行 适用行业：适用行业“Z”不是国民经济行业门类字母") for x in lines), lines
