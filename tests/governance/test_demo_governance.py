"""The demo's 第一责任: the article's 2022 through the figure registry — F16
(4 associations, 娄底市安徽商会 and 娄底经开区电力局协会 first), F18 = 3,
F19 = 4, F20 = 13 — and plausible rates, charters, logs and assessments."""

from datetime import date

import pytest
from django.core.management import call_command

from fourfirsts.core import figures
from fourfirsts.governance.figures import lead_names
from fourfirsts.governance.models import Assessment, Establishment, InstructorLog

TODAY = date(2026, 11, 27)


def evaluate(fid, year=2022):
    return figures.get(fid).evaluate(None, year, TODAY)


@pytest.mark.django_db
def test_the_demo_tells_the_articles_governance_story(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--today", TODAY.isoformat(), "--workbook", str(tmp_path / "d.xlsx"))

    f16 = evaluate("F16")
    assert (f16.value, lead_names(f16.names)) == (4, "娄底市安徽商会、娄底经开区电力局协会等")
    assert {fid: figures.get(fid).display(evaluate(fid)) for fid in ("F16", "F18", "F19", "F20")} == {
        "F16": "4家", "F18": "3个", "F19": "4家", "F20": "13家"}
    # Plausible beyond the article: rates between none and all, other years differ.
    for fid in ("F21", "F22", "F23"):
        assert 0 < evaluate(fid).value < 100, fid
    assert evaluate("F22").value > evaluate("F21").value
    assert evaluate("F19", 2019).value != 4
    assert InstructorLog.objects.filter(held_on__year=2022).count() > 1000
    assert Assessment.objects.filter(assessed_on__year=2022).exists()
    assert Establishment.objects.filter(party_org__isnull=True).exists()
