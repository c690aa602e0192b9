"""Each role logs in through the real form and sees its own menu; a bad
workbook uploaded in the UI shows its errors and changes nothing."""

import openpyxl
import pytest

from fourfirsts.registry.models import Enterprise

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MENUS = {
    "committee": ["组织", "数据交换"],
    "secretary_a": ["组织"],
    "sysadmin": [],
}


@pytest.mark.parametrize("username", ["committee", "leader", "instructor", "secretary_a", "member_a", "handler"])
def test_each_domain_role_logs_in_and_sees_its_menu(cast, login, username):
    page = login(username)
    assert "/accounts/login/" not in page.url
    page.click(".navbar-toggler")
    menu = page.locator("#menu").inner_text()
    for label in MENUS.get(username, []):
        assert label in menu


@pytest.mark.parametrize(("username", "landing"), [
    ("sysadmin", "/accounts/users/"), ("secadmin", "/accounts/roles/"), ("auditadmin", "/accounts/security-log/")])
def test_admins_land_on_their_own_page(cast, login, username, landing):
    page = login(username)
    assert page.url.endswith(landing)


def test_bad_workbook_upload_shows_errors_and_changes_nothing(cast, login, tmp_path, live_server):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "会员企业"
    ws.append(["编号", "名称", "统一社会信用代码"])
    ws.append(["E9", "", "123"])
    path = tmp_path / "bad.xlsx"
    book.save(path)
    before = Enterprise.objects.count()
    page = login("committee")
    page.goto(f"{live_server.url}/exchange/workbook/")
    page.set_input_files("input[name=file]", str(path))
    page.click("text=上传并导入")
    page.wait_for_selector("text=未写入任何数据")
    text = page.content()
    assert "必填项为空" in text and "统一社会信用代码应为18位" in text
    assert Enterprise.objects.count() == before
