"""The governance sheets: a good workbook imports through the services and
exports the same (a lossless round trip); a broken one names sheet, row,
column and reason and writes nothing."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from fourfirsts.core.actors import Actor
from fourfirsts.exchange import services
from fourfirsts.governance.models import (
    AssessmentScore,
    Charter,
    CharterClause,
    Establishment,
    EstablishmentStep,
    Honour,
    InstructorLog,
    Support,
)
from fourfirsts.registry.models import AssociationStatus
from tests.governance.conftest import set_status

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


@pytest.fixture(autouse=True)
def _preparing(world):
    """The establishment rows are for 长沙商会, in preparation since 2022."""
    set_status(world.assoc_c, AssociationStatus.Status.PREPARING, date(2022, 1, 1))


def good_rows(world):
    assignment = world.instructor.instructor_assignments.get(association=world.assoc_a)
    return {
        "荣誉": [["编号", "荣誉类别", "荣誉名称", "级别", "商协会", "党组织", "周期", "阶段", "认定日期", "有效期至"],
                 ["H1", "“四好”商会", "", "全国", world.assoc_a.ref, "", "2021—2022", "认定", "2021-06-01", ""],
                 ["H2", "标杆示范党组织", "", "市级", "", world.org_a.ref, "", "认定", "2022-07-01", "2024-06-30"],
                 ["H3", "“四好”商会", "", "省级", world.assoc_b.ref, "", "", "申报", "", ""]],
        "同步建立": [["编号", "商协会", "登记日期", "拟建党组织名称", "拟建党组织类型", "上级党组织", "建立的党组织"],
                     ["E1", world.assoc_c.ref, "2022-03-01", "娄底市长沙商会党支部", "党支部", world.committee_org.ref, ""]],
        "同步建立步骤": [["编号", "同步建立", "步骤", "完成日期", "说明"],
                         ["S1", "E1", "支持党建工作承诺书", "2022-03-02", ""],
                         ["S2", "E1", "党员情况调查表", "2022-03-07", "党员5名"]],
        "章程": [["编号", "商协会", "版本", "核准日期"], ["C1", world.assoc_a.ref, "2021版", "2021-05-01"]],
        "章程条款": [["编号", "章程", "条款", "依据"],
                     ["CC1", "C1", "坚持党的全面领导", "第三条"], ["CC2", "C1", "设立党组织", "第四条"]],
        "指导员工作记录": [["编号", "指导员选派", "方式", "日期", "记录"],
                           ["L1", assignment.ref, "实地走访", "2022-03-03", "了解党员情况"]],
        "考核清单": [["编号", "名称", "年度"], ["K1", "规范化建设", 2022]],
        "考核项目": [["编号", "考核清单", "考核项目", "分值", "排序"], ["I1", "K1", "组织设置", 50, 1],
                     ["I2", "K1", "三会一课", 50, 2]],
        "规范化考核": [["编号", "考核清单", "党组织", "考核日期"], ["A1", "K1", world.org_a.ref, "2022-12-01"]],
        "考核得分": [["编号", "规范化考核", "考核项目", "得分", "佐证"], ["AS1", "A1", "I1", 45.5, "台账"],
                     ["AS2", "A1", "I2", 40, ""]],
        "双支撑": [["编号", "党组织", "类别", "金额", "人数", "选派人员", "用途", "日期", "支持方"],
                   ["SP1", world.org_a.ref, "经费支持", 20000, "", "", "阵地建设", "2022-05-01", "娄底市安徽商会"]],
    }


def test_a_good_workbook_imports_and_exports_the_same(world, tmp_path):
    report = services.import_file(write(tmp_path / "good.xlsx", good_rows(world)), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    assert Honour.objects.get(ref="H1").association == world.assoc_a
    assert Honour.objects.get(ref="H2").valid_until == date(2024, 6, 30)
    assert Establishment.objects.get(ref="E1").steps.count() == 2
    assert EstablishmentStep.objects.get(ref="S2").notes == "党员5名"
    assert set(Charter.objects.get(ref="C1").clauses.values_list("clause", flat=True)) == {"leadership", "party_org"}
    assert InstructorLog.objects.get(ref="L1").kind == "visit"
    assert AssessmentScore.objects.get(ref="AS1").score == Decimal("45.5")
    assert Support.objects.get(ref="SP1").amount == Decimal(20000)
    again = services.import_file(write(tmp_path / "good.xlsx", good_rows(world)), actor=SYSTEM)
    assert not again.created and not again.updated
    out = tmp_path / "out.xlsx"
    services.export_for_system(str(out))
    book = CalamineWorkbook.from_path(str(out))
    assert book.get_sheet_by_name("章程条款").to_python()[1] == ["CC1", "C1", "坚持党的全面领导", "第三条"]
    back = services.import_file(str(out), actor=SYSTEM)
    assert back.ok, [str(p) for p in back.problems][:5]
    assert not back.created and not back.updated


def test_broken_rows_are_reported_and_nothing_is_written(world, tmp_path):
    rows = good_rows(world)
    rows["荣誉"].append(["H4", "标杆示范党组织", "", "全国", "", world.org_a.ref, "", "认定", "2022-07-01", ""])
    rows["同步建立步骤"].append(["S3", "E1", "转接组织关系", "2022-04-01", ""])
    rows["考核得分"].append(["AS3", "A1", "I2", 60, ""])
    rows["章程条款"].append(["CC3", "C1", "设立党组织", "第五条"])
    lines = [str(p) for p in services.import_file(write(tmp_path / "bad.xlsx", rows), actor=SYSTEM).problems]
    assert "荣誉 第5行 级别：标杆示范党组织只有省级和市级" in lines, lines
    assert "同步建立步骤 第4行 步骤：请先完成“请示与批复”" in lines, lines
    assert any(x.startswith("考核得分 第4行 得分：") for x in lines), lines
    assert "章程条款 第4行 条款：该章程已登记此条款" in lines, lines
    assert not Honour.objects.exists() and not CharterClause.objects.exists()
