"""Attaching files to records: one model on Django's storage, with size and
type limits that give clear errors."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fourfirsts.core.models import Attachment


def check_upload(upload, *, field: str = "附件") -> str:
    """The file's extension, or a ValidationError naming what is wrong."""
    ext = PurePath(upload.name).suffix.lower()
    if ext not in settings.ATTACHMENT_TYPES:
        allowed = "、".join(sorted(settings.ATTACHMENT_TYPES))
        raise ValidationError(f"{field}“{upload.name}”的类型不允许，只能上传 {allowed}")
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(f"{field}“{upload.name}”超过 {limit // (1024 * 1024)}MB 的大小限制")
    if upload.size == 0:
        raise ValidationError(f"{field}“{upload.name}”是空文件")
    return ext


@transaction.atomic
def attach(*, owner, upload, actor, purpose: str = "") -> Attachment:
    ext = check_upload(upload)
    att = Attachment(
        content_type=ContentType.objects.get_for_model(owner),
        object_id=owner.pk,
        purpose=purpose,
        token=secrets.token_hex(16),
        name=PurePath(upload.name).name[:255],
        extension=ext,
        mime=settings.ATTACHMENT_TYPES[ext],
        size=upload.size,
        uploaded_at=timezone.now(),
        uploaded_by=str(actor),
    )
    att.file.save(att.token + ext, upload, save=False)
    att.save()
    return att


def attachments_of(owner):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk)
