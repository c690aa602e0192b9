"""Forms of the registry pages.

List filters narrow a `visible_to` queryset. Record forms take their fields
from the models (labels, choices, lengths) and check identifiers with
`validators`; they never save or touch the instance: the views pass
`cleaned_data` to the services and map the services' ValidationError back
onto the form with `add_service_error`.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.searchkeys import normalise_query
from fourfirsts.registry import services, validators
from fourfirsts.registry.models import (
    INDUSTRY_SECTIONS,
    Association,
    AssociationStatus,
    Coverage,
    Department,
    Enterprise,
    InstructorAssignment,
    PartyOrg,
    Person,
)

REQUIRED_DEFAULT = forms.Field.default_error_messages["required"]


def _required_message(field) -> str:
    """“请填写联系人” rather than Django's “这个字段是必填项”: the message names the field."""
    verb = gettext("请选择") if isinstance(field.widget, (forms.Select, forms.CheckboxInput,
                                                         forms.RadioSelect, forms.CheckboxSelectMultiple)) \
        else gettext("请填写")
    return f"{verb}{field.label}"


class BootstrapMixin:
    """Bootstrap 5 classes on every widget; dates as <input type="date">;
    a required field's message names it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label and str(field.error_messages.get("required")) == str(REQUIRED_DEFAULT):
                field.error_messages = {**field.error_messages, "required": _required_message(field)}
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs.setdefault("class", css)


def _all(label) -> str:
    return gettext("全部%(label)s") % {"label": label}


def _any(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=[("", lazy(_all, str)(label)), *choices])


# --- list filters ---------------------------------------------------------------------


class ListFilter(BootstrapMixin, forms.Form):
    q = forms.CharField(
        label=_("搜索"),
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("名称或拼音首字母"), "autocomplete": "off"}
        ),
    )
    lookups: dict[str, str] = {}  # filter field → queryset lookup, when they differ

    def apply(self, qs):
        """The queryset narrowed by every valid filter (an invalid one is ignored)."""
        self.is_valid()
        for name, value in self.cleaned_data.items():
            if value and name != "q":
                qs = qs.filter(**{self.lookups.get(name, name): value})
        return self.search(qs, self.cleaned_data.get("q", ""))

    def search(self, qs, q):
        return qs.search(q)


class AssociationFilter(ListFilter):
    kind = _any(_("类别"), Association.Kind.choices)
    status = _any(_("状态"), AssociationStatus.Status.choices)
    lookups = {"status": "current_status"}  # annotated by the view


class PartyOrgFilter(ListFilter):
    kind = _any(_("类型"), PartyOrg.Kind.choices)


class EnterpriseFilter(ListFilter):
    industry = _any(_("行业门类"), sorted(INDUSTRY_SECTIONS.items()))
    size = _any(_("规模"), Enterprise.Size.choices)


class InstructorAssignmentFilter(ListFilter):
    def search(self, qs, q):
        # Assignments have no search key of their own: match the instructor or the association.
        q = normalise_query(q or "")
        if not q:
            return qs
        return qs.filter(Q(person__search_key__contains=q) | Q(association__search_key__contains=q))


# --- record forms -----------------------------------------------------------------------


class ServiceForm(BootstrapMixin, forms.ModelForm):
    """A ModelForm for its fields and initial values only: validation beyond the
    fields and the save are the service's, so the instance is never changed here."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def _post_clean(self):
        pass  # no construct_instance() and no model validation: the service does both

    def values(self) -> dict:
        """cleaned_data of the model fields, for the service's `values`."""
        return {k: v for k, v in self.cleaned_data.items() if k in self._meta.fields}

    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)

    def limit(self, name, queryset):
        """A choice among the records the user sees, plus the current one."""
        field = self.fields[name]
        current = getattr(self.instance, f"{name}_id", None) or self.initial.get(name)
        visible = Q(pk__in=queryset.visible_to(self.user).values("pk"))
        field.queryset = queryset.filter(visible | Q(pk=getattr(current, "pk", current)))
        if queryset.model is Person:  # names only: never decrypt numbers for a select
            field.queryset = field.queryset.only("id", "name", "sort_key")


def _check(check, value):
    return check(value) if value else value


class AssociationForm(ServiceForm):
    status = forms.ChoiceField(
        label=_("状态"),
        choices=AssociationStatus.Status.choices,
        initial=AssociationStatus.Status.ACTIVE,
    )
    status_since = forms.DateField(
        label=_("状态起始日期"), required=False, help_text=_("留空则用成立日期")
    )

    class Meta:
        model = Association
        fields = [
            "name",
            "kind",
            "registration_number",
            "founded_on",
            "supervising_body",
            "address",
            "contact_name",
            "contact_phone",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:  # later statuses are dated entries of their own
            del self.fields["status"], self.fields["status_since"]

    def clean_registration_number(self):
        number = self.cleaned_data["registration_number"].strip()
        other = Association.objects.filter(registration_number=number).exclude(pk=self.instance.pk)
        if number and other.exists():
            raise ValidationError(_("登记证号%(number)s已被另一商协会使用") % {"number": number})
        return number


class PartyOrgForm(ServiceForm):
    class Meta:
        model = PartyOrg
        fields = [
            "name",
            "kind",
            "parent",
            "established_on",
            "dissolved_on",
            "secretary",
            "term_end",
            "has_committee",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("parent", PartyOrg.objects.all())
        self.limit("secretary", Person.objects.all())
        if self.instance.pk and not scope_of(self.user).has(Role.COMMITTEE):
            for name in services.TREE_FIELDS:  # the committee's decisions
                del self.fields[name]


class EnterpriseForm(ServiceForm):
    class Meta:
        model = Enterprise
        fields = ["name", "uscc", "industry", "size", "contact_name", "contact_phone"]
        widgets = {"contact_phone": forms.TextInput}

    def clean_uscc(self):
        return validators.check_uscc(self.cleaned_data["uscc"])

    def clean_contact_phone(self):
        return _check(validators.check_mobile, self.cleaned_data["contact_phone"])


class PersonForm(ServiceForm):
    # Never filled from the record: blank keeps the stored number (see person_save).
    id_number = forms.CharField(label=_("身份证号码"), required=False, max_length=18)
    phone = forms.CharField(label=_("手机号码"), required=False, max_length=20)

    class Meta:
        model = Person
        fields = ["name", "gender", "birth_date", "is_entrepreneur"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in ("id_number", "phone"):
                self.fields[name].help_text = _("留空则不修改")
        for name in ("id_number", "phone"):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean_phone(self):
        return _check(validators.check_mobile, self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("id_number"):
            try:
                data["id_number"] = validators.check_id_number(
                    data["id_number"], data.get("birth_date")
                )
            except ValidationError as e:
                self.add_error("id_number", e)
        return data

    def values(self) -> dict:
        values = super().values()
        for name in ("id_number", "phone"):
            if self.cleaned_data.get(name):
                values[name] = self.cleaned_data[name]
        return values


class DepartmentForm(ServiceForm):
    class Meta:
        model = Department
        fields = ["name", "short_name", "contact_name", "contact_phone"]
        widgets = {"contact_phone": forms.TextInput}

    def clean_contact_phone(self):
        return _check(validators.check_mobile, self.cleaned_data["contact_phone"])


class AssociationStatusForm(ServiceForm):
    class Meta:
        model = AssociationStatus
        fields = ["status", "since"]
        labels = {"since": _("自何日起")}


class CoverageForm(ServiceForm):
    class Meta:
        model = Coverage
        fields = ["party_org", "association", "since", "until"]
        labels = {"party_org": _("党组织"), "association": _("商协会")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("party_org", PartyOrg.objects.all())
        self.limit("association", Association.objects.all())


class InstructorAssignmentForm(ServiceForm):
    class Meta:
        model = InstructorAssignment
        fields = ["person", "association", "party_org", "since", "until", "source_unit", "post"]
        labels = {"person": _("指导员"), "association": _("商协会"), "party_org": _("党组织")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("person", Person.objects.all())
        self.limit("association", Association.objects.all())
        self.limit("party_org", PartyOrg.objects.all())
