"""The demo's 发展党员: imported through the ordinary importer (so every DEV
rule held), F15 tells the article's story for 2022, and the pipeline is alive
in recent months."""

from datetime import date

import pytest
from django.core.management import call_command

from fourfirsts.core import figures
from fourfirsts.membership import workflow
from fourfirsts.membership.models import Development, StepRecord
from fourfirsts.registry.models import PoliticalStatus

TODAY = date(2026, 11, 27)


@pytest.mark.django_db
def test_the_demo_tells_the_articles_membership_story(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("demo", "--today", TODAY.isoformat(), "--workbook", str(tmp_path / "d.xlsx"))

    f15 = figures.get("F15")
    result = f15.evaluate(None, 2022, today=TODAY)
    assert result.value > result.previous > 0 and result.trend == "增加"
    assert f15.display(result) == "向各商协党组织递交入党申请书的民营经济人士变得越来越多"

    assert Development.objects.filter(applied_on__year__gte=2023).exists()
    assert StepRecord.objects.filter(done_on__gte=date(2026, 1, 1)).exists()
    # Applicants at every stage (申请人, 积极分子, 发展对象, 预备党员), at the end of 2022 and today.
    in_progress = (workflow.APPLICANT, workflow.ACTIVIST, workflow.CANDIDATE, workflow.PROBATIONARY)
    for year in (2022, 2026):
        stages = figures.get("F33").evaluate(None, year, today=TODAY).parts
        assert all(stages[str(workflow.STAGE_LABELS[code])] >= 1 for code in in_progress), (year, stages)
    # Developments that ran their course made 中共预备党员, then 中共党员, through the pipeline.
    assert PoliticalStatus.objects.filter(source=PoliticalStatus.Source.PIPELINE,
                                          status=PoliticalStatus.Status.CPC_MEMBER).exists()
