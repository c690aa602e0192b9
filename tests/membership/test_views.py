"""The board, a development's page and the forms: what a user sees, what a
refusal says, and a fixed number of queries whatever the data size."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fourfirsts.membership.models import Development, StepRecord
from tests.conftest import make_person

pytestmark = pytest.mark.django_db


def _many(pipe, world, n):
    for i in range(n):
        p = make_person(f"申请人{i:02d}", birth_date=date(1990, 1, 1), is_entrepreneur=i % 2 == 0)
        dev = pipe.apply(person=p, applied_on=date(2020, 1, 31) if i % 4 == 0 else date(2021 + i % 2, 1, 31))
        if i % 4 == 0:
            pipe.advance(dev, "2.4")


def test_board_counts_people_per_stage_and_entrepreneurs_per_year(pipe, world, cast, client_for):
    pipe.upto("4.18")
    pipe.apply(person=make_person("二号", birth_date=date(1990, 1, 1)), applied_on=date(2021, 5, 1),
               org=world.org_b)
    page = client_for(cast.committee).get(reverse("membership:board"))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-stage="probationary">1<' in html and 'data-stage="applicant">1<' in html
    assert "陈申请" in html and "二号" in html and "民营经济人士" in html
    assert "<td>2020</td><td>1</td>" in html
    mine = client_for(cast.secretary_b).get(reverse("membership:board")).content.decode()
    assert "二号" in mine and "陈申请" not in mine
    member = client_for(cast.member_a).get(reverse("membership:board")).content.decode()
    assert "二号" not in member and "陈申请" not in member


def test_board_filters_by_org(pipe, world, cast, client_for, monkeypatch):
    from fourfirsts.core import forms as core_forms

    pipe.upto("1.2")
    client = client_for(cast.committee)
    html = client.get(reverse("membership:board"), {"org": world.org_b.pk}).content.decode()
    assert "陈申请" not in html and '<select name="org"' in html
    monkeypatch.setattr(core_forms, "CHOICES_MAX", 1)  # a province's 3,000 orgs: a name search instead
    html = client.get(reverse("membership:board"), {"org_name": world.org_b.name}).content.decode()
    assert "陈申请" not in html and 'name="org_name"' in html and '<select name="org"' not in html
    html = client.get(reverse("membership:board"), {"org_name": world.org_a.name}).content.decode()
    assert "陈申请" in html


@pytest.mark.parametrize("n", [2, 20])
def test_board_queries_do_not_grow(pipe, world, cast, client_for, django_assert_max_num_queries, n):
    _many(pipe, world, n)
    client = client_for(cast.committee)
    with django_assert_max_num_queries(19):  # one of them: are there too many orgs to list?
        assert client.get(reverse("membership:board")).status_code == 200


@pytest.mark.parametrize("through", ["1.2", "5.25"])
def test_detail_queries_do_not_grow_with_steps(pipe, cast, client_for, django_assert_max_num_queries, through):
    dev = pipe.upto(through)
    client = client_for(cast.committee)
    url = reverse("membership:development_detail", args=[dev.pk])
    client.get(url)  # warm what a running server has cached (content types)
    with django_assert_max_num_queries(16):
        page = client.get(url)
    assert page.status_code == 200


def test_detail_shows_done_next_and_blocked_with_the_rule(pipe, cast, client_for, time_machine):
    time_machine.move_to(date(2020, 10, 1))
    dev = pipe.upto("2.6")
    html = client_for(cast.secretary_a).get(reverse("membership:development_detail", args=[dev.pk])).content.decode()
    assert 'id="step-2.6" data-state="done"' in html
    assert 'id="step-3.7" data-state="blocked"' in html
    assert "DEV-3：确定为入党积极分子 12 个月后才能列为发展对象：最早 2021-03-10" in html
    assert "记录 3.7 确定发展对象" in html


def test_member_sees_their_own_development(pipe, world, cast, client_for):
    dev = pipe.apply(person=world.member_a, applied_on=date(2020, 1, 31))
    page = client_for(cast.member_a).get(reverse("membership:development_detail", args=[dev.pk]))
    assert page.status_code == 200 and "记录 1.2" not in page.content.decode()


def test_apply_form_creates_and_keeps_input_on_refusal(pipe, world, cast, client_for):
    client = client_for(cast.committee)
    young = make_person("少年", birth_date=date(2010, 1, 1))
    url = reverse("membership:development_create")
    page = client.post(url, {"person": young.pk, "party_org": world.org_a.pk, "applied_on": "2022-03-01",
                             "note": "本人手写申请书"})
    html = page.content.decode()
    assert page.status_code == 200 and "DEV-1" in html and "本人手写申请书" in html
    assert not Development.objects.exists()
    upload = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    page = client.post(url, {"person": pipe.applicant.pk, "party_org": world.org_a.pk, "applied_on": "2022-03-01",
                             "attachment": upload})
    dev = Development.objects.get()
    assert page.status_code == 302 and page["Location"] == reverse("membership:development_detail", args=[dev.pk])


def test_step_form_records_the_next_step_and_shows_refusals(pipe, cast, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    dev = pipe.upto("4.14")
    client = client_for(cast.secretary_a)
    url = reverse("membership:step_create", args=[dev.pk])
    page = client.get(url)
    assert "4.15 支部大会讨论" in page.content.decode() and 'name="votes_yes"' in page.content.decode()
    data = {"code": "4.15", "done_on": "2021-06-25", "voters_entitled": 10, "voters_present": 8, "votes_yes": 5,
            "note": "会议记录在附件"}
    page = client.post(url, data)
    html = page.content.decode()
    assert "DEV-5：赞成票应超过应到会有表决权党员的半数（5/10）" in html and "会议记录在附件" in html
    data["votes_yes"] = 8
    data["attachment"] = SimpleUploadedFile("会议记录.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client.post(url, data).status_code == 302
    record = StepRecord.objects.get(development=dev, code="4.15")
    assert record.votes_yes == 8 and record.actor_user == cast.secretary_a
    detail = client.get(reverse("membership:development_detail", args=[dev.pk])).content.decode()
    assert "会议记录.pdf" in detail and "应到 10，实到 8，赞成 8" in detail
    # The higher committee's step: not the branch's to record.
    assert client.get(url).status_code == 403


def test_step_form_refuses_a_stale_step(pipe, cast, client_for):
    dev = pipe.upto("1.2")
    page = client_for(cast.committee).post(reverse("membership:step_create", args=[dev.pk]),
                                           {"code": "1.2", "done_on": "2020-02-01"})
    assert "下一步已变为 2.3" in page.content.decode()


def test_review_and_extension_forms(pipe, cast, client_for):
    dev = pipe.upto("2.3")
    client = client_for(cast.committee)
    page = client.post(reverse("membership:review_create", args=[dev.pk]), {"reviewed_on": "2020-09-01",
                                                                          "note": "表现良好"})
    assert page.status_code == 302 and dev.reviews.get().note == "表现良好"
    dev2 = pipe.advance(dev, "5.23")
    page = client.post(reverse("membership:probation_extend", args=[dev2.pk]), {"months": 3, "reason": "继续考察"})
    assert "DEV-7：预备期可延长 6 至 12 个月" in page.content.decode() and "继续考察" in page.content.decode()
    page = client.post(reverse("membership:probation_extend", args=[dev2.pk]), {"months": 6, "reason": "继续考察"})
    dev2.refresh_from_db()
    assert page.status_code == 302 and dev2.extension_months == 6


def test_a_persons_page_leads_to_their_development_or_the_form(pipe, world, cast, client_for):
    client = client_for(cast.committee)
    url = reverse("membership:person_development", args=[pipe.applicant.pk])
    page = client.get(url)
    assert page.status_code == 302 and page["Location"].endswith(f"?person={pipe.applicant.pk}")
    form = client.get(page["Location"]).content.decode()
    assert f'<option value="{pipe.applicant.pk}" selected>' in form
    dev = pipe.apply()
    assert client.get(url)["Location"] == reverse("membership:development_detail", args=[dev.pk])
    person_page = client.get(reverse("registry:person_detail", args=[pipe.applicant.pk])).content.decode()
    assert url in person_page


@pytest.mark.parametrize("n", [2, 20])
def test_forms_queries_do_not_grow(pipe, world, cast, client_for, django_assert_max_num_queries, n):
    from fourfirsts.registry import services as reg
    from tests.membership.conftest import SYSTEM

    for i in range(n):
        p = make_person(f"党员{i:02d}", birth_date=date(1980, 1, 1))
        reg.party_joining_record(actor=SYSTEM, person=p, joined_on=date(2000, 1, 1), full_on=date(2001, 1, 1))
        pipe.apply(person=make_person(f"申请{i:02d}", birth_date=date(1990, 1, 1)), applied_on=date(2022, 1, 1))
    dev = pipe.upto("3.8")
    client = client_for(cast.committee)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("membership:step_create", args=[dev.pk]))
    assert page.status_code == 200 and f"党员{n - 1:02d}" in page.content.decode()
    with django_assert_max_num_queries(12):
        assert client.get(reverse("membership:development_create")).status_code == 200


def test_extend_is_offered_only_once_the_full_membership_meeting_is_recorded(pipe, cast, client_for):
    client = client_for(cast.committee)
    dev = pipe.upto("5.22")
    url = reverse("membership:development_detail", args=[dev.pk])
    extend = reverse("membership:probation_extend", args=[dev.pk])
    assert extend not in client.get(url).content.decode()
    page = client.post(extend, {"months": 6, "reason": "继续考察"})
    assert "请先记录步骤 5.23" in page.content.decode() and "继续考察" in page.content.decode()
    pipe.advance(dev, "5.23")
    assert extend in client.get(url).content.decode()
