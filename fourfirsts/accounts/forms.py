from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from fourfirsts.accounts.models import User
from fourfirsts.core.access import Role
from fourfirsts.registry.models import Department, PartyOrg, Person


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确。连续5次失败，账号将锁定30分钟。"),
        "inactive": _("此账号已停用，请联系系统管理员。"),
    }


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput)
    new_password1 = forms.CharField(label=_("新密码"), widget=forms.PasswordInput,
                                    help_text=_("至少8位，包含大写字母、小写字母、数字、符号中的至少三类，不能与最近5次相同"))
    new_password2 = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise forms.ValidationError(_("当前密码不正确"))
        return self.cleaned_data["old_password"]

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class AccountForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=150, required=False)


class LinkForm(forms.Form):
    person = forms.ModelChoiceField(label=_("关联人员"), queryset=Person.objects.none(), required=False)
    party_org = forms.ModelChoiceField(label=_("所在党组织（书记）"), queryset=PartyOrg.objects.none(), required=False)
    department = forms.ModelChoiceField(label=_("承办单位（承办人）"), queryset=Department.objects.none(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Linking is account work, not a read of personal data: names only.
        self.fields["person"].queryset = Person.objects.only("id", "name", "sort_key")
        self.fields["party_org"].queryset = PartyOrg.objects.only("id", "name", "sort_key")
        self.fields["department"].queryset = Department.objects.only("id", "name", "sort_key")


class AccountFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)


ROLE_CHOICES = list(Role.LABELS.items())


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=ROLE_CHOICES)
    granted = forms.TypedChoiceField(label=_("操作"), choices=[("1", _("授予")), ("0", _("撤销"))], coerce=lambda v: v == "1")


def users_for_list():
    return (
        User.objects.prefetch_related("groups")
        .select_related("person", "party_org", "department")
        .defer("person__id_number", "person__phone", "department__contact_phone")
    )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("令牌名称"), max_length=100, help_text=_("用途，例如“小程序”或“12345 平台对接”"))
    expires_on = forms.DateField(label=_("有效期至（可选）"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("留空则长期有效，直到撤销"))
