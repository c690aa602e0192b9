"""The committee creates an association and links it to secretary A's party
org; secretary A finds it by pinyin initials; secretary B gets a 404."""

import pytest

from fourfirsts.registry.models import Association

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_association_reaches_secretary_a_and_not_b(cast, world, login, live_server):
    page = login("committee")
    page.goto(f"{live_server.url}/registry/associations/new/")
    page.fill("input[name=name]", "娄底市湘潭商会")
    page.select_option("select[name=kind]", label="异地商会")
    page.fill("input[name=founded_on]", "2023-04-01")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_selector("text=新增覆盖关系")
    association = Association.objects.get(name="娄底市湘潭商会")
    detail = f"{live_server.url}/registry/associations/{association.pk}/"
    assert page.url == detail

    page.click("text=新增覆盖关系")
    page.select_option("select[name=party_org]", label="娄底市安徽商会党支部")
    page.fill("input[name=since]", "2024-01-01")
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()
    assert association.coverages.filter(party_org=world.org_a).exists()

    page = login("secretary_a")
    page.goto(f"{live_server.url}/registry/associations/?q=ldsxtsh")
    assert "娄底市湘潭商会" in page.locator("main").inner_text()

    page = login("secretary_b")
    response = page.goto(detail)
    assert response.status == 404
    assert "娄底市湘潭商会" not in page.content()
