"""Attaching files to records: one model on Django's storage, with size and
type limits that give clear errors."""

import secrets
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core.models import Attachment


def check_upload(upload, *, field: str | None = None) -> str:
    """The file's extension, or a ValidationError naming what is wrong."""
    if field is None:
        field = _("附件")
    ext = PurePath(upload.name).suffix.lower()
    if ext not in settings.ATTACHMENT_TYPES:
        allowed = "、".join(sorted(settings.ATTACHMENT_TYPES))
        raise ValidationError(
            _("%(field)s“%(name)s”的类型不允许，只能上传 %(allowed)s")
            % {"field": field, "name": upload.name, "allowed": allowed}
        )
    limit = settings.ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("%(field)s“%(name)s”超过 %(limit)sMB 的大小限制")
            % {"field": field, "name": upload.name, "limit": limit // (1024 * 1024)}
        )
    if upload.size == 0:
        raise ValidationError(_("%(field)s“%(name)s”是空文件") % {"field": field, "name": upload.name})
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


def attach_all(*, owner, uploads, actor, purpose: str = "", photos: bool = False) -> list[Attachment]:
    """Every file of a form's file field on `owner`. With `photos`, images are
    kept as purpose "photo" (the record's pictures) and the rest as `purpose`.
    Call it inside the save's transaction: a refused file undoes the save."""
    return [attach(owner=owner, upload=upload, actor=actor,
                   purpose="photo" if photos and (upload.content_type or "").startswith("image/") else purpose)
            for upload in uploads or ()]


def attachments_of(owner):
    return Attachment.objects.filter(content_type=ContentType.objects.get_for_model(owner), object_id=owner.pk)
