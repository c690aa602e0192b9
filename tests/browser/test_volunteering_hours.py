"""On a 390 px phone a member reports their hours at their org's activity; the
secretary confirms them; the confirmed-hours figure moves."""

from datetime import timedelta

import pytest
from django.utils import timezone

from fourfirsts.core import figures
from fourfirsts.volunteering.models import ActivityKind, Participation
from tests.volunteering.conftest import make_activity, seed_activity_kinds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_reports_hours_and_the_secretary_confirms(cast, world, login, live_server):
    seed_activity_kinds()
    held = timezone.localdate() - timedelta(days=2)
    activity = make_activity(org=world.org_a, code=ActivityKind.BEND_DOWN, held=held, title="社区弯腰捡垃圾")
    hours = figures.get("F32")
    before = hours.evaluate(None, held.year, timezone.localdate()).value

    page = login("member_a")
    page.goto(f"{live_server.url}/volunteering/mine/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("#id_activity", value=str(activity.pk))
    page.fill("#id_hours", "2.5")
    page.fill("#id_note", "清扫乐坪社区")
    with page.expect_navigation():
        page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector("#mine .badge")
    assert "社区弯腰捡垃圾" in page.locator("#mine").inner_text()
    row = Participation.objects.get(activity=activity, person=world.member_a)
    assert row.status != Participation.Status.CONFIRMED
    assert hours.evaluate(None, held.year, timezone.localdate()).value == before  # not yet confirmed

    page = login("secretary_a")
    page.goto(f"{live_server.url}/volunteering/confirm/")
    page.click(f"#queue input[name=row][value='{row.pk}'] ~ div button[value=confirm]")
    page.wait_for_selector("text=没有待确认的服务时长")
    row.refresh_from_db()
    assert row.status == Participation.Status.CONFIRMED
    assert hours.evaluate(None, held.year, timezone.localdate()).value == before + row.hours
