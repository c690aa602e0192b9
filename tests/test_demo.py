"""The demo: `manage.py demo` loads a plausible federation through the ordinary
importer, the demo accounts log in and see their part of it, a second run
writes nothing, and the workbook is the same for the same day."""

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import F, Min
from django.urls import reverse
from python_calamine import CalamineWorkbook

from demo import build
from fourfirsts.accounts.models import User
from fourfirsts.registry.models import (
    Association,
    Coverage,
    InstructorAssignment,
    PartyOrg,
    Person,
    active_on,
    overlapping,
)

TODAY = date(2026, 11, 27)
PASSWORD = "FourFirsts-2022"
USERNAMES = (
    "committee",
    "leader",
    "instructor",
    "secretary",
    "member",
    "handler",
    "sysadmin",
    "secadmin",
    "auditadmin",
)


def cells(path) -> dict[str, list[list]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def row_counts() -> dict[str, int]:
    models = [*apps.get_app_config("registry").get_models(), User]
    return {m._meta.label: m._default_manager.count() for m in models}


@pytest.mark.django_db
def test_demo_loads_a_federation_its_accounts_can_use(settings, client, tmp_path, capsys):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher"
    ]  # 18 logins' worth of hashing
    workbook = str(tmp_path / "d.xlsx")
    call_command("demo", "--today", TODAY.isoformat(), "--workbook", workbook)
    assert "已新增" in capsys.readouterr().out

    assert 90 <= Association.objects.count() <= 110
    a = Association.objects.get(name="娄底市安徽商会")
    assert 15 <= PartyOrg.objects.count() <= 25
    covered = Coverage.objects.filter(active_on(TODAY)).values("association").distinct().count()
    assert 22 <= covered <= 28
    assert 240 <= Person.objects.party_members_on(date(2022, 12, 31)).distinct().count() <= 270
    instructors_2022 = InstructorAssignment.objects.filter(
        overlapping(date(2022, 1, 1), date(2022, 12, 31))
    )
    assert instructors_2022.values("person").distinct().count() == 9

    # The article's 2022: 4 associations came under a party org, 安徽商会 first, 电力局协会 second.
    first_covered = (
        Association.objects.annotate(first=Min("coverages__since"))
        .filter(first__year=2022)
        .order_by("first", "sort_key")
    )
    assert [x.name for x in first_covered][:2] == ["娄底市安徽商会", "娄底经开区电力局协会"]
    assert first_covered.count() == 4

    # The agenda's 2022: 95 study sessions, 4 training classes (online and offline), 1 lecture;
    # most required 三会一课 slots held, a few orgs behind.
    from fourfirsts.core import figures

    assert figures.get("F01").evaluate(None, 2022, TODAY).value == 95
    classes = figures.get("F02").evaluate(None, 2022, TODAY)
    assert classes.value == 4 and classes.parts == {"线上": 2, "线下": 2, "线上线下": 0}
    assert figures.get("F03").evaluate(None, 2022, TODAY).value == 1
    assert 80 <= figures.get("F26").evaluate(None, 2022, TODAY).value < 100
    assert 80 <= figures.get("F24").evaluate(None, 2022, TODAY).value < 100
    # Attendance for late 2022 and for the last 90 days: recent meetings show 实到/应到, not “—”.
    from fourfirsts.agenda.models import Meeting, MeetingTopic

    recent = Meeting.objects.filter(held_on__gt=TODAY - timedelta(days=90))
    assert recent.count() > 100 and not recent.filter(expected_count=0).exists()
    assert 0 < recent.filter(present_count__lt=F("expected_count")).count() < recent.count()
    assert MeetingTopic.objects.filter(meeting__in=recent).count() > 20
    assert not Meeting.objects.filter(held_on__range=(date(2022, 11, 15), date(2022, 12, 31)),
                                      expected_count=0).exists()

    secretary = User.objects.get(username="secretary")
    assert Coverage.objects.filter(
        active_on(TODAY), association=a, party_org=secretary.party_org
    ).exists()
    assert secretary.person == secretary.party_org.secretary
    assert a in Association.objects.visible_to(secretary)
    assert a in Association.objects.visible_to(User.objects.get(username="instructor"))
    for username in USERNAMES:
        user = User.objects.get(username=username)
        assert user.is_demo and not user.must_change_password and user.role_codes
        response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302 and response.url == reverse("core:home"), username
        client.logout()

    before = row_counts()
    call_command("demo", "--today", TODAY.isoformat(), "--workbook", workbook)
    assert "已新增0行，已更新0行" in capsys.readouterr().out
    assert row_counts() == before


def test_the_same_day_builds_the_same_workbook(tmp_path):
    build.build_workbook(tmp_path / "one.xlsx", TODAY)
    build.build_workbook(tmp_path / "two.xlsx", TODAY)
    assert cells(tmp_path / "one.xlsx") == cells(tmp_path / "two.xlsx")


def test_what_happened_by_2022_does_not_move_with_today(tmp_path):
    now, later = cells_for(tmp_path, TODAY), cells_for(tmp_path, date(2027, 8, 15))
    assert list(now) == list(later)
    for sheet in now:
        assert past(now, sheet) == past(later, sheet), sheet
    assert len(later["指导员选派"]) > len(now["指导员选派"])  # a new term began on 2027-03-01
    # Undated rows follow their meeting: 2022's attendance stays put, and the
    # meetings of the last 90 days before each today have theirs too.
    for book in (now, later):
        assert len(past(book, "会议出席")) == len(past(now, "会议出席")) > 1000
        assert len(book["会议出席"]) - 1 > len(past(book, "会议出席")) + 1000
        assert len(book["会议议题"]) - 1 > len(past(book, "会议议题"))
    assert {r[0] for r in now["会议出席"][1:]} != {r[0] for r in later["会议出席"][1:]}


def cells_for(tmp_path, today):
    path = tmp_path / f"{today}.xlsx"
    build.build_workbook(path, today)
    return cells(path)


def past(book: dict[str, list[list]], sheet: str) -> list[list]:
    """The sheet's rows whose every date is in 2022 or before. A row without a
    date of its own (会议出席, 会议议题, 培训班学员) has the dates of the rows it
    references instead, so attendance at a 2022 meeting is of the past and
    attendance at last month's is not."""
    from fourfirsts.core import sheets as registry

    def dates(name, row, seen=()):
        own = [v for v in row if isinstance(v, date)]
        if own:
            return own
        spec = registry.get(name)
        out = []
        for col, value in zip(spec.columns, row[1:], strict=True):
            if col.kind == "ref" and value and (col.ref, value) not in seen and (col.ref, value) in index:
                out += dates(col.ref, index[col.ref, value], (*seen, (col.ref, value)))
        return out

    index = {(name, row[0]): row for name, rows in book.items() for row in rows[1:]}
    return [row for row in book[sheet][1:] if all(v.year <= 2022 for v in dates(sheet, row))]


def _by_ref(sheets: dict[str, list[list]]) -> dict[str, tuple]:
    return {name: (rows[0], sorted(rows[1:], key=lambda r: str(r[0]))) for name, rows in sheets.items() if rows}


@pytest.mark.django_db
def test_demo_workbook_round_trips_through_an_empty_database(tmp_path):
    """Importing the demo workbook into an empty database and exporting gives
    the same workbook: sheets, headers and cell values."""
    from fourfirsts.exchange import services

    demo_path, export_path = tmp_path / "demo.xlsx", tmp_path / "export.xlsx"
    build.build_workbook(str(demo_path), TODAY)
    from fourfirsts.core.actors import Actor

    report = services.import_file(str(demo_path), actor=Actor.system("测试"))
    assert report.ok, [str(p) for p in report.problems[:5]]
    services.export_for_system(str(export_path))
    assert _by_ref(cells(export_path)) == _by_ref(cells(demo_path))
