"""The demo's 擦亮第一身份: the article's 2022 (文明劝导 5次, 弯腰行动 7次, 42 weak
villages, 59 industry projects, 1.27亿元 paid in, 6万元 for education, 9万余元
of hardship relief) through the figure registry, and recent months with hours
still waiting for their secretary."""

from datetime import date

import pytest
from django.core.management import call_command

from fourfirsts.core import figures
from fourfirsts.volunteering.models import Activity, Participation, Payment

TODAY = date(2026, 11, 27)


def shown(fid, year):
    figure = figures.get(fid)
    return figure.display(figure.evaluate(None, year, TODAY))


@pytest.mark.django_db
def test_the_demo_tells_the_articles_volunteering_story(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--today", TODAY.isoformat(), "--workbook", str(tmp_path / "d.xlsx"))

    assert {fid: shown(fid, 2022) for fid in ("F08", "F09", "F10", "F11", "F12", "F13", "F14")} == {
        "F08": "5次", "F09": "7次", "F10": "42个", "F11": "59个", "F12": "1.27亿元", "F13": "6万元",
        "F14": "9万余元"}
    assert figures.get("F12").evaluate(None, 2022, TODAY).value == 127_000_000
    assert figures.get("F13").evaluate(None, 2022, TODAY).value == 60_000  # exactly, not only "6万元"
    assert figures.get("F32").evaluate(None, 2022, TODAY).value > 0
    # Other years have other numbers; the recent months are alive.
    assert shown("F12", 2021) != "1.27亿元"
    assert figures.get("F12").evaluate(None, 2025, TODAY).value > 127_000_000
    assert Activity.objects.filter(held_on__gt=date(2026, 6, 1)).exists()
    assert Participation.objects.filter(status=Participation.Status.REPORTED).exists()
    assert Payment.objects.filter(paid_on__gt=date(2022, 12, 31)).exists()
