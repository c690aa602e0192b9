"""The workbook: refusals name sheet, row, column and reason and write nothing;
re-imports write nothing; a round trip through an emptied database is identical."""

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from python_calamine import CalamineWorkbook

from fourfirsts.core.actors import Actor
from fourfirsts.core.models import SecurityEvent
from fourfirsts.exchange import services
from fourfirsts.registry import models as reg
from tests.conftest import _uscc

SYSTEM = Actor.system("测试导入")


def cells(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def write(path, sheets: dict[str, list[list]]):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(row)
    book.save(path)
    return str(path)


def snapshot():
    return {m.__name__: m.objects.count() for m in (reg.Association, reg.Enterprise, reg.Person,
                                                    reg.EnterpriseMembership, reg.Coverage)}


def test_bad_workbook_is_refused_line_by_line_and_writes_nothing(world, tmp_path):
    before = snapshot()
    path = write(tmp_path / "bad.xlsx", {
        "会员企业": [
            ["编号", "名称", "统一社会信用代码"],
            ["E1", "湖南好运来商贸有限公司", _uscc(7)[:-1] + ("0" if _uscc(7)[-1] != "0" else "1")],
            ["E2", "", _uscc(8)],
            ["E3", "娄底新材料有限公司", _uscc(9)],
            ["E3", "娄底重复编号有限公司", _uscc(10)],
        ],
        "企业入会": [
            ["编号", "会员企业", "商协会", "入会日期"],
            ["M1", "E3", "NO-SUCH-ASSOC", "2022-01-01"],
        ],
    })
    report = services.import_file(path, actor=SYSTEM)
    lines = [str(p) for p in report.problems]
    assert any("会员企业 第2行 统一社会信用代码：统一社会信用代码校验位不正确" in x for x in lines), lines
    assert any("会员企业 第3行 名称：必填项为空" in x for x in lines), lines
    assert any("会员企业 第5行 编号：“E3”重复（与第4行重复）" in x for x in lines), lines
    assert any("企业入会 第2行 商协会：找不到编号为“NO-SUCH-ASSOC”的商协会" in x for x in lines), lines
    assert len(lines) == 4
    assert snapshot() == before


def test_command_exits_non_zero_with_one_line_per_problem(world, tmp_path, capsys):
    path = write(tmp_path / "bad.xlsx", {"商协会": [["编号", "名称", "类别"], ["X1", "娄底市测试商会", "不存在的类别"]]})
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("workbook", "import", path)
    assert "商协会 第2行 类别：应为异地商会、行业协会、乡镇商会、市场商会、其他之一：不存在的类别" in capsys.readouterr().err
    assert not reg.Association.objects.filter(name="娄底市测试商会").exists()


def test_unknown_sheet_and_column_are_refused(db, tmp_path):
    path = write(tmp_path / "bad.xlsx", {"未知表": [["编号"]], "商协会": [["编号", "名称", "类别", "颜色"]]})
    lines = [str(p) for p in services.import_file(path, actor=SYSTEM).problems]
    assert "未知表 表头：未知的工作表" in lines
    assert "商协会 表头 颜色：未知的列" in lines


def test_second_import_of_the_same_file_writes_nothing(world, tmp_path):
    path = str(tmp_path / "all.xlsx")
    services.export_for_system(path)
    history = reg.Association.history.count()
    report = services.import_file(path, actor=SYSTEM)
    assert report.ok, report.problems
    assert sum(report.created.values()) == 0 and sum(report.updated.values()) == 0
    assert reg.Association.history.count() == history


def _empty_registry():
    for model in (reg.InstructorAssignment, reg.PublicOffice, reg.Post, reg.PoliticalStatus, reg.PartyMembership,
                  reg.EnterpriseMembership, reg.PartyGroupMembership, reg.PartyGroup, reg.CommitteeSeat,
                  reg.Coverage, reg.AssociationStatus, reg.Enterprise, reg.Association, reg.Department):
        model.objects.all().delete()
    reg.PartyOrg.objects.update(parent=None)
    reg.PartyOrg.objects.all().delete()
    reg.Person.objects.all().delete()


def test_round_trip_through_an_emptied_database_is_identical(world, tmp_path):
    first, second = tmp_path / "first.xlsx", tmp_path / "second.xlsx"
    services.export_for_system(str(first))
    _empty_registry()
    report = services.import_file(str(first), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    services.export_for_system(str(second))
    assert cells(first) == cells(second)
    assert reg.Person.objects.get(name="张安徽").id_number == world.person_a.id_number


def test_ui_export_masks_id_numbers_and_is_logged(cast, world, tmp_path):
    path = str(tmp_path / "ui.xlsx")
    services.export_for_user(path, user=cast.committee)
    people = cells(path)["人员"]
    header = people[0]
    row = next(r for r in people if r[header.index("姓名")] == "张安徽")
    assert row[header.index("身份证号码")] != world.person_a.id_number
    assert "*" in row[header.index("身份证号码")]
    assert SecurityEvent.objects.filter(kind="export", username="committee").exists()


def test_importing_masked_numbers_keeps_the_stored_ones(cast, world, tmp_path):
    path = str(tmp_path / "ui.xlsx")
    services.export_for_user(path, user=cast.committee)
    report = services.import_file(path, actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    world.person_a.refresh_from_db()
    assert world.person_a.id_number.endswith(world.person_a.id_number[-4:])
    assert "*" not in reg.Person.objects.get(pk=world.person_a.pk).id_number


def test_secretary_export_covers_only_their_scope(cast, world, tmp_path):
    path = str(tmp_path / "sec.xlsx")
    services.export_for_user(path, user=cast.secretary_b)
    names = [r[1] for r in cells(path)["商协会"][1:]]
    assert names == ["娄底市浙江商会"]


def test_ui_import_page_shows_errors_and_changes_nothing(cast, world, client_for, tmp_path):
    before = snapshot()
    path = write(tmp_path / "bad.xlsx", {"会员企业": [["编号", "名称", "统一社会信用代码"], ["E9", "", "123"]]})
    client = client_for(cast.committee)
    with open(path, "rb") as f:
        response = client.post("/exchange/workbook/", {"file": f}, follow=True)
    text = response.content.decode()
    assert "必填项为空" in text and "统一社会信用代码应为18位" in text
    assert snapshot() == before


def test_workbook_page_access(cast, client_for):
    assert client_for(cast.committee).get("/exchange/workbook/").status_code == 200
    assert client_for(cast.secretary_a).get("/exchange/workbook/").status_code == 200
    assert client_for(cast.member_a).get("/exchange/workbook/").status_code == 403
    assert client_for(cast.sysadmin).get("/exchange/workbook/").status_code == 403
    assert client_for(None).get("/exchange/workbook/").status_code == 302


def test_docs_workbook_md_matches_the_sheet_registry():
    from django.conf import settings

    from fourfirsts.exchange import docs

    written = (settings.BASE_DIR / "docs" / "workbook.md").read_text(encoding="utf-8")
    assert written == docs.render(), "docs/workbook.md is stale: run `python manage.py workbook docs`"


def test_a_file_cannot_forge_pipeline_records_or_repeat_a_pre_system_one(world, tmp_path):
    ref = world.person_b.ref
    path = write(tmp_path / "party.xlsx", {"政治面貌": [
        ["编号", "人员", "政治面貌", "起始日期", "截止日期", "来源"],
        ["S1", ref, "中共党员", "2019-01-01", None, "发展党员流程"],
        ["S2", ref, "中共党员", "2010-01-01", None, "系统前入党记录"],
        ["S3", ref, "中共党员", "2011-01-01", None, "系统前入党记录"],
    ]})
    lines = [str(p) for p in services.import_file(path, actor=SYSTEM).problems]
    assert "政治面貌 第2行 来源：“发展党员流程”的记录只能由发展党员流程写入" in lines
    assert "政治面貌 第4行 政治面貌：此人已登记过系统启用前的这一政治面貌" in lines
    assert not reg.PoliticalStatus.objects.filter(person=world.person_b).exists()


def test_columns_left_out_of_a_file_keep_their_stored_values(world, tmp_path):
    ent = world.ent_a
    path = write(tmp_path / "partial.xlsx", {"会员企业": [["编号", "名称", "统一社会信用代码"],
                                                      [ent.ref, "湖南安徽建材集团有限公司", ent.uscc]]})
    report = services.import_file(path, actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    ent.refresh_from_db()
    assert ent.name == "湖南安徽建材集团有限公司"
    assert (ent.industry, ent.size, ent.contact_phone) == ("C", "small", "13812345678")


def test_problems_never_print_a_full_id_number(world, tmp_path):
    number = world.person_a.id_number
    path = write(tmp_path / "dup.xlsx", {"人员": [["编号", "姓名", "身份证号码"],
                                                ["N1", "甲", number], ["N2", "乙", number]]})
    lines = "\n".join(str(p) for p in services.import_file(path, actor=SYSTEM).problems)
    assert "重复" in lines and number not in lines


def test_integer_cells_refuse_fractions(db):
    from fourfirsts.core.sheets import Col
    from fourfirsts.exchange.engine import parse_cell

    col = Col("人数", "n", "int")
    assert parse_cell(col, 12.0) == 12
    for bad in ("1.5", 2.7, "Infinity"):
        with pytest.raises(ValueError, match="应为整数"):
            parse_cell(col, bad)


def test_new_enterprises_are_written_in_bulk_with_their_history_and_checks(world, tmp_path,
                                                                            django_assert_max_num_queries):
    """The big sheet's new rows go through the bulk service: each row checked
    as the form checks it, history kept, and a constant number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def rows(first, n):
        return [["编号", "名称", "统一社会信用代码", "联系电话"]] + [
            [f"BULK{i}", f"娄底批量{i}号有限公司", _uscc(500 + i), "13812345678"] for i in range(first, first + n)]

    counts = []
    for first, n in ((0, 5), (100, 60)):
        with CaptureQueriesContext(connection) as queries:
            report = services.import_file(write(tmp_path / f"{n}.xlsx", {"会员企业": rows(first, n)}), actor=SYSTEM)
        assert report.ok and report.created["会员企业"] == n, [str(p) for p in report.problems]
        counts.append(len(queries))
    assert counts[0] == counts[1]  # not one query per row
    made = reg.Enterprise.objects.get(ref="BULK3")
    assert (made.name, made.uscc, made.contact_phone) == ("娄底批量3号有限公司", _uscc(503), "13812345678")
    assert made.sort_key and made.search_key  # pinyin keys as the form gives them
    assert made.history.count() == 1 and made.history.get().history_type == "+"

    before = snapshot()
    clash = rows(900, 3)
    clash[2][2] = clash[1][2]  # the same code as the row above, under another 编号
    clash[3][3] = "12345"
    report = services.import_file(write(tmp_path / "clash.xlsx", {"会员企业": clash}), actor=SYSTEM)
    lines = [str(p) for p in report.problems]
    assert any(x.startswith("会员企业 第3行 统一社会信用代码") for x in lines), lines
    assert any(x.startswith("会员企业 第4行 联系电话：") for x in lines), lines
    assert snapshot() == before  # nothing written
