"""On a 390 px phone: an enterprise submits an appeal through its 营商码, the
handler department replies through a signed link, the enterprise rates the
reply 不满意 on its tracking page, and the appeal is reopened for 重办."""

import re

import pytest

from fourfirsts.core.actors import Actor
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals, intake, links

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_business_code_to_signed_link_reply_to_unsatisfied_rating(cast, world, page, live_server):
    # The enterprise scans its code: the form opens with the enterprise filled in.
    page.goto(f"{live_server.url}/service/code/{intake.code_token('e', world.ent_a.pk)}/")
    assert page.locator("#intake-enterprise").inner_text() == world.ent_a.name
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    page.fill("#id_contact_name", "王经理")
    page.fill("#id_contact_phone", "1390738")  # too short: refused, the rest kept
    page.select_option("#id_category", value="logistics")
    page.select_option("#id_kind", value="coordination")
    page.fill("#id_title", "货车通行证办理周期长")
    page.fill("#id_description", "园区货车进城通行证每次需要一周。")
    page.check("#id_consent")
    page.evaluate("document.getElementById('intake-form').noValidate = true")  # the server's own check
    page.click("#intake-submit")
    page.wait_for_selector(".invalid-feedback")
    assert "联系电话" in page.locator("main").inner_text()
    assert page.input_value("#id_title") == "货车通行证办理周期长"
    assert Appeal.objects.count() == 0
    page.fill("#id_contact_phone", "13907380001")
    page.click("#intake-submit")
    page.wait_for_selector("#ack-ref")
    appeal = Appeal.objects.get()
    assert page.locator("#ack-ref").inner_text().strip() == appeal.ref
    track_url = page.locator("#ack-link").get_attribute("href")
    assert appeal.tracking_token in track_url

    # The committee accepts and assigns it and sends the department a link.
    committee = Actor.of(cast.committee)
    appeals.appeal_accept(appeal=appeal, actor=committee)
    appeals.appeal_assign(appeal=appeal, department=world.department, actor=committee)
    _link, token = links.link_create(appeal=appeal, actor=committee)

    # The department, without an account, signs, handles and replies on its phone.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/service/d/{token}/")
    for action in ("sign", "handle"):
        page.click(f"#action-{action} button[type=submit]")
        page.wait_for_load_state()
    page.fill("#action-reply textarea", "已协调交警部门，通行证改为当日办结。")
    page.click("#action-reply button[type=submit]")
    page.wait_for_selector("#no-actions")
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.REPLIED

    # The enterprise reads the reply and rates it 不满意: it goes back to the department.
    page.goto(track_url if track_url.startswith("http") else live_server.url + track_url)
    assert "当日办结" in page.locator("#track-reply").inner_text()
    page.check("#rating-form input[value=unsatisfied]")
    page.fill("#rating-form #id_note", "实际仍需三天。")
    page.click("#rating-submit")
    page.wait_for_load_state()
    appeal.refresh_from_db()
    assert appeal.state == Appeal.State.HANDLING
    assert appeal.redo_count == 1
    assert re.search("办理中", page.locator("#track-status").inner_text())
