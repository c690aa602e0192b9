"""The committee reads the dashboard: the charts draw (ECharts under the
strict CSP), a bar opens the records behind it, and the annual report is
rendered in the background and downloaded."""

from datetime import date

import pytest

from tests.volunteering.conftest import make_activity, seed_activity_kinds

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_dashboard_charts_drill_down_and_the_report_downloads(cast, world, login, live_server, page):
    seed_activity_kinds()
    for day in (date(2022, 3, 5), date(2022, 9, 9)):
        make_activity(org=world.org_a, held=day, hours=2, participants=[world.member_a])
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.set_viewport_size({"width": 1280, "height": 900})

    login("committee")
    page.goto(f"{live_server.url}/reports/?year=2022")
    assert "2次" in page.locator("#tile-F08").inner_text()
    page.wait_for_selector("#chart-F01-by_month.chart-empty")  # no meetings this year: said so, no empty axes
    chart = page.locator("#chart-F32-by_kind")
    chart.scroll_into_view_if_needed()
    page.wait_for_selector("#chart-F32-by_kind.chart-ready canvas")
    box = chart.bounding_box()
    # The one bar with hours stands in its category's column; click inside its lower part.
    bar = page.evaluate("""() => {
        const inst = echarts.getInstanceByDom(document.getElementById('chart-F32-by_kind'));
        const i = inst.getOption().series[0].data.findIndex(v => v > 0);
        const r = inst.getModel().getSeriesByIndex(0).getData().getItemLayout(i);
        return [r.x + r.width / 2, r.y + r.height / 2];
    }""")
    with page.expect_navigation():
        page.mouse.click(box["x"] + bar[0], box["y"] + bar[1])
    assert "/reports/figures/F32/" in page.url and "segment=" in page.url
    assert page.locator("#figure-records tbody tr").count() >= 1
    assert not [e for e in errors if "Content Security Policy" in e], errors

    page.goto(f"{live_server.url}/reports/annual/?year=2022")
    assert "文明劝导2次" in page.locator("#report-preview").inner_text()
    with page.expect_navigation():
        page.click("button[name=format][value=txt]")
    page.wait_for_selector("#progress-download")
    with page.expect_download() as info:
        page.click("#progress-download")
    text = open(info.value.path(), encoding="utf-8").read()
    assert "文明劝导2次" in text
