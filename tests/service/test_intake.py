"""The 营商码 public form: what an enterprise sees, what it is told when
something is wrong (nothing saved, its input kept), the honeypot, the rate
limits, the double submit, and what the committee is told."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fourfirsts.core import rules
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Attachment, Notification
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import intake

NOW = datetime(2022, 10, 17, 10, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _frozen():
    # Rate-limit windows are per hour and per day: keep every post in one.
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def assoc_url(world):
    return reverse("service:intake", args=[intake.code_token("a", world.assoc_a.pk)])


def ent_url(world, enterprise=None):
    return reverse("service:intake", args=[intake.code_token("e", (enterprise or world.ent_a).pk)])


def answers(world, **over):
    """A complete submission from 湖南安徽建材 through the 安徽商会's code."""
    data = {
        "enterprise_name": world.ent_a.name,
        "uscc": world.ent_a.uscc,
        "contact_name": "刘经理",
        "contact_phone": "138 1234 5678",
        "category": "logistics",
        "kind": "coordination",
        "nature": ["is_blockage"],
        "title": "货车通行证办理难",
        "description": "城区限行后，送货车辆办理通行证需跑三个部门。",
        "consent": "on",
        "website": "",
        "key": "key-0001-abcdefghijkl",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def set_rule(key, value):
    rules.setting_change(key=key, raw=str(value), effective_from=date(2020, 1, 1), actor=Actor.system("测试"))


# --- the page -------------------------------------------------------------------------------


def test_association_code_asks_for_the_enterprise(client, world):
    page = client.get(assoc_url(world)).content.decode()
    assert world.assoc_a.name in page
    assert 'id="id_enterprise_name"' in page and 'id="id_uscc"' in page
    consent = page.split('id="id_consent"')[0].rsplit("<input", 1)[1]
    assert "checked" not in consent  # not ticked for them
    assert "承办单位" in page  # the consent says where the contact details go
    assert 'id="menu"' not in page


def test_enterprise_code_prefills_enterprise_and_association(client, world):
    page = client.get(ent_url(world)).content.decode()
    assert world.ent_a.name in page and world.assoc_a.name in page
    assert 'id="id_uscc"' not in page


def test_public_page_has_no_staff_menu_even_when_signed_in(client, cast, world):
    client.force_login(cast.committee)
    page = client.get(ent_url(world)).content.decode()
    assert 'id="menu"' not in page and world.ent_a.name in page


def test_forged_or_unknown_code_is_a_plain_404(client, world):
    good = intake.code_token("a", world.assoc_a.pk)
    for token in (good[:-2] + "xx", intake.code_token("a", 999999), "abc"):
        response = client.get(reverse("service:intake", args=[token]))
        assert response.status_code == 404
        assert "营商码无效" in response.content.decode()


@pytest.mark.parametrize("url", [assoc_url, ent_url])
def test_page_queries_are_bounded(client, world, django_assert_max_num_queries, url):
    with django_assert_max_num_queries(3):
        assert client.get(url(world)).status_code == 200


# --- a submission ------------------------------------------------------------------------------


def test_submission_is_saved_before_it_is_acknowledged(client, cast, world, media,
                                                       django_capture_on_commit_callbacks):
    photo = SimpleUploadedFile("限行路段.jpg", b"\xff\xd8\xff\xe0 photo", content_type="image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(assoc_url(world), answers(world, attachment=[photo]))
    page = response.content.decode()
    assert response.status_code == 200 and "诉求已收到" in page
    assert "no-store" in response["Cache-Control"]  # the page holds the private link
    appeal = Appeal.objects.get()
    assert appeal.enterprise == world.ent_a
    assert appeal.channel == Appeal.Channel.BUSINESS_CODE
    assert appeal.state == Appeal.State.COLLECTED
    assert appeal.collected_at == NOW
    assert (appeal.contact_name, appeal.contact_phone, appeal.contact_consent) == ("刘经理", "13812345678", True)
    assert appeal.is_blockage and not appeal.is_pain_point
    assert appeal.ref in page
    assert reverse("service:track", args=[appeal.tracking_token]) in page
    assert "收藏" in page
    assert Attachment.objects.get().name == "限行路段.jpg"
    note = Notification.objects.get(recipient=cast.committee)
    assert appeal.title in note.title and world.ent_a.name in note.body
    assert not Notification.objects.filter(recipient=cast.secretary_a).exists()


def test_enterprise_code_submission_needs_no_uscc(client, world):
    data = answers(world, enterprise_name=None, uscc=None, contact_phone="0738-8221234")
    response = client.post(ent_url(world), data)
    assert "诉求已收到" in response.content.decode()
    assert Appeal.objects.get().contact_phone == "0738-8221234"


def test_double_submit_returns_the_same_acknowledgement(client, world):
    first = client.post(assoc_url(world), answers(world)).content.decode()
    second = client.post(assoc_url(world), answers(world)).content.decode()
    appeal = Appeal.objects.get()
    assert appeal.ref in first and appeal.ref in second
    assert "没有重复提交" in second


def test_each_page_key_is_a_new_appeal(client, world):
    client.post(assoc_url(world), answers(world, key="key-0001-abcdefghijkl"))
    client.post(assoc_url(world), answers(world, key="key-0002-abcdefghijkl"))
    assert Appeal.objects.count() == 2


def test_each_page_gets_its_own_key(client, world):
    def key_of(page):
        return page.split('name="key" value="')[1].split('"')[0]

    first = key_of(client.get(assoc_url(world)).content.decode())
    second = key_of(client.get(assoc_url(world)).content.decode())
    assert first != second and len(first) >= 16


# --- wrong input: a message naming the field, nothing saved, input kept --------------------


def _bad_file(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize("over, message", [
    ({"uscc": "91431300MA4L000011"}, "统一社会信用代码校验位不正确"),
    ({"uscc": "9143130"}, "统一社会信用代码应为18位"),
    ({"contact_phone": "1381234567"}, "联系电话格式不正确"),
    ({"contact_phone": "8221234"}, "带区号的固定电话"),
    ({"consent": None}, "请勾选同意将联系方式提供给承办单位"),
    ({"contact_name": ""}, "请填写联系人"),
    ({"category": ""}, "请选择问题类别"),
])
def test_wrong_input_is_named_and_nothing_is_saved(client, world, over, message):
    response = client.post(assoc_url(world), answers(world, **over))
    page = response.content.decode()
    assert response.status_code == 200

    assert message in page
    assert Appeal.objects.count() == 0
    assert 'value="货车通行证办理难"' in page  # what they typed is still there
    assert "城区限行后" in page


def test_enterprise_not_a_member_is_told_what_to_do(client, world):
    """The 浙江商会's member cannot use the 安徽商会's code."""
    response = client.post(assoc_url(world), answers(world, enterprise_name=world.ent_b.name, uscc=world.ent_b.uscc))
    page = response.content.decode()
    assert "没有找到" in page and world.assoc_a.name in page and "所在商会的营商码" in page
    assert Appeal.objects.count() == 0
    assert world.ent_b.uscc in page


def test_enterprise_that_left_the_association_is_refused(client, world):
    from fourfirsts.registry.models import EnterpriseMembership

    EnterpriseMembership.objects.filter(enterprise=world.ent_a).update(until=date(2021, 12, 31))
    page = client.post(assoc_url(world), answers(world)).content.decode()
    assert "没有找到" in page and Appeal.objects.count() == 0


def test_name_must_match_the_registered_one(client, world):
    page = client.post(assoc_url(world), answers(world, enterprise_name="别家公司")).content.decode()
    assert "没有找到" in page and Appeal.objects.count() == 0
    # A shortened name that is part of the registered one is accepted.
    client.post(assoc_url(world), answers(world, enterprise_name="安徽建材"))
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize("files, message", [
    ([("报告.exe", b"MZ")], "类型不允许"),
    ([("空白.pdf", b"")], "“空白.pdf”是空文件"),
    ([(f"照片{i}.jpg", b"\xff\xd8") for i in range(4)], "附件最多上传3个"),
])
def test_bad_files_are_refused(client, world, media, files, message):
    uploads = [_bad_file(name, content) for name, content in files]
    page = client.post(assoc_url(world), answers(world, attachment=uploads)).content.decode()

    assert message in page
    assert Appeal.objects.count() == 0 and Attachment.objects.count() == 0
    assert 'value="货车通行证办理难"' in page
    assert "请重新选择附件" in page


def test_oversize_file_is_refused(client, world, media, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("现场.pdf", b"%PDF" + b"0" * (1024 * 1024), content_type="application/pdf")
    page = client.post(assoc_url(world), answers(world, attachment=[big])).content.decode()
    assert "超过 1MB" in page and "现场.pdf" in page
    assert Appeal.objects.count() == 0


# --- the honeypot ------------------------------------------------------------------------------


def test_honeypot_looks_normal_and_saves_nothing(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(assoc_url(world), answers(world, website="http://spam.example"))
    assert response.status_code == 200 and "诉求已收到" in response.content.decode()
    assert Appeal.objects.count() == 0 and Notification.objects.count() == 0


def test_honeypot_is_hidden_by_a_class_not_inline_style(client, world):
    page = client.get(assoc_url(world)).content.decode()
    field = page.split('class="hp-field"')[1].split("</div>")[0]
    assert 'name="website"' in field and "style=" not in page


# --- rate limits -------------------------------------------------------------------------------


def test_per_address_limit(client, world):
    set_rule("service.intake_per_ip_hour", 2)
    for n in range(2):
        assert "诉求已收到" in client.post(assoc_url(world), answers(world, key=f"key-ip-{n}-abcdefghijkl")).content.decode()
    response = client.post(assoc_url(world), answers(world, key="key-ip-9-abcdefghijkl"))
    assert response.status_code == 429
    assert "一小时后再试" in response.content.decode()
    assert Appeal.objects.count() == 2
    # Another address is not held back.
    other = client.post(assoc_url(world), answers(world, key="key-ip-8-abcdefghijkl"), REMOTE_ADDR="10.0.0.8")
    assert other.status_code == 200 and Appeal.objects.count() == 3


def test_per_address_limit_behind_a_proxy(client, world, settings):
    settings.FOURFIRSTS_PROXY_COUNT = 1
    set_rule("service.intake_per_ip_hour", 1)
    client.post(assoc_url(world), answers(world, key="key-px-1-abcdefghijkl"), HTTP_X_FORWARDED_FOR="1.2.3.4")
    other = client.post(assoc_url(world), answers(world, key="key-px-2-abcdefghijkl"), HTTP_X_FORWARDED_FOR="5.6.7.8")
    again = client.post(assoc_url(world), answers(world, key="key-px-3-abcdefghijkl"), HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert other.status_code == 200 and again.status_code == 429
    assert Appeal.objects.count() == 2


def test_per_enterprise_limit(client, world):
    set_rule("service.intake_per_enterprise_day", 1)
    client.post(assoc_url(world), answers(world, key="key-en-1-abcdefghijkl"), REMOTE_ADDR="10.0.0.1")
    response = client.post(ent_url(world), answers(world, key="key-en-2-abcdefghijkl"), REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429 and "明天再提交" in response.content.decode()
    from_code = client.post(assoc_url(world), answers(world, key="key-en-3-abcdefghijkl"), REMOTE_ADDR="10.0.0.3")
    assert from_code.status_code == 429
    assert Appeal.objects.count() == 1


def test_double_submit_does_not_count_twice(client, world):
    set_rule("service.intake_per_ip_hour", 2)
    for _ in range(3):
        client.post(assoc_url(world), answers(world))
    assert client.post(assoc_url(world), answers(world, key="key-new-1-abcdefghijkl")).status_code == 200
    assert Appeal.objects.count() == 2


def test_limits_can_be_switched_off(client, world, settings):
    settings.FOURFIRSTS_INTAKE_RATE_LIMITS = False
    set_rule("service.intake_per_ip_hour", 1)
    set_rule("service.intake_per_enterprise_day", 1)
    for n in range(3):
        assert client.post(assoc_url(world), answers(world, key=f"key-off-{n}-abcdefghijkl")).status_code == 200
    assert Appeal.objects.count() == 3


def test_double_submit_at_the_limit_still_gets_the_acknowledgement(client, world):
    set_rule("service.intake_per_ip_hour", 1)
    set_rule("service.intake_per_enterprise_day", 1)
    first = client.post(assoc_url(world), answers(world)).content.decode()
    again = client.post(assoc_url(world), answers(world))
    assert again.status_code == 200
    appeal = Appeal.objects.get()
    assert appeal.ref in first and appeal.ref in again.content.decode()


def test_a_key_cannot_fetch_another_enterprises_acknowledgement(client, world):
    client.post(assoc_url(world), answers(world))
    appeal = Appeal.objects.get()
    # The same key with the 浙江商会's code and member: no link to the first appeal.
    other = reverse("service:intake", args=[intake.code_token("e", world.ent_b.pk)])
    page = client.post(other, answers(world, enterprise_name=None, uscc=None)).content.decode()
    assert appeal.tracking_token not in page
    assert Appeal.objects.count() == 1
    assert "重新扫码" in page
