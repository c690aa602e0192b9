"""The agenda's sheets: an import names sheet, row, column and reason for each
broken rule and writes nothing; a good one goes through the services."""

from datetime import date

import openpyxl
from django.utils import timezone
from python_calamine import CalamineWorkbook

from fourfirsts.agenda.models import Attendance, Meeting, Topic
from fourfirsts.core.actors import Actor
from fourfirsts.exchange import services

SYSTEM = Actor.system("测试导入")


def write(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return str(path)


TOPICS = [["编号", "标题", "类别", "发布日期", "来源", "链接", "涉及民营经济"],
          ["T1", "中央经济工作会议精神", "会议精神", "2022-12-18", "新华社", "", "是"]]
MEETING_HEAD = ["编号", "党组织", "类型", "主题", "日期", "开始时间", "第一议题", "未学习第一议题的原因"]


def test_broken_rows_are_reported_and_nothing_is_written(world, tmp_path):
    path = write(tmp_path / "bad.xlsx", {
        "第一议题": TOPICS,
        "会议": [MEETING_HEAD,
                 ["M1", world.org_a.ref, "支委会/党委会", "12月支委会", "2022-12-20", "19:30", "", ""],
                 ["M2", world.org_a.ref, "主题党日", "12月主题党日", "2022-12-21", "9点", "", ""],
                 ["M3", world.org_a.ref, "主题党日", "12月主题党日", "2022-12-22", "09:00", "T1", ""]],
        "会议出席": [["编号", "会议", "人员", "出席", "缺席原因"], ["A1", "M3", world.person_b.ref, "是", ""]],
    })
    lines = [str(p) for p in services.import_file(path, actor=SYSTEM).problems]
    assert any(x.startswith("会议 第2行 未学习第一议题的原因：") and "请填写原因" in x for x in lines), lines
    assert any(x.startswith("会议 第3行 开始时间：") for x in lines), lines
    assert any(x.startswith("会议出席 第2行 人员：李浙江在会议当天不是") for x in lines), lines
    assert not Topic.objects.exists() and not Meeting.objects.exists()


def test_a_good_workbook_imports_through_the_services_and_exports_the_same(world, tmp_path):
    rows = {
        "第一议题": TOPICS,
        "议题推送": [["编号", "议题", "党组织", "推送日期"], ["P1", "T1", world.org_a.ref, "2022-12-18"]],
        "会议": [MEETING_HEAD, ["M1", world.org_a.ref, "支委会/党委会", "12月支委会", "2022-12-20", "00:30", "T1", ""]],
        "会议出席": [["编号", "会议", "人员", "出席", "缺席原因"],
                     ["A1", "M1", world.person_a.ref, "是", ""], ["A2", "M1", world.member_a.ref, "否", "出差"]],
    }
    report = services.import_file(write(tmp_path / "good.xlsx", rows), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    meeting = Meeting.objects.get(ref="M1")
    assert meeting.first_topic.ref == "T1" and (meeting.expected_count, meeting.present_count) == (2, 1)
    assert timezone.localtime(meeting.held_at).isoformat() == "2022-12-20T00:30:00+08:00"
    assert meeting.history.earliest().history_date.date() == date(2022, 12, 19)  # 00:30 local, in UTC
    assert Attendance.objects.get(ref="A2").reason == "出差"
    again = services.import_file(write(tmp_path / "good.xlsx", rows), actor=SYSTEM)
    assert not again.created and not again.updated
    out = tmp_path / "out.xlsx"
    services.export_for_system(str(out))
    exported = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("会议").to_python()
    assert exported[1][:7] == ["M1", world.org_a.ref, "支委会/党委会", "12月支委会", date(2022, 12, 20), "00:30", ""]
