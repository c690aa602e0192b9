"""Accounts: a user is linked to a registry person, a party org (secretaries)
or a department (handlers); roles are Django groups named by role code."""

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.access import Role


class User(AbstractUser):
    person = models.ForeignKey(
        "registry.Person", verbose_name=_("关联人员"), null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    party_org = models.ForeignKey(
        "registry.PartyOrg", verbose_name=_("所在党组织"), null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    department = models.ForeignKey(
        "registry.Department", verbose_name=_("承办单位"), null=True, blank=True, on_delete=models.SET_NULL, related_name="accounts"
    )
    must_change_password = models.BooleanField(_("首次登录须修改密码"), default=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, editable=False)

    class Meta:
        verbose_name = _("账号")
        ordering = ["username"]
        permissions = [("view_full_personal_data", _("查看完整个人信息（身份证号码）"))]

    @property
    def role_codes(self) -> list[str]:
        return sorted(g.name for g in self.groups.all() if g.name in Role.ALL)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role.LABELS[c]) for c in self.role_codes]


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords: a new one may not repeat the last 5."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


def role_group(code: str) -> Group:
    group, _created = Group.objects.get_or_create(name=code)
    return group


class ApiTokenQuerySet(models.QuerySet):
    def usable(self, now):
        return self.filter(revoked_at__isnull=True, user__is_active=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now))


class ApiToken(models.Model):
    """A personal API token: only its SHA-256 is stored; the token itself is
    shown once, when it is made. Revoking it refuses it at once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=100)
    prefix = models.CharField(_("前缀"), max_length=12)  # the first characters, so a user can tell tokens apart
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name}（{self.prefix}…）"
