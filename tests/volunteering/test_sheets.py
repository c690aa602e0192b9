"""The volunteering sheets: a good workbook imports through the services and
exports the same (a lossless round trip), a broken one names sheet, row,
column and reason and writes nothing, and re-importing 帮扶项目 updates the
projects' progress."""

from datetime import date
from decimal import Decimal

import openpyxl
from python_calamine import CalamineWorkbook

from fourfirsts.core.actors import Actor
from fourfirsts.exchange import services
from fourfirsts.volunteering.models import (
    Activity,
    Donation,
    Pairing,
    PairingEnterprise,
    Participation,
    Payment,
    Project,
    Village,
    WeakYears,
)

SYSTEM = Actor.system("测试导入")
PROJECT_HEAD = ["编号", "结对帮扶", "实施企业", "项目名称", "项目类别", "帮扶类型", "计划投资", "带动固定就业",
                "利益联结方式", "开始日期", "状态", "进展情况", "派驻村支部党员"]


def write(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return str(path)


def good_rows(world):
    return {
        "志愿活动": [["编号", "类型", "主题", "党组织", "商协会", "日期", "地点", "每人服务时长"],
                     ["V1", "文明劝导", "文明交通劝导", world.org_a.ref, "", "2022-05-10", "乐坪大道", 2],
                     ["V2", "bend_down", "进社区弯腰行动", "", world.assoc_b.ref, "2022-06-05", "", ""]],
        "志愿服务时长": [["编号", "志愿活动", "人员", "服务时长", "状态", "未通过原因"],
                         ["H1", "V1", world.member_a.ref, 2.5, "已确认", ""],
                         ["H2", "V1", world.person_a.ref, 2, "待确认", ""],
                         ["H3", "V2", world.person_b.ref, 3, "未通过", "当天未到场"]],
        "村庄": [["编号", "省", "市", "县（市、区）", "乡镇（街道）", "村"],
                 ["C1", "湖南省", "娄底市", "新化县", "琅塘镇", "石井村"]],
        "薄弱村认定": [["编号", "村庄", "起始年份", "截止年份"], ["W1", "C1", 2019, 2022]],
        "结对帮扶": [["编号", "村庄", "结对方式", "商协会", "企业", "结对日期"],
                     ["P1", "C1", "多企帮一村", world.assoc_a.ref, world.ent_a.ref, "2021-03-01"]],
        "结对帮扶企业": [["编号", "结对帮扶", "企业"], ["PE1", "P1", world.ent_b.ref]],
        "帮扶项目": [PROJECT_HEAD,
                     ["J1", "P1", "", "油茶种植基地", "经营类", "产业", 5000000, 12, "务工工资", "2021-04-01",
                      "实施中", "完成一期种植", world.person_a.ref]],
        "项目资金到位": [["编号", "帮扶项目", "到位日期", "到位金额"], ["M1", "J1", "2021-05-01", 1200000.5]],
        "捐赠": [["编号", "类型", "捐赠方类型", "捐赠企业", "受助对象", "捐款金额", "物资折价", "捐赠日期", "组织党组织"],
                 ["D1", "捐资助学", "企业", world.ent_a.ref, "新化县某中学贫困学生12名", 20000, 3000, "2022-09-01",
                  world.org_a.ref]],
    }


def test_a_good_workbook_imports_and_exports_the_same(world, tmp_path):
    rows = good_rows(world)
    report = services.import_file(write(tmp_path / "good.xlsx", rows), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    assert Activity.objects.get(ref="V1").kind.name == "文明劝导"
    assert Activity.objects.get(ref="V2").kind.ref == "bend_down"
    assert Participation.objects.get(ref="H1").status == "confirmed"
    assert Participation.objects.get(ref="H3").reason == "当天未到场"
    assert WeakYears.objects.get(ref="W1").covers(2022)
    assert PairingEnterprise.objects.get(ref="PE1").pairing == Pairing.objects.get(ref="P1")
    project = Project.objects.get(ref="J1")
    assert (project.enterprise, project.jobs_fixed, project.benefit_link) == (None, 12, "wages")
    assert Payment.objects.get(ref="M1").amount == Decimal("1200000.50")
    assert Donation.objects.get(ref="D1").goods_value == Decimal(3000)
    again = services.import_file(write(tmp_path / "good.xlsx", rows), actor=SYSTEM)
    assert not again.created and not again.updated
    # Export, then import the export: nothing changes.
    out = tmp_path / "out.xlsx"
    services.export_for_system(str(out))
    book = CalamineWorkbook.from_path(str(out))
    village = book.get_sheet_by_name("村庄").to_python()
    assert village[1] == ["C1", "湖南省", "娄底市", "新化县", "琅塘镇", "石井村"]
    payments = book.get_sheet_by_name("项目资金到位").to_python()
    assert payments[1][:4] == ["M1", "J1", date(2021, 5, 1), 1200000.5]
    back = services.import_file(str(out), actor=SYSTEM)
    assert back.ok, [str(p) for p in back.problems][:5]
    assert not back.created and not back.updated


def test_broken_rows_are_reported_and_nothing_is_written(world, tmp_path):
    rows = good_rows(world)
    rows["志愿服务时长"].append(["H4", "V1", world.person_b.ref, 25, "已确认", ""])
    rows["帮扶项目"].append(["J2", "P1", "", "蔬菜大棚", "经营类", "产业", -5, 0, "", "2021-01-01", "计划", "", ""])
    rows["项目资金到位"].append(["M2", "J1", "2021-03-01", 1000])
    rows["捐赠"].append(["D2", "助困济困", "企业", "", "困难户", 100, 0, "2022-01-01", world.org_a.ref])
    lines = [str(p) for p in services.import_file(write(tmp_path / "bad.xlsx", rows), actor=SYSTEM).problems]
    assert "志愿服务时长 第5行 服务时长：服务时长不能超过一天24小时" in lines, lines
    assert any(x.startswith("帮扶项目 第3行 开始日期：项目开始日期不能早于结对日期") for x in lines), lines
    assert "项目资金到位 第3行 到位日期：到位日期不能早于项目开始日期（2021-04-01）" in lines, lines
    assert "捐赠 第3行 捐赠企业：请选择捐赠企业" in lines, lines
    assert not Village.objects.exists() and not Activity.objects.exists()


def test_reimporting_the_projects_sheet_updates_their_progress(world, tmp_path):
    rows = good_rows(world)
    assert services.import_file(write(tmp_path / "good.xlsx", rows), actor=SYSTEM).ok
    update = {"帮扶项目": [PROJECT_HEAD,
                           ["J1", "P1", "", "油茶种植基地", "经营类", "产业", 5000000, 20, "务工工资", "2021-04-01",
                            "已完成", "二期完成，带动20人固定就业", world.person_a.ref]]}
    report = services.import_file(write(tmp_path / "progress.xlsx", update), actor=SYSTEM)
    assert report.ok and report.updated["帮扶项目"] == 1
    project = Project.objects.get(ref="J1")
    assert (project.status, project.jobs_fixed, project.progress) == ("completed", 20, "二期完成，带动20人固定就业")
    assert project.history.count() == 2
