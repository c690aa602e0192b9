"""Forms of the public 营商码 pages: the intake form, the rating form on the
tracking page, and the look-up by tracking number and phone. They check the
input and never save: the views call services/intake.py and services/appeals.py."""

import re
import secrets
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.forms import MultipleFileField
from fourfirsts.registry import validators
from fourfirsts.registry.forms import BootstrapMixin
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import intake

KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
NATURE_CHOICES = [("is_blockage", _("堵点")), ("is_pain_point", _("痛点")), ("is_difficulty", _("难点"))]


def _same_name(typed: str, registered: str) -> bool:
    def norm(s):
        return re.sub(r"\s", "", unicodedata.normalize("NFKC", s or ""))

    typed, registered = norm(typed), norm(registered)
    return typed == registered or (len(typed) >= 4 and typed in registered)


class IntakeForm(BootstrapMixin, forms.Form):
    """The public appeal form. From an association's code the enterprise types
    its name and 统一社会信用代码; from an enterprise's code both are known."""

    enterprise_name = forms.CharField(label=_("企业名称"), max_length=200,
                                      help_text=_("与营业执照上的名称一致"))
    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=30,
                           help_text=_("营业执照上的18位代码"),
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}))
    contact_name = forms.CharField(label=_("联系人"), max_length=50,
                                   widget=forms.TextInput(attrs={"autocomplete": "name"}))
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30,
                                    help_text=_("手机号码，或带区号的固定电话"),
                                    widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel",
                                                                  "inputmode": "tel"}))
    category = forms.ChoiceField(label=_("问题类别"), choices=[("", _("请选择")), *Appeal.Category.choices])
    kind = forms.ChoiceField(label=_("诉求性质"), choices=[("", _("请选择")), *Appeal.Kind.choices])
    nature = forms.MultipleChoiceField(label=_("属于（可多选，可不选）"), required=False, choices=NATURE_CHOICES,
                                       widget=forms.CheckboxSelectMultiple)
    title = forms.CharField(label=_("标题"), max_length=200, help_text=_("一句话说明遇到的问题"))
    description = forms.CharField(label=_("具体情况和诉求"), max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("发生了什么、涉及哪个部门或事项、希望如何解决"))
    attachment = MultipleFileField(label=_("附件（可不传，最多3个）"), noun=_("附件"), required=False)
    consent = forms.BooleanField(
        label=_("我同意将上面填写的联系人和联系电话提供给办理本诉求的承办单位"),
        help_text=_("承办单位（政府职能部门）需要通过这些联系方式向您核实情况、告知办理结果，"
                    "联系方式只提供给办理本诉求的单位。不同意则无法提交。"),
        error_messages={"required": _("请勾选同意将联系方式提供给承办单位：承办单位需要联系您核实情况和答复，"
                                      "不勾选无法提交")},
    )
    # The honeypot: hidden from people by CSS; a bot that fills it is answered
    # as usual and nothing is saved.
    website = forms.CharField(label=_("网址（请勿填写）"), required=False,
                              widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}))
    key = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, association=None, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association
        self.enterprise = enterprise
        if enterprise is not None:
            del self.fields["enterprise_name"]
            del self.fields["uscc"]
        self.fields["nature"].widget.attrs["class"] = "form-check-input"
        self.fields["attachment"].widget.attrs.update({
            "accept": ",".join(sorted(intake_types())),
            "data-max-files": str(intake.MAX_FILES),
            "data-max-files-message": _("附件最多上传%(max)s个") % {"max": intake.MAX_FILES},
        })
        self.fields["attachment"].help_text = _("可上传照片、PDF、Word 或 Excel 文件，每个不超过 %(mb)sMB") % {
            "mb": intake_max_mb()}
        if not self.is_bound:
            self.initial["key"] = secrets.token_urlsafe(18)

    def clean_uscc(self):
        return validators.check_uscc(self.cleaned_data["uscc"])

    def clean_contact_phone(self):
        return validators.check_phone(self.cleaned_data["contact_phone"], str(_("联系电话")))

    def clean_contact_name(self):
        return self.cleaned_data["contact_name"].strip()

    def clean_title(self):
        return self.cleaned_data["title"].strip()

    def clean_attachment(self):
        files = self.cleaned_data.get("attachment") or []
        if len(files) > intake.MAX_FILES:
            raise ValidationError(_("附件最多上传%(max)s个，您选择了%(count)s个，请减少后重新选择")
                                  % {"max": intake.MAX_FILES, "count": len(files)})
        return files

    def clean_key(self):
        key = self.cleaned_data.get("key", "")
        # A page without a usable key (an old or edited one) still submits, once.
        return key if KEY.match(key) else secrets.token_urlsafe(18)

    def clean(self):
        data = super().clean()
        if self.association is not None and data.get("uscc") and data.get("enterprise_name"):
            found = intake.member_of(self.association, data["uscc"])
            if found is None or not _same_name(data["enterprise_name"], found.name):
                self.add_error("uscc", _(
                    "在“%(association)s”的会员企业中没有找到“%(name)s”（统一社会信用代码 %(uscc)s）。"
                    "请核对企业名称和统一社会信用代码是否与营业执照一致；如果贵企业不是本商会的会员，"
                    "请扫描贵企业所在商会的营商码提交，或联系商会秘书处，也可以拨打12345政务服务便民热线。")
                    % {"association": self.association.name, "name": data["enterprise_name"], "uscc": data["uscc"]})
            else:
                self.enterprise = found
        return data

    @property
    def honeypot_filled(self) -> bool:
        return bool((self.data.get(self.add_prefix("website")) or "").strip())

    def values(self) -> dict:
        d = self.cleaned_data
        nature = set(d.get("nature") or ())
        return {
            "contact_name": d["contact_name"],
            "contact_phone": d["contact_phone"],
            "contact_consent": d["consent"],
            "category": d["category"],
            "kind": d["kind"],
            "is_blockage": "is_blockage" in nature,
            "is_pain_point": "is_pain_point" in nature,
            "is_difficulty": "is_difficulty" in nature,
            "title": d["title"],
            "description": d["description"].strip(),
        }


def intake_types():
    from django.conf import settings

    return settings.ATTACHMENT_TYPES.keys()


def intake_max_mb() -> int:
    from django.conf import settings

    return settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对办理结果的评价"),
        choices=[(r.value, r.label) for r in (Appeal.Rating.SATISFIED, Appeal.Rating.FAIRLY_SATISFIED,
                                              Appeal.Rating.UNSATISFIED)],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": _("请选择满意、基本满意或不满意")},
    )
    note = forms.CharField(label=_("意见和建议"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
                           help_text=_("选择不满意时请说明原因，承办单位将据此重新办理"))

    def clean(self):
        data = super().clean()
        if data.get("rating") == Appeal.Rating.UNSATISFIED and not (data.get("note") or "").strip():
            self.add_error("note", _("选择不满意时，请在“意见和建议”中说明不满意的原因，便于承办单位重新办理"))
        return data


class LookupForm(BootstrapMixin, forms.Form):
    ref = forms.CharField(label=_("查询编号"), max_length=40, help_text=_("提交后页面上显示的编号"),
                          widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}))
    phone = forms.CharField(label=_("提交时填写的联系电话"), max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))

    def clean_ref(self):
        return self.cleaned_data["ref"].strip().upper()

    def clean_phone(self):
        return validators.check_phone(self.cleaned_data["phone"], str(_("联系电话")))
