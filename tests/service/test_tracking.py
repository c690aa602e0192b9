"""The enterprise's private tracking page: what it shows (and never shows),
the rating through the link, and the look-up by 编号 and phone."""

import pytest
import time_machine
from django.urls import reverse

from fourfirsts.core.actors import Actor
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals, intake
from tests.service.conftest import T, at, do


@pytest.fixture
def submit(world):
    """submit(title, enterprise=ent_a, phone=…): an appeal as the 营商码 form saves it."""
    counter = iter(range(1000))

    def make(title="货车通行证办理难", enterprise=None, phone="13812345678", description="城区限行后需跑三个部门"):
        return intake.intake_submit(
            actor=Actor.public(), enterprise=enterprise or world.ent_a, key=f"track-key-{next(counter):04d}-abcdef",
            at=at(2022, 10, 14),
            values={"contact_name": "刘经理", "contact_phone": phone, "contact_consent": True,
                    "category": "logistics", "kind": "coordination", "is_blockage": True, "is_pain_point": False,
                    "is_difficulty": False, "title": title, "description": description},
        ).appeal

    return make


def track_url(appeal):
    return reverse("service:track", args=[appeal.tracking_token])


def test_new_appeal_shows_its_state(client, submit):
    appeal = submit()
    page = client.get(track_url(appeal)).content.decode()
    assert appeal.title in page and appeal.ref in page
    assert "已收集" in page and "通过营商码提交" in page
    assert "13812345678" not in page and "刘经理" not in page


def test_token_of_one_appeal_never_shows_another(client, world, submit):
    mine = submit("货车通行证办理难", description="城区限行")
    other = submit("厂房用电增容", enterprise=world.ent_b, description="变压器容量不足")
    page = client.get(track_url(mine)).content.decode()
    assert "货车通行证办理难" in page
    assert "厂房用电增容" not in page and "变压器容量不足" not in page and other.ref not in page
    assert world.ent_b.name not in page


def test_unknown_token_is_404(client, submit):
    submit()
    response = client.get(reverse("service:track", args=["not-a-token"]))
    assert response.status_code == 404
    assert "查询链接无效" in response.content.decode()


def test_assigned_appeal_shows_department_and_due_date_but_no_staff(client, cast, world, submit, advance):
    appeal = advance(submit(), "assigned")
    page = client.get(track_url(appeal)).content.decode()
    assert world.department.name in page
    assert "2022-10-24 23:59" in page  # 5 working days after Monday 17 October
    assert "已交办" in page
    for username in ("committee", "handler"):
        assert username not in page


def test_extension_reason_and_reply_are_shown_but_not_the_return_reason(client, cast, world, submit, advance):
    handler, committee = Actor.of(cast.handler), Actor.of(cast.committee)
    appeal = advance(submit(), "handling")
    do("request_extension", appeal, handler, world)  # reason: 需要省厅协调
    do("approve_extension", appeal, committee, world)
    appeals.appeal_reply(appeal=appeal, reply="已为贵企业办理长期通行证", actor=handler, at=T)
    returned = advance(submit("第二件"), "returned")  # reason: 不属于本单位职责
    page = client.get(track_url(appeal)).content.decode()
    assert "需要省厅协调" in page and "延期已批准" in page
    assert "已为贵企业办理长期通行证" in page
    assert "2022-10-26 23:59" in page  # the new due date after two more working days
    returned_page = client.get(track_url(returned)).content.decode()
    assert "不属于本单位职责" not in returned_page and "交通运输局职能配置规定" not in returned_page
    assert "退回" in returned_page


def test_decline_reason_is_shown(client, cast, world, submit):
    appeal = submit()
    do("decline", appeal, Actor.of(cast.committee), world)
    page = client.get(track_url(appeal)).content.decode()
    assert "不予受理" in page and "属于司法程序中的事项" in page


def test_rating_form_only_once_replied(client, submit, advance):
    appeal = advance(submit(), "handling")
    assert 'id="rating-form"' not in client.get(track_url(appeal)).content.decode()
    response = client.post(track_url(appeal), {"rating": "satisfied"})
    assert response.status_code == 409 and 'id="track-unsent"' in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.HANDLING and appeal.rating == ""


def test_a_rating_sent_after_staff_recorded_one_is_given_back_not_dropped(client, cast, submit, advance):
    appeal = advance(submit(), "replied")
    assert 'id="rating-form"' in client.get(track_url(appeal)).content.decode()  # the enterprise opens the form
    appeals.appeal_rate(appeal=appeal, rating="satisfied", note="电话回访", actor=Actor.of(cast.committee),
                        at=at(2022, 10, 28))  # meanwhile staff record the follow-up call
    response = client.post(track_url(appeal), {"rating": "unsatisfied", "note": "通行证只给了一个月"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "您的评价没有提交" in page and "通行证只给了一个月" in page and "不满意" in page
    appeal.refresh_from_db()
    assert appeal.rating == Appeal.Rating.SATISFIED and appeal.redo_count == 0


def test_satisfied_closes_it(client, submit, advance):
    appeal = advance(submit(), "replied")
    assert 'id="rating-form"' in client.get(track_url(appeal)).content.decode()
    response = client.post(track_url(appeal), {"rating": "satisfied", "note": "办得快"}, follow=True)
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.CLOSED and appeal.rating == Appeal.Rating.SATISFIED
    page = response.content.decode()
    assert "已收到您的评价" in page and "已办结" in page and 'id="rating-form"' not in page


def test_unsatisfied_sends_it_back_for_redo(client, submit, advance):
    appeal = advance(submit(), "replied")
    response = client.post(track_url(appeal), {"rating": "unsatisfied", "note": "通行证只给了一个月"}, follow=True)
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.HANDLING and appeal.redo_count == 1
    page = response.content.decode()
    assert "重办" in page and "办理中" in page and "通行证只给了一个月" in page


def test_staff_notes_of_a_follow_up_call_stay_internal(client, cast, submit, advance):
    appeal = advance(submit(), "replied")
    appeals.appeal_rate(appeal=appeal, rating="fairly_satisfied", note="电话回访：企业负责人较为急躁",
                        actor=Actor.of(cast.committee), at=at(2022, 10, 28))
    page = client.get(track_url(appeal)).content.decode()
    assert "基本满意" in page and "较为急躁" not in page


def test_unsatisfied_needs_a_reason(client, submit, advance):
    appeal = advance(submit(), "replied")
    page = client.post(track_url(appeal), {"rating": "unsatisfied", "note": ""}).content.decode()
    assert "说明不满意的原因" in page
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REPLIED


def test_no_rating_chosen_is_named(client, submit, advance):
    appeal = advance(submit(), "replied")
    page = client.post(track_url(appeal), {"note": "还行"}).content.decode()
    assert "请选择满意、基本满意或不满意" in page and "还行" in page


def _many_steps(appeal, cast, world, rounds):
    handler, committee = Actor.of(cast.handler), Actor.of(cast.committee)
    for _ in range(rounds):
        do("request_extension", appeal, handler, world)
        do("refuse_extension", appeal, committee, world)


@pytest.mark.parametrize("rounds", [1, 10])
def test_tracking_page_queries_are_bounded(client, cast, world, submit, advance, rounds,
                                           django_assert_max_num_queries, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fourfirsts.core import attachments

    settings.MEDIA_ROOT = tmp_path
    appeal = advance(submit(), "handling")
    _many_steps(appeal, cast, world, rounds)
    for n in range(rounds):
        attachments.attach(owner=appeal, upload=SimpleUploadedFile(f"p{n}.jpg", b"\xff\xd8"), actor=Actor.public())
    with django_assert_max_num_queries(6):
        page = client.get(track_url(appeal)).content.decode()
    assert page.count("timeline-step") == 5 + 2 * rounds


# --- look-up by 编号 and phone ----------------------------------------------------------------


def test_lookup_by_ref_and_phone(client, submit):
    appeal = submit(phone="0738-8221234")
    response = client.post(reverse("service:track_lookup"), {"ref": appeal.ref.lower(), "phone": "0738 8221234"})
    assert response.status_code == 302 and response["Location"] == track_url(appeal)


def test_lookup_with_the_wrong_phone_finds_nothing(client, submit):
    appeal = submit()
    page = client.post(reverse("service:track_lookup"), {"ref": appeal.ref, "phone": "13900000000"}).content.decode()
    assert "没有找到" in page and appeal.tracking_token not in page


def test_lookup_is_rate_limited(client, submit, settings):
    appeal = submit()
    with time_machine.travel(at(2022, 10, 17, 10, 5), tick=False):
        for _ in range(intake.LOOKUPS_PER_IP_HOUR):
            client.post(reverse("service:track_lookup"), {"ref": "WRONG", "phone": "13900000000"})
        response = client.post(reverse("service:track_lookup"), {"ref": appeal.ref, "phone": "13812345678"})
        assert response.status_code == 429
        settings.FOURFIRSTS_INTAKE_RATE_LIMITS = False
        response = client.post(reverse("service:track_lookup"), {"ref": appeal.ref, "phone": "13812345678"})
        assert response.status_code == 302


def test_unsatisfied_after_the_last_redo_goes_to_the_committee(client, submit, advance):
    from datetime import date

    from fourfirsts.core import rules

    rules.setting_change(key="service.max_redo", raw="0", effective_from=date(2020, 1, 1), actor=Actor.system("测试"))
    appeal = advance(submit(), "replied")
    page = client.post(track_url(appeal), {"rating": "unsatisfied", "note": "仍未解决"}, follow=True).content.decode()
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.RATED and appeal.redo_count == 0
    assert "商协会党委将研究处理" in page
