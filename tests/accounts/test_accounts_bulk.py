"""The system admin creates accounts for many people from the 人员 sheet."""

import html

import openpyxl

from fourfirsts.accounts.models import User
from fourfirsts.core.models import SecurityEvent
from tests.conftest import make_person


def upload(tmp_path, rows, header=("编号", "姓名", "用户名")):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "人员"
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    path = tmp_path / "people.xlsx"
    book.save(path)
    return open(path, "rb")


def test_sysadmin_creates_linked_accounts_with_one_time_passwords(cast, world, client_for, tmp_path):
    client = client_for(cast.sysadmin)
    li, zhao = make_person("李新"), make_person("赵新")
    with upload(tmp_path, [(li.ref, "李新", "lizhejiang"), (zhao.ref, "赵新", "zhao")]) as f:
        response = client.post("/accounts/users/bulk/", {"file": f})
    assert response.status_code == 200
    created = response.context["created"]
    assert [u.username for u, _ in created] == ["lizhejiang", "zhao"]
    account = User.objects.get(username="lizhejiang")
    assert account.person == li and account.must_change_password
    password = created[0][1]
    assert html.escape(password) in response.content.decode() and account.check_password(password)
    assert response.headers["Cache-Control"].startswith("max-age=0")
    assert SecurityEvent.objects.filter(kind="account_change", target="zhao").exists()


def test_any_bad_row_creates_no_account_and_names_each_problem(cast, world, client_for, tmp_path):
    client = client_for(cast.sysadmin)
    rows = [(make_person("甲").ref, "甲", "committee"), ("NO-SUCH", "某人", "someone"),
            (make_person("乙").ref, "乙", ""), (world.person_a.ref, "张安徽", "zhang")]
    before = User.objects.count()
    with upload(tmp_path, rows) as f:
        errors = client.post("/accounts/users/bulk/", {"file": f}).context["errors"]
    assert "人员 第2行 用户名：“committee”已被使用" in errors
    assert "人员 第3行 编号：找不到编号为“NO-SUCH”的人员" in errors
    assert "人员 第4行 用户名：必填项为空" in errors
    assert "人员 第5行 编号：人员“张安徽”已有账号" in errors
    assert User.objects.count() == before


def test_a_sheet_without_the_username_column_is_refused(cast, client_for, tmp_path):
    with upload(tmp_path, [("P1", "某人")], header=("编号", "姓名")) as f:
        errors = client_for(cast.sysadmin).post("/accounts/users/bulk/", {"file": f}).context["errors"]
    assert errors == ["“人员”工作表缺少列：用户名"]


def test_only_the_system_admin_may_bulk_create(cast, client_for):
    assert client_for(cast.secadmin).get("/accounts/users/bulk/").status_code == 403
    assert client_for(cast.committee).get("/accounts/users/bulk/").status_code == 403
    assert client_for(cast.sysadmin).get("/accounts/users/bulk/").status_code == 200


def test_production_refuses_a_superuser_login(client, db, settings):
    User.objects.create_superuser("root", password="Root-pass-2022")
    settings.PRODUCTION = True
    response = client.post("/accounts/login/", {"username": "root", "password": "Root-pass-2022"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    settings.PRODUCTION = False
    response = client.post("/accounts/login/", {"username": "root", "password": "Root-pass-2022"})
    assert response.status_code == 302
