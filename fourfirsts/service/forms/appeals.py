"""Forms of the appeal pages. Like the registry's, they never save: the views
pass cleaned values to the services and map a service's ValidationError back
onto the form (`add_service_error`).

Every action form carries the state and the `updated_at` the user saw
(`seen_state`, `seen_updated`), so a view can tell the user the appeal moved
meanwhile and show their typed text again."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.forms import MultipleFileField
from fourfirsts.registry import validators
from fourfirsts.registry.forms import BootstrapMixin, ServiceForm
from fourfirsts.registry.models import Department, Enterprise, Person
from fourfirsts.service.models import Appeal

NATURE_CHOICES = [("blockage", _("堵点")), ("pain_point", _("痛点")), ("difficulty", _("难点"))]
NATURE_FIELDS = {"blockage": "is_blockage", "pain_point": "is_pain_point", "difficulty": "is_difficulty"}

# APL-4: the grounds on which an appeal is not accepted.
DECLINE_GROUNDS = [
    ("outside_remit", _("不属于受理范围")),
    ("emergency", _("属于110、119、120等紧急求助事项")),
    ("legal_process", _("已进入诉讼、仲裁、行政复议等程序")),
    ("secret", _("涉及国家秘密、商业秘密或个人隐私")),
    ("repeat", _("重复反映且无新情况、新理由")),
    ("malicious", _("恶意举报或无理诉求")),
    ("other", _("其他")),
]


def _all(label):
    return [("", label)]


# --- list filters ------------------------------------------------------------------------


class AppealFilter(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100, widget=forms.TextInput(
        attrs={"type": "search", "placeholder": _("标题或企业名称"), "autocomplete": "off"}))
    state = forms.ChoiceField(label=_("状态"), required=False, choices=_all(_("全部状态")) + Appeal.State.choices)
    category = forms.ChoiceField(label=_("类别"), required=False,
                                 choices=_all(_("全部类别")) + Appeal.Category.choices)
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=_all(_("全部渠道")) + Appeal.Channel.choices)
    kind = forms.ChoiceField(label=_("性质"), required=False, choices=_all(_("全部性质")) + Appeal.Kind.choices)
    nature = forms.ChoiceField(label=_("标签"), required=False, choices=_all(_("全部标签")) + NATURE_CHOICES)
    department = forms.ModelChoiceField(label=_("承办单位"), required=False, queryset=Department.objects.none(),
                                        empty_label=_("全部承办单位"))
    year = forms.IntegerField(label=_("收集年份"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"placeholder": _("收集年份")}))
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
    due_soon = forms.BooleanField(label=_("只看一个工作日内到期"), required=False)
    waiting = forms.BooleanField(label=_("只看待受理或交办"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.visible_to(user).order_by("sort_key", "id").only(
            "id", "name")


class InboxFilter(BootstrapMixin, forms.Form):
    department = forms.ModelChoiceField(label=_("承办单位"), required=False, queryset=Department.objects.none(),
                                        empty_label=_("全部承办单位"))
    state = forms.ChoiceField(label=_("状态"), required=False,
                              choices=_all(_("全部状态")) + [(s, Appeal.State(s).label) for s in Appeal.RUNNING_STATES])

    def __init__(self, *args, pick_department=False, **kwargs):
        super().__init__(*args, **kwargs)
        if pick_department:
            self.fields["department"].queryset = Department.objects.order_by("sort_key", "id").only("id", "name")
        else:
            del self.fields["department"]


# --- staff intake ---------------------------------------------------------------------------


class AppealForm(ServiceForm):
    attachment = MultipleFileField(label=_("附件"), required=False,
                                   help_text=_("照片、材料等，可多选"))

    class Meta:
        model = Appeal
        fields = ["channel", "enterprise", "raised_by", "collected_by", "collected_at", "category", "kind",
                  "is_blockage", "is_pain_point", "is_difficulty", "title", "description", "contact_name",
                  "contact_phone", "contact_consent"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "collected_at": forms.DateTimeInput(format="%Y-%m-%dT%H:%M", attrs={"type": "datetime-local"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["collected_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
        self.fields["collected_at"].initial = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(self.user).order_by(
            "sort_key", "id").only("id", "name")
        self.limit("raised_by", Person.objects)
        self.limit("collected_by", Person.objects)
        self.fields["contact_phone"].widget.attrs.update({"inputmode": "tel", "autocomplete": "off"})
        for name in ("raised_by", "collected_by"):
            self.fields[name].required = False
        person_id = getattr(self.user, "person_id", None)
        if person_id and not self.is_bound:
            self.initial.setdefault("collected_by", person_id)

    def clean_contact_phone(self):
        phone = (self.cleaned_data.get("contact_phone") or "").strip()
        return validators.check_phone(phone, str(_("联系电话"))) if phone else ""


# --- the workflow's actions ------------------------------------------------------------------


class ActionForm(BootstrapMixin, forms.Form):
    """The base of every action form: what the user saw when the form was shown."""

    seen_state = forms.CharField(widget=forms.HiddenInput, required=False)
    seen_updated = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, action="", **kwargs):
        kwargs.setdefault("auto_id", f"id_{action}_%s")
        super().__init__(*args, **kwargs)
        self.action = action

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("seen_state", "seen_updated")}

    def add_service_error(self, error: ValidationError, aliases=None) -> None:
        aliases = aliases or {}
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                field = aliases.get(field, field)
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def _text(label, required=True, rows=2, message=None, max_length=2000):
    errors = {"required": message} if message else {}
    return forms.CharField(label=label, required=required, max_length=max_length, error_messages=errors,
                           widget=forms.Textarea(attrs={"rows": rows}))


class NoteForm(ActionForm):
    note = _text(_("备注"), required=False)


class DeclineForm(ActionForm):
    ground = forms.ChoiceField(label=_("不予受理的情形"), choices=[("", "—"), *DECLINE_GROUNDS],
                               error_messages={"required": _("请选择不予受理的情形")})
    reason = _text(_("说明"), required=False, rows=3)

    def clean(self):
        data = super().clean()
        if data.get("ground") == "other" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("选择“其他”时请填写不予受理的理由"))
        return data

    def decline_reason(self) -> str:
        label = str(dict(DECLINE_GROUNDS)[self.cleaned_data["ground"]])
        text = (self.cleaned_data.get("reason") or "").strip()
        return f"{label}：{text}" if text else label


class AssignForm(ActionForm):
    department = forms.ModelChoiceField(label=_("承办单位"), queryset=Department.objects.none(),
                                        error_messages={"required": _("请选择承办单位")})
    note = _text(_("交办意见"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.order_by("sort_key", "id").only("id", "name")


class ExtensionForm(ActionForm):
    days = forms.IntegerField(label=_("申请延期（工作日）"), min_value=1, max_value=60,
                              error_messages={"required": _("请填写申请延期的工作日数")})
    reason = _text(_("延期理由（将告知企业）"), message=_("请填写延期理由（将告知企业）"))


class ReturnForm(ActionForm):
    reason = _text(_("退回理由"), message=_("请填写退回理由"))
    basis = _text(_("退回依据（法律法规或职能规定）"), message=_("请填写退回依据"))


class ReplyForm(ActionForm):
    reply = _text(_("答复内容"), rows=5, message=_("请填写答复内容"), max_length=10000)


RATING_CHOICES = [(r.value, r.label) for r in (Appeal.Rating.SATISFIED, Appeal.Rating.FAIRLY_SATISFIED,
                                                 Appeal.Rating.UNSATISFIED)]


class RateForm(ActionForm):
    rating = forms.ChoiceField(label=_("回访评价"), choices=[("", "—"), *RATING_CHOICES],
                               error_messages={"required": _("请选择企业的评价")})
    note = _text(_("回访记录"), required=False)


class CloseForm(ActionForm):
    note = _text(_("办结说明"), message=_("请填写办结说明"))


ACTION_FORMS = {
    "accept": NoteForm,
    "decline": DeclineForm,
    "assign": AssignForm,
    "reassign": AssignForm,
    "sign": NoteForm,
    "handle": NoteForm,
    "request_extension": ExtensionForm,
    "approve_extension": NoteForm,
    "refuse_extension": NoteForm,
    "return": ReturnForm,
    "reply": ReplyForm,
    "rate": RateForm,
    "close": CloseForm,
}
# Where the services' field names differ from the forms'.
ERROR_ALIASES = {"requested_extension_days": "days", "decline_reason": "reason"}


def action_form(action, data=None, *, appeal=None):
    """The form of one action, unbound (with what the user sees now) or bound."""
    initial = {}
    if appeal is not None:
        initial = {"seen_state": appeal.state, "seen_updated": appeal.updated_at.isoformat()}
    return ACTION_FORMS[action](data, action=action, initial=initial)


# --- on-site assignment ---------------------------------------------------------------------


class OnSiteForm(BootstrapMixin, forms.Form):
    leader = forms.ModelChoiceField(label=_("交办的市领导"), queryset=Person.objects.none(),
                                    error_messages={"required": _("请选择交办的市领导")})
    place = forms.CharField(label=_("交办地点（活动）"), max_length=200,
                            error_messages={"required": _("请填写交办地点")})
    on = forms.DateField(label=_("交办日期"), error_messages={"required": _("请填写交办日期")})
    note = forms.CharField(label=_("交办意见"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, leaders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders if leaders is not None else Person.objects.none()
