"""The membership sheets: an export imports back through the services into
the same rows (the DEV rules replayed), a broken row names sheet, row, column
and rule, and a second import changes nothing."""

from datetime import date

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from fourfirsts.core.actors import Actor
from fourfirsts.exchange import services as exchange
from fourfirsts.membership import services
from fourfirsts.membership.models import Development, Review, StepRecord
from fourfirsts.registry.models import PoliticalStatus
from tests.conftest import make_person

SYSTEM = Actor.system("测试导入")
SHEETS = ("入党申请", "积极分子考察", "发展步骤")
pytestmark = pytest.mark.django_db


def _membership_sheets(path):
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in SHEETS}


def _write(path, sheets):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        ws = book.create_sheet(name)
        for row in rows:
            ws.append(["" if c is None else c for c in row])
    book.save(path)
    return str(path)


def test_round_trip_replays_through_the_services(pipe, tmp_path):
    dev = pipe.upto("5.23")
    services.probation_extend(actor=SYSTEM, development=dev, months=6, reason="需要继续考察")
    pipe.record(dev, "5.24", done_on=date(2023, 1, 5))
    second_dev = pipe.apply(person=make_person("二号", birth_date=date(1990, 1, 1)), applied_on=date(2022, 5, 1))
    services.step_annotate(actor=SYSTEM, record=second_dev.steps.get(), note="手写申请书", acted_by=pipe.world.person_a)
    out = tmp_path / "out.xlsx"
    exchange.export_for_system(str(out))
    before = _membership_sheets(out)
    assert len(before["发展步骤"]) == 1 + 24 + 1 and len(before["积极分子考察"]) == 1 + 2
    statuses = list(PoliticalStatus.objects.filter(person=dev.person).values_list("status", "since", "until"))

    PoliticalStatus.objects.filter(source=PoliticalStatus.Source.PIPELINE).delete()
    Development.objects.all().delete()
    report = exchange.import_file(_write(tmp_path / "in.xlsx", before), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    again = Development.objects.get(ref=dev.ref)
    assert again.stage == "full" and again.extension_months == 6 and again.is_entrepreneur
    assert StepRecord.objects.count() == 24 + 1 and Review.objects.count() == 2
    first = StepRecord.objects.get(development__ref=second_dev.ref)
    assert (first.note, first.actor_person) == ("手写申请书", pipe.world.person_a)
    assert list(PoliticalStatus.objects.filter(person=dev.person).values_list("status", "since", "until")) == statuses
    exchange.export_for_system(str(tmp_path / "again.xlsx"))
    assert _membership_sheets(tmp_path / "again.xlsx") == before
    second = exchange.import_file(_write(tmp_path / "in.xlsx", before), actor=SYSTEM)
    assert second.ok and not second.created and not second.updated


def test_a_broken_step_names_the_rule_and_nothing_is_written(pipe, world, tmp_path):
    head = ["编号", "入党申请", "步骤", "日期"]
    path = _write(tmp_path / "bad.xlsx", {
        "入党申请": [["编号", "申请人", "党组织", "申请日期", "民营经济人士"],
                     ["D1", pipe.applicant.ref, world.org_a.ref, "2020-01-31", "是"]],
        "发展步骤": [head, ["S1", "D1", "1.2 党组织派人谈话", "2020-03-02"]],
    })
    lines = [str(p) for p in exchange.import_file(path, actor=SYSTEM).problems]
    assert any(x.startswith("发展步骤 第2行 日期：") and "DEV-2" in x for x in lines), lines
    assert not Development.objects.exists()


def test_a_reimport_may_change_a_note_but_not_the_history(pipe, tmp_path):
    dev = pipe.upto("1.2")
    out = tmp_path / "out.xlsx"
    exchange.export_for_system(str(out))
    rows = _membership_sheets(out)
    head = rows["发展步骤"][0]
    talk = next(r for r in rows["发展步骤"][1:] if str(r[head.index("步骤")]).startswith("1.2"))
    talk[head.index("说明")] = "在企业办公室谈话"
    report = exchange.import_file(_write(tmp_path / "note.xlsx", rows), actor=SYSTEM)
    assert report.ok and dev.steps.get(code="1.2").note == "在企业办公室谈话"
    talk[head.index("日期")] = date(2020, 2, 20)
    lines = [str(p) for p in exchange.import_file(_write(tmp_path / "date.xlsx", rows), actor=SYSTEM).problems]
    assert any("不能通过导入修改" in x for x in lines), lines
    assert dev.steps.get(code="1.2").done_on == date(2020, 2, 29)


def _flush_inside_the_test_transaction():
    """PostgreSQL refuses TRUNCATE while deferred FK checks are pending; fire them first."""
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)


def test_an_extension_survives_export_and_import_into_an_empty_database(pipe, tmp_path):
    dev = pipe.upto("5.23")
    services.probation_extend(actor=SYSTEM, development=dev, months=6, reason="需要继续考察")
    out = tmp_path / "out.xlsx"
    exchange.export_for_system(str(out))
    before = _membership_sheets(out)
    assert any("需要继续考察" in row for row in before["发展步骤"])

    _flush_inside_the_test_transaction()
    assert not Development.objects.exists()
    report = exchange.import_file(str(out), actor=SYSTEM)
    assert report.ok, [str(p) for p in report.problems]
    again = Development.objects.get(ref=dev.ref)
    assert (again.extension_months, again.extension_reason) == (6, "需要继续考察")
    meeting = again.steps.get(code="5.23")
    assert (meeting.extension_months, meeting.extension_reason) == (6, "需要继续考察")
    exchange.export_for_system(str(tmp_path / "again.xlsx"))
    assert _membership_sheets(tmp_path / "again.xlsx") == before
