"""Forms of the 第一责任 pages. Like the registry's, they never save: views pass
`values()` to the services and map their ValidationError back with
`add_service_error`."""

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.forms import MultipleFileField
from fourfirsts.governance.models import (
    Charter,
    Checklist,
    Clause,
    Establishment,
    EstablishmentStep,
    Honour,
    InstructorLog,
    Support,
)
from fourfirsts.registry.forms import BootstrapMixin, ServiceForm
from fourfirsts.registry.models import Association, InstructorAssignment, PartyOrg, Person


class DayFilter(BootstrapMixin, forms.Form):
    day = forms.DateField(label=_("日期"), required=False)

    def day_or_today(self):
        return (self.cleaned_data.get("day") if self.is_valid() else None) or timezone.localdate()


class CoverageFilter(DayFilter):
    uncovered = forms.ChoiceField(label=_("覆盖情况"), required=False, choices=[
        ("", _("全部商协会")), ("1", _("只看未覆盖的商协会"))])


class OrgCheckFilter(DayFilter):
    finding = forms.ChoiceField(label=_("检查项"), required=False, choices=[
        ("", _("全部党组织")), ("too_few", _("正式党员不足")), ("joint_too_wide", _("联合党支部覆盖单位过多")),
        ("kind_for_size", _("组织类型与党员人数不符")), ("no_committee", _("未设支部委员会")),
        ("term_ending", _("任期即将届满")), ("term_expired", _("任期已届满未换届"))])


class PeriodFilter(BootstrapMixin, forms.Form):
    first = forms.DateField(label=_("起始日期"), required=False)
    last = forms.DateField(label=_("截止日期"), required=False)
    ending = forms.ChoiceField(label=_("任期"), required=False,
                               choices=[("", _("全部选派记录")), ("1", _("任期即将届满"))])

    def ending_only(self) -> bool:
        return self.is_valid() and self.cleaned_data.get("ending") == "1"

    def period(self):
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        if not (data.get("first") or data.get("last")):
            if data.get("ending"):  # this month so far: every assignment active today overlaps it
                return today.replace(day=1), today
            last = today.replace(day=1) - timedelta(days=1)  # the last whole month
            return last.replace(day=1), last
        last = data.get("last") or today
        first = data.get("first") or last.replace(day=1)
        return (first, last) if first <= last else (last, first)


class HonourForm(ServiceForm):
    class Meta:
        model = Honour
        fields = ["kind", "title", "level", "association", "party_org", "cycle", "stage", "recognised_on",
                  "valid_until", "revoked_on", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("association", Association.objects.order_by("sort_key", "id"))
        self.limit("party_org", PartyOrg.objects.order_by("sort_key", "id"))


class HonourFilter(BootstrapMixin, forms.Form):
    kind = forms.ChoiceField(label=_("荣誉类别"), required=False,
                             choices=[("", _("全部类别")), *Honour.Kind.choices])
    level = forms.ChoiceField(label=_("级别"), required=False, choices=[("", _("全部级别")), *Honour.Level.choices])
    expiring = forms.ChoiceField(label=_("有效期"), required=False,
                                 choices=[("", _("全部有效期")), ("1", _("即将到期"))])


class EstablishmentFilter(BootstrapMixin, forms.Form):
    due = forms.ChoiceField(label=_("时限"), required=False, choices=[
        ("", _("全部筹备")), ("overdue", _("下一步骤已超期")), ("soon", _("下一步骤5个工作日内到期"))])


class EstablishmentForm(ServiceForm):
    class Meta:
        model = Establishment
        fields = ["association", "registered_on", "org_name", "org_kind", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("association", Association.objects.order_by("sort_key", "id"))
        self.limit("parent", PartyOrg.objects.order_by("sort_key", "id"))


class StepForm(BootstrapMixin, forms.Form):
    step = forms.ChoiceField(label=_("步骤"), choices=EstablishmentStep.Step.choices)
    done_on = forms.DateField(label=_("完成日期"))
    notes = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attachment = MultipleFileField(label=_("文件"), required=False)


class CharterForm(ServiceForm):
    attachment = MultipleFileField(label=_("章程文件"), required=False)

    class Meta:
        model = Charter
        fields = ["association", "version", "approved_on"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("association", Association.objects.order_by("sort_key", "id"))
        existing = dict(self.instance.clauses.values_list("clause", "evidence")) if self.instance.pk else {}
        for value, label in Clause.choices:
            self.fields[f"clause_{value}"] = forms.CharField(
                label=label, required=False, initial=existing.get(value, ""),
                help_text=_("填写章程中的条文位置或原文；留空表示未写入"))
        for name, field in self.fields.items():
            if name.startswith("clause_"):
                field.widget.attrs.setdefault("class", "form-control")

    def clauses(self) -> dict[str, str]:
        return {v: self.cleaned_data.get(f"clause_{v}", "") for v in Clause.values}


class AssignmentForm(ServiceForm):
    class Meta:
        model = InstructorAssignment
        fields = ["person", "association", "party_org", "since", "until", "source_unit", "post"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("person", Person.objects.order_by("sort_key", "id"))
        self.limit("association", Association.objects.order_by("sort_key", "id"))
        self.limit("party_org", PartyOrg.objects.order_by("sort_key", "id"))


class LogForm(ServiceForm):
    attachment = MultipleFileField(label=_("附件"), required=False)

    class Meta:
        model = InstructorLog
        fields = ["assignment", "kind", "held_on", "notes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from fourfirsts.core.access import Role, scope_of

        scope = scope_of(self.user)
        qs = InstructorAssignment.objects.select_related("person", "association").order_by("-since", "id")
        if Role.COMMITTEE not in scope.roles:
            qs = qs.filter(person_id=scope.person_id or 0)
        self.fields["assignment"].queryset = qs
        self.fields["assignment"].label_from_instance = lambda a: f"{a.person.name} — {a.association.name}"


class ChecklistForm(ServiceForm):
    items = forms.CharField(label=_("考核项目"), widget=forms.Textarea(attrs={"rows": 8}),
                            help_text=_("每行一项：项目名称,分值"))

    class Meta:
        model = Checklist
        fields = ["name", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["items"] = "\n".join(f"{i.name},{i.weight.normalize()}" for i in self.instance.items.all())

    def clean_items(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["items"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, weight = line.replace("，", ",").rpartition(",")
            try:
                value = Decimal(weight.strip())
            except ArithmeticError:
                value = None
            if not sep or not name.strip() or value is None:
                raise forms.ValidationError(_("第%(n)s行应为“项目名称,分值”：%(line)s") % {"n": n, "line": line})
            rows.append((name.strip(), value))
        return rows


class AssessmentForm(BootstrapMixin, forms.Form):
    party_org = forms.ModelChoiceField(label=_("党组织"), queryset=PartyOrg.objects.order_by("sort_key", "id"))
    assessed_on = forms.DateField(label=_("考核日期"))

    def __init__(self, *args, checklist=None, **kwargs):
        self.checklist = checklist
        super().__init__(*args, **kwargs)
        for item in checklist.items.all():
            self.fields[f"score_{item.pk}"] = forms.DecimalField(
                label=_("%(name)s（满分%(weight)s）") % {"name": item.name, "weight": item.weight.normalize()},
                min_value=0, max_digits=6, decimal_places=2)
            self.fields[f"evidence_{item.pk}"] = forms.CharField(label=_("佐证"), required=False)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def scores(self) -> dict:
        return {item.pk: (self.cleaned_data[f"score_{item.pk}"], self.cleaned_data.get(f"evidence_{item.pk}", ""))
                for item in self.checklist.items.all()}

    def add_service_error(self, error):
        ServiceForm.add_service_error(self, error)


class SupportForm(ServiceForm):
    class Meta:
        model = Support
        fields = ["party_org", "kind", "amount", "people", "person", "purpose", "given_on", "given_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("party_org", PartyOrg.objects.order_by("sort_key", "id"))
        self.limit("person", Person.objects.order_by("sort_key", "id"))
