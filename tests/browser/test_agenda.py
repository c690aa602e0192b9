"""Secretary A records a 支委会 that studies a topic pushed to A and B, ticks
who came, and the topic's pending list shrinks by A's org."""

from datetime import date

import pytest

from fourfirsts.agenda import services
from fourfirsts.agenda.models import Meeting
from fourfirsts.core.actors import Actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_records_a_committee_meeting_studying_a_pushed_topic(cast, world, login, live_server):
    system = Actor.system("测试")
    topic = services.topic_save(actor=system, values={"name": "中央经济工作会议精神", "kind": "meeting_spirit",
                                                      "released_on": date(2022, 12, 18)})
    services.topic_push(actor=system, topic=topic, orgs=[world.org_a, world.org_b], pushed_on=date(2022, 12, 18))
    topic_url = f"{live_server.url}/agenda/topics/{topic.pk}/?on=2022-12-31"

    page = login("committee")
    page.goto(topic_url)
    assert page.locator("#pushes tr.push-pending").count() == 2

    page = login("secretary_a")
    page.goto(f"{live_server.url}/agenda/orgs/{world.org_a.pk}/?on=2022-12-31")
    page.click("#pending >> text=记录学习")
    page.select_option("select[name=kind]", value="committee_meeting")
    page.fill("input[name=title]", "12月支委会")
    page.fill("input[name=held_on]", "2022-12-20")
    page.fill("input[name=start_time]", "19:30")
    page.select_option("select[name=study_form]", label="传达学习")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector("text=保存出席情况")
    page.check(f"#present_{world.person_a.pk}")
    page.fill(f"#reason_{world.member_a.pk}", "出差")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector("#counts")
    assert page.locator("#counts").inner_text().replace(" ", "") == "2/1"

    # The detail page loads the sign-in QR code; let that request finish so its
    # session cookie cannot outlive the logout below.
    page.wait_for_load_state("networkidle")
    meeting = Meeting.objects.get(title="12月支委会")
    assert meeting.first_topic == topic and meeting.party_org == world.org_a

    page = login("committee")
    page.goto(topic_url)
    assert page.locator("#pushes tr.push-pending").count() == 1
    assert page.locator(f"#pushes tr[data-org='{world.org_a.pk}'].push-studied").count() == 1


def test_secretary_deletes_a_meeting_after_confirming(cast, world, login, live_server):
    from fourfirsts.core.models import Tombstone

    meeting = services.meeting_save(actor=Actor.system("测试"), values={
        "party_org": world.org_a, "kind": "theme_day", "title": "误录的主题党日", "held_on": date(2022, 12, 2),
        "start_time": "09:00"})
    page = login("secretary_a")
    page.goto(f"{live_server.url}/agenda/meetings/{meeting.pk}/")
    page.click("main >> text=删除")
    page.wait_for_selector("#confirm-delete")
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    page.click("#confirm-delete")
    page.wait_for_selector("text=没有找到符合条件的会议")
    assert not Meeting.objects.filter(pk=meeting.pk).exists()
    assert Tombstone.objects.filter(model="agenda.meeting", object_pk=str(meeting.pk), ref=meeting.ref).exists()
