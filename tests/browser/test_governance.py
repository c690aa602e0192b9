"""On a 390 px phone: the committee registers an association's establishment,
records the EST-1 steps through to founding on the pages, and the coverage page
then shows the association covered by its own party org, which F16 counts: the
dashboard's F16 tile and F16's drill-down page go from nothing to that association."""

from datetime import date

import pytest
from django.urls import reverse

from fourfirsts.core import figures
from fourfirsts.governance.models import Establishment
from fourfirsts.registry.models import AssociationStatus
from tests.governance.conftest import new_association, set_status

NAME = "娄底经开区电力局协会"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STEPS = (("commitment", "2022-03-02"), ("survey", "2022-03-07"), ("approval", "2022-04-01"),
         ("transfer", "2022-04-20"))


def test_committee_founds_an_org_and_coverage_and_f16_follow(cast, world, login, live_server):
    preparing = new_association("娄底经开区电力局协会", founded=date(2022, 3, 1),
                                status=AssociationStatus.Status.PREPARING)
    page = login("committee")
    page.goto(f"{live_server.url}/governance/establishments/new/")
    page.select_option("#id_association", value=str(preparing.pk))
    page.fill("#id_registered_on", "2022-03-01")
    page.fill("#id_org_name", "娄底经开区电力局协会党支部")
    page.select_option("#id_org_kind", value="branch")
    page.select_option("#id_parent", value=str(world.committee_org.pk))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    est = Establishment.objects.get(association=preparing)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    for step, day in STEPS:
        page.select_option("#id_step", value=step)
        page.fill("#id_done_on", day)
        page.click("main form[method=post] button[type=submit]")
        page.wait_for_load_state()
    assert est.steps.count() == 4
    assert figures.get("F16").evaluate(None, 2022).value == 0

    detail = page.url
    page.goto(f"{live_server.url}/governance/?day=2022-06-01")
    assert "娄底经开区电力局协会党支部" not in page.locator("main").inner_text()  # no org covers it yet
    tile, drill = f16_pages(page, live_server)
    assert tile["value"] == "0家" and NAME not in tile["text"]
    assert drill["display"] == "0家" and drill["empty"] and NAME not in drill["main"]

    set_status(preparing, AssociationStatus.Status.ACTIVE, date(2022, 5, 1))
    page.goto(detail)
    page.select_option("#id_step", value="founding")
    page.fill("#id_done_on", "2022-05-20")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    est.refresh_from_db()
    assert est.party_org is not None
    assert "娄底经开区电力局协会党支部" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/governance/?day=2022-06-01")
    row = page.locator("tr", has_text="娄底经开区电力局协会")
    assert "单独组建党组织" in row.inner_text()
    assert "娄底经开区电力局协会党支部" in row.inner_text()
    result = figures.get("F16").evaluate(None, 2022)
    assert (result.value, result.names) == (1, ["娄底经开区电力局协会"])

    tile, drill = f16_pages(page, live_server)  # what the committee sees changed
    assert tile["value"] == "1家" and "较上年 +1家" in tile["text"]
    assert drill["display"] == "1家" and not drill["empty"]
    assert NAME in drill["records"] and "2022年5月20日" in drill["records"]


def f16_pages(page, live_server):
    """The dashboard's F16 tile, then F16's drill-down page, for 2022."""
    page.goto(f"{live_server.url}{reverse('reports:dashboard')}?year=2022")
    tile = {"value": page.locator("#tile-F16 .tile-value").inner_text().strip(),
            "text": page.locator("#tile-F16").inner_text()}
    page.goto(f"{live_server.url}{reverse('reports:figure', args=['F16'])}?year=2022")
    records = page.locator("#figure-records tbody")
    drill = {"display": page.locator("#figure-display").inner_text().strip(),
             "empty": page.locator("#figure-empty").count() == 1,
             "records": records.inner_text() if records.count() else "",
             "main": page.locator("main").inner_text()}
    return tile, drill
