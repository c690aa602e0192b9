"""Attachments: type and size limits with clear messages; served only in scope."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fourfirsts.core import attachments, notify
from fourfirsts.core.actors import Actor


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_a_file_of_a_forbidden_type_is_refused_with_its_name(world):
    upload = SimpleUploadedFile("名单.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError, match="附件“名单.exe”的类型不允许，只能上传"):
        attachments.attach(owner=world.assoc_a, upload=upload, actor=Actor.system())
    assert not attachments.attachments_of(world.assoc_a).exists()


def test_a_file_over_the_size_limit_is_refused(world, settings):
    settings.ATTACHMENT_MAX_BYTES = 1024 * 1024
    upload = SimpleUploadedFile("照片.jpg", b"x" * (1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError, match="超过 1MB 的大小限制"):
        attachments.attach(owner=world.assoc_a, upload=upload, actor=Actor.system())


def test_an_empty_file_is_refused(world):
    with pytest.raises(ValidationError, match="是空文件"):
        attachments.attach(owner=world.assoc_a, upload=SimpleUploadedFile("a.pdf", b""), actor=Actor.system())


def test_an_attachment_is_served_only_to_readers_of_its_record(world, cast, client_for):
    upload = SimpleUploadedFile("章程.pdf", b"%PDF-1.4 charter", content_type="application/pdf")
    att = attachments.attach(owner=world.assoc_a, upload=upload, actor=Actor.system())
    url = f"/files/{att.token}/"
    response = client_for(cast.secretary_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 charter"
    assert "章程.pdf" in response.headers["Content-Disposition"] or "%E7%AB%A0" in response.headers[
        "Content-Disposition"]
    assert client_for(cast.secretary_b).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_notifications_reach_the_inbox_and_every_configured_sender(cast, settings, caplog):
    settings.NOTIFY_SENDERS = ["fourfirsts.core.notify.LogSender"]
    with caplog.at_level(logging.INFO, logger="fourfirsts.notify"):
        notify.notify([cast.secretary_a], title="第一议题待学习", body="请在7日内学习", link="/")
    assert cast.secretary_a.notifications.get().title == "第一议题待学习"
    assert "would send to secretary_a: 第一议题待学习" in caplog.text


def test_a_refused_file_is_named_under_its_own_field_by_the_field_label():
    from django import forms

    from fourfirsts.core.forms import MultipleFileField

    class Form(forms.Form):
        photos = MultipleFileField(label="活动照片", required=False)
        public = MultipleFileField(label="附件（可不传，最多3个）", noun="附件", required=False)

    files = {"photos": [SimpleUploadedFile("合影.exe", b"MZ"), SimpleUploadedFile("空.jpg", b"")],
             "public": [SimpleUploadedFile("说明.bat", b"echo")]}
    form = Form(data={}, files=_multi(files))
    assert not form.is_valid()
    assert form.errors["photos"][0].startswith("活动照片“合影.exe”的类型不允许")
    assert form.errors["photos"][1] == "活动照片“空.jpg”是空文件"
    assert form.errors["public"][0].startswith("附件“说明.bat”的类型不允许")


def test_attach_all_keeps_images_as_photos_and_the_rest_by_purpose(world):
    files = [SimpleUploadedFile("合影.jpg", b"\xff\xd8jpeg", content_type="image/jpeg"),
             SimpleUploadedFile("签到表.pdf", b"%PDF-1.4", content_type="application/pdf")]
    attachments.attach_all(owner=world.assoc_a, uploads=files, actor=Actor.system(), purpose="evidence", photos=True)
    assert sorted(attachments.attachments_of(world.assoc_a).values_list("name", "purpose")) == [
        ("合影.jpg", "photo"), ("签到表.pdf", "evidence")]


def _multi(files):
    from django.utils.datastructures import MultiValueDict

    return MultiValueDict(files)
