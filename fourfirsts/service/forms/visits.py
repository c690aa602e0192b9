"""Forms of the visit and pairing pages. They never save: the views pass
`values()` to services.visits and map its ValidationError back."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.forms import search_when_many
from fourfirsts.registry.forms import BootstrapMixin, ServiceForm
from fourfirsts.registry.models import Enterprise, Person, active_on, today
from fourfirsts.service.models import Appeal, Pairing, Visit
from fourfirsts.service.services import visits as services

SEARCH_LIMIT = 20


def enterprise_options(user, q: str = "", selected=None, limit: int = SEARCH_LIMIT) -> list[Enterprise]:
    """What the enterprise picker offers: the user's paired enterprises, the
    selected one, and up to `limit` matches of the search among those the
    user may choose (`services.allowed_enterprises`). Two queries at most."""
    allowed = services.allowed_enterprises(user)
    scope = scope_of(user)
    keep = Q(pk__in=[])
    if scope.person_id:
        keep |= Q(pk__in=services.paired_enterprise_ids(scope.person_id))
    if selected:
        keep |= Q(pk=selected)
    shown = list(allowed.filter(keep).only("id", "name", "sort_key").order_by("sort_key", "id")[:50])
    found = allowed.search(q) if q.strip() else None
    if found is None and Role.SECRETARY in scope.roles and Role.COMMITTEE not in scope.roles:
        found = allowed  # a secretary's own associations' enterprises, before any search
    if found is not None:
        seen = {e.pk for e in shown}
        found = found.only("id", "name", "sort_key").order_by("sort_key", "id")[:limit]
        shown += [e for e in found if e.pk not in seen]
    return shown


class EnterprisePickerMixin:
    """`enterprise` validates against every enterprise the user may choose,
    but lists only a few (paired, selected, searched): the search box of
    templates/service/visits/_enterprise_picker.html fills it by htmx."""

    picker_queryset = None

    def setup_picker(self, allowed, search=""):
        field = self.fields["enterprise"]
        field.queryset = allowed
        selected = self["enterprise"].value() if self.is_bound else (
            self.initial.get("enterprise") or getattr(self.instance, "enterprise_id", None))
        if hasattr(selected, "pk"):
            selected = selected.pk
        selected = int(selected) if str(selected or "").isdigit() else None
        options = enterprise_options(self.user, search, selected)
        if selected and selected not in {e.pk for e in options}:
            options += list(allowed.filter(pk=selected).only("id", "name"))
        field.widget.choices = [("", _("请选择企业（可先搜索）")), *[(e.pk, e.name) for e in options]]
        field.widget.attrs["class"] = "form-select"


class VisitForm(EnterprisePickerMixin, ServiceForm):
    class Meta:
        model = Visit
        fields = ["visitor", "enterprise", "channel", "visited_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, search="", **kwargs):
        super().__init__(*args, **kwargs)
        if services.picks_visitor(self.user):
            self.limit("visitor", Person.objects)
            self.fields["visitor"].queryset = self.fields["visitor"].queryset.order_by("sort_key", "id")
        else:
            del self.fields["visitor"]
        self.setup_picker(services.allowed_enterprises(self.user), search)
        self.fields["visited_on"].help_text = _("不能晚于今天")
        self.fields["visited_on"].widget.attrs["max"] = today().isoformat()


class ProblemForm(BootstrapMixin, forms.Form):
    """One problem found on the visit; an untouched row is skipped."""

    title = forms.CharField(label=_("问题标题"), max_length=200, required=True)
    category = forms.ChoiceField(label=_("类别"), choices=[("", "—"), *Appeal.Category.choices])
    kind = forms.ChoiceField(label=_("性质"), choices=[("", "—"), *Appeal.Kind.choices])
    is_blockage = forms.BooleanField(label=_("堵点"), required=False)
    is_pain_point = forms.BooleanField(label=_("痛点"), required=False)
    is_difficulty = forms.BooleanField(label=_("难点"), required=False)
    description = forms.CharField(label=_("具体情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    raised_by = forms.ModelChoiceField(label=_("提出人"), required=False, queryset=Person.objects.none())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if services.picks_visitor(user):
            self.fields["raised_by"].queryset = Person.objects.visible_to(user).only(
                "id", "name", "sort_key").order_by("sort_key", "id")
        else:
            del self.fields["raised_by"]

    def values(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in services.PROBLEM_FIELDS}


class BaseProblemFormSet(forms.BaseFormSet):
    """Every row is an "extra" one (INITIAL_FORMS is 0), so an untouched row is
    skipped; kept input comes back as rows' initial values."""

    def initial_form_count(self):
        return 0 if not self.is_bound else super().initial_form_count()

    def problems(self) -> list[dict]:
        return [f.values() for f in self.forms if f.has_changed() and f.cleaned_data]

    def add_service_errors(self, errors: dict) -> dict:
        """Put "problem-<i>-<field>" errors on their row; return the others."""
        rest = {}
        for key, messages in errors.items():
            prefix, __, field = key.rpartition("-")
            form = next((f for f in self.forms if f.prefix == prefix), None)
            if form is None:
                rest[key] = messages
            else:
                form.add_error(field if field in form.fields else None, messages)
        return rest


ProblemFormSet = forms.formset_factory(ProblemForm, formset=BaseProblemFormSet, extra=0, max_num=20,
                                       validate_max=True)


def problem_formset(user, data=None, initial=None, rows=1):
    """Bound to POST data, or unbound with `rows` rows (at least the kept ones)."""
    formset = ProblemFormSet(data, initial=initial, prefix=services.PROBLEM_PREFIX, form_kwargs={"user": user})
    if data is None:
        formset.extra = min(max(rows, len(initial or [])), formset.max_num)
    return formset


def kept_values(form) -> dict:
    """What the user typed into a bound form, as initial values of a fresh one."""
    return {name: form[name].value() for name in form.fields}


class VisitFilter(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("企业"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("企业名称或拼音首字母"),
                                                      "autocomplete": "off"}))
    channel = forms.ChoiceField(label=_("方式"), required=False, choices=[("", _("全部方式")), *Visit.Channel.choices])
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"placeholder": _("年份")}))
    start = forms.DateField(label=_("起始日期"), required=False)
    end = forms.DateField(label=_("截止日期"), required=False)
    visitor = forms.ModelChoiceField(label=_("走访人"), required=False, queryset=Person.objects.none(),
                                     empty_label=_("全部走访人"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if scope_of(user).has(Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY):
            people = Person.objects.filter(pk__in=Visit.objects.visible_to(user).values("visitor_id"))
            self.fields["visitor"].queryset = people.only("id", "name", "sort_key").order_by("sort_key", "id")
            search_when_many(self, "visitor", _("走访人姓名或拼音首字母"))
        else:
            del self.fields["visitor"]

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("channel"):
            qs = qs.filter(channel=data["channel"])
        if data.get("year"):
            qs = qs.filter(visited_on__year=data["year"])
        if data.get("start"):
            qs = qs.filter(visited_on__gte=data["start"])
        if data.get("end"):
            qs = qs.filter(visited_on__lte=data["end"])
        if data.get("visitor"):
            qs = qs.filter(visitor=data["visitor"])
        if data.get("visitor_name"):
            qs = qs.filter(visitor__in=Person.objects.search(data["visitor_name"]).values("pk"))
        if data.get("q"):
            qs = qs.filter(enterprise__in=Enterprise.objects.search(data["q"]).values("pk"))
        return qs


class PairingForm(EnterprisePickerMixin, ServiceForm):
    class Meta:
        model = Pairing
        fields = ["person", "enterprise", "since", "until", "note"]

    def __init__(self, *args, search="", **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("person", Person.objects)
        self.fields["person"].queryset = self.fields["person"].queryset.order_by("sort_key", "id")
        allowed = services.allowed_enterprises(self.user)
        self.setup_picker(allowed, search)


class PairingEndForm(BootstrapMixin, forms.Form):
    until = forms.DateField(label=_("结束日期"))
    note = forms.CharField(label=_("备注"), required=False, max_length=200)


class PairingFilter(BootstrapMixin, forms.Form):
    STATUS = [("active", _("结对中")), ("ended", _("已结束")), ("all", _("全部"))]
    q = forms.CharField(label=_("企业"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("企业名称或拼音首字母"),
                                                      "autocomplete": "off"}))
    status = forms.ChoiceField(label=_("状态"), required=False, choices=STATUS)
    person = forms.ModelChoiceField(label=_("联系人"), required=False, queryset=Person.objects.none(),
                                    empty_label=_("全部联系人"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(pk__in=Pairing.objects.visible_to(user).values("person_id"))
        self.fields["person"].queryset = people.only("id", "name", "sort_key").order_by("sort_key", "id")

    def apply(self, qs, day):
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or "active"
        if status == "active":
            qs = qs.filter(active_on(day))
        elif status == "ended":
            qs = qs.filter(until__lt=day)
        if data.get("person"):
            qs = qs.filter(person=data["person"])
        if data.get("q"):
            qs = qs.filter(enterprise__in=Enterprise.objects.search(data["q"]).values("pk"))
        return qs


class NoContactForm(BootstrapMixin, forms.Form):
    on = forms.DateField(label=_("截至日期"), required=False)
