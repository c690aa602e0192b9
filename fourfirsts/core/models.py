"""Tables shared by every app: the base record, tombstones, the security log,
dated settings, working-day schedules, workflow events, attachments,
notifications and the periodic-job slots."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Record(models.Model):
    """Base of every domain record: timestamps that let API clients sync."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True, db_index=True)

    class Meta:
        abstract = True


def touches_parent(model, field: str) -> None:
    """Saving or deleting a `model` row counts as a change of the record its
    `field` points to (a payment changes its project's paid-in total), so an
    API client syncing the parent with `updated_since` sees it."""

    def touch(sender, instance, **kwargs):
        parent_id = getattr(instance, f"{field}_id", None)
        if parent_id is not None:
            parent = model._meta.get_field(field).related_model
            parent._default_manager.filter(pk=parent_id).update(updated_at=timezone.now())

    post_save.connect(touch, sender=model, weak=False, dispatch_uid=f"touch:{model._meta.label}:{field}")
    post_delete.connect(touch, sender=model, weak=False, dispatch_uid=f"touch-del:{model._meta.label}:{field}")


class Tombstone(models.Model):
    """What was deleted, so a client syncing with `updated_since` learns of it."""

    model = models.CharField(max_length=100)
    object_pk = models.CharField(max_length=64)
    ref = models.CharField(max_length=40, blank=True)
    deleted_at = models.DateTimeField(db_index=True)
    deleted_by = models.CharField(max_length=150, blank=True)

    class Meta:
        indexes = [models.Index(fields=["model", "deleted_at"])]

    @classmethod
    def leave(cls, obj, *, by, at=None) -> "Tombstone":
        """Record that `obj` is about to be deleted by `by` (an actor or a name)."""
        from django.utils import timezone

        return cls.objects.create(model=obj._meta.label_lower, object_pk=str(obj.pk), ref=getattr(obj, "ref", ""),
                                  deleted_at=at or timezone.now(), deleted_by=str(by)[:150])


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError(_("安全日志只能追加，不能修改"))

    def delete(self):
        raise PermissionError(_("安全日志不能删除"))


class SecurityEvent(models.Model):
    """The append-only security log (等保): only the audit admin reads it."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("登录成功")
        LOGIN_FAILED = "login_failed", _("登录失败")
        LOCKOUT = "lockout", _("账号锁定")
        LOGOUT = "logout", _("退出登录")
        PASSWORD_CHANGE = "password_change", _("修改密码")
        PASSWORD_RESET = "password_reset", _("重置密码")
        ROLE_CHANGE = "role_change", _("角色变更")
        ACCOUNT_CHANGE = "account_change", _("账号变更")
        UNMASKED_VIEW = "unmasked_view", _("查看完整个人信息")
        EXPORT = "export", _("导出")
        IMPORT = "import", _("导入")
        BACKUP = "backup", _("备份")
        SETTING_CHANGE = "setting_change", _("规则设置变更")
        TOKEN_CREATE = "token_create", _("创建 API 令牌")
        TOKEN_REVOKE = "token_revoke", _("撤销 API 令牌")

    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=32, choices=Kind.choices, db_index=True)
    username = models.CharField(max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    target = models.CharField(max_length=255, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]

    def save(self, *args, **kwargs):
        # Append-only: a row once written is never changed.
        if self.pk is not None:
            raise PermissionError(_("安全日志只能追加，不能修改"))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError(_("安全日志不能删除"))


class SettingValue(models.Model):
    """One dated value of a registered setting; the value in force on a day is
    the latest one effective on or before it."""

    key = models.CharField(max_length=100)
    value = models.JSONField()
    effective_from = models.DateField()
    changed_by = models.CharField(max_length=150, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["key", "-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["key", "effective_from"], name="setting_once_per_day")
        ]


class WorkdaySchedule(models.Model):
    """The State Council's holiday schedule for a year the calendar library does
    not know: holidays on weekdays and 调休 working days on weekends."""

    year = models.PositiveSmallIntegerField(unique=True)
    holidays = models.JSONField(default=list, help_text=_("放假日期（工作日中放假的日期）"))
    workdays = models.JSONField(default=list, help_text=_("调休上班日期（周末上班的日期）"))
    entered_by = models.CharField(max_length=150, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year"]


class WorkflowEvent(models.Model):
    """One transition of any workflow: old and new state, who, when, why."""

    class ActorKind(models.TextChoices):
        USER = "user", _("用户")
        SYSTEM = "system", _("系统")
        PUBLIC = "public", _("公众")
        SIGNED_LINK = "signed_link", _("签名链接")
        PERSON = "person", _("人员")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    workflow = models.CharField(max_length=50)
    action = models.CharField(max_length=50)
    old_state = models.CharField(max_length=50, blank=True)
    new_state = models.CharField(max_length=50)
    actor_kind = models.CharField(max_length=20, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField(db_index=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]


def attachment_path(instance, filename):
    return f"attachments/{instance.uploaded_at:%Y/%m}/{instance.token}{instance.extension}"


class Attachment(Record):
    """A file belonging to a record; served only after the owner's scope check."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("content_type", "object_id")
    purpose = models.CharField(max_length=30, blank=True)
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=attachment_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=255)
    extension = models.CharField(max_length=10)
    mime = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.CharField(max_length=150, blank=True)

    class Meta:
        indexes = [models.Index(fields=["content_type", "object_id"])]


class Notification(models.Model):
    """An entry in a user's in-app inbox."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]


class JobRun(models.Model):
    """A periodic job claimed for one time slot: the unique pair is what makes
    each job run once per slot however many workers are running."""

    job = models.CharField(max_length=100)
    slot = models.DateTimeField()
    claimed_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    output = models.TextField(blank=True)

    class Meta:
        ordering = ["-slot"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="job_once_per_slot")]
