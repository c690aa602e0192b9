"""Forms of the policy pages: they never save, the views call services.policies."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.access import Role, scope_of
from fourfirsts.registry.forms import BootstrapMixin, ServiceForm
from fourfirsts.registry.models import (
    INDUSTRY_SECTIONS,
    Association,
    Enterprise,
    EnterpriseMembership,
    Person,
    active_on,
    today,
)
from fourfirsts.service.forms.visits import EnterprisePickerMixin
from fourfirsts.service.models import Policy, PolicyNotice
from fourfirsts.service.services import visits

INDUSTRY_CHOICES = [(k, f"{k} {v}") for k, v in sorted(INDUSTRY_SECTIONS.items())]


class PolicyForm(ServiceForm):
    industries = forms.CharField(label=_("适用行业"), required=False, max_length=200,
                                 help_text=_("国民经济行业门类字母（GB/T 4754），多个用逗号分隔，如 C,F；留空为各行业"))
    url = forms.URLField(label=_("原文链接"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = Policy
        fields = ["title", "issuer", "document_number", "issued_on", "effective_from", "effective_until",
                  "industries", "summary", "url"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 5})}


class PolicyFilter(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("标题、发文机关或文号"),
                                                      "autocomplete": "off"}))
    on = forms.DateField(label=_("有效日期"), required=False, help_text=_("在该日有效的政策"))
    industry = forms.ChoiceField(label=_("行业门类"), required=False,
                                 choices=[("", _("全部行业")), *INDUSTRY_CHOICES])

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        q = (data.get("q") or "").strip()
        if q:
            qs = qs.filter(Q(title__icontains=q) | Q(issuer__icontains=q) | Q(document_number__icontains=q))
        if data.get("on"):
            day = data["on"]
            qs = qs.filter(Q(effective_from__isnull=True, issued_on__lte=day) | Q(effective_from__lte=day)).filter(
                Q(effective_until__isnull=True) | Q(effective_until__gte=day))
        if data.get("industry"):
            # Stored as "C,F": a letter matches itself; blank means every industry.
            qs = qs.filter(Q(industries="") | Q(industries__contains=data["industry"]))
        return qs


class NoticeForm(EnterprisePickerMixin, ServiceForm):
    class Meta:
        model = PolicyNotice
        fields = ["enterprise", "told_by", "told_on", "channel", "note"]

    def __init__(self, *args, search="", **kwargs):
        super().__init__(*args, **kwargs)
        if visits.picks_visitor(self.user):
            self.limit("told_by", Person.objects)
            self.fields["told_by"].queryset = self.fields["told_by"].queryset.order_by("sort_key", "id")
        else:
            del self.fields["told_by"]
        self.setup_picker(visits.allowed_enterprises(self.user), search)
        self.fields["told_on"].widget.attrs["max"] = today().isoformat()


class BulkNoticeForm(BootstrapMixin, forms.Form):
    """One policy told to several enterprises (e.g. after a briefing): pick an
    association to list its current member enterprises, then tick them."""

    association = forms.ModelChoiceField(label=_("商协会"), required=False, queryset=Association.objects.none(),
                                         empty_label=_("我结对的企业"))
    enterprises = forms.ModelMultipleChoiceField(label=_("企业"), queryset=Enterprise.objects.none(),
                                                 widget=forms.CheckboxSelectMultiple, required=False)
    told_by = forms.ModelChoiceField(label=_("告知人"), required=False, queryset=Person.objects.none())
    told_on = forms.DateField(label=_("告知日期"))
    channel = forms.ChoiceField(label=_("方式"), choices=PolicyNotice.Channel.choices,
                                initial=PolicyNotice.Channel.MEETING)
    note = forms.CharField(label=_("备注"), required=False, max_length=200)

    def __init__(self, *args, user=None, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        scope = scope_of(user)
        # A member may tell any member enterprise; a secretary their own associations'.
        sees_all = scope.sees_all or Role.MEMBER in scope.roles
        assocs = Association.objects.all() if sees_all else Association.objects.visible_to(user)
        self.fields["association"].queryset = assocs.only("id", "name", "sort_key").order_by("sort_key", "id")
        allowed = visits.allowed_enterprises(user)
        if association is not None:
            listed = allowed.filter(pk__in=EnterpriseMembership.objects.filter(
                active_on(today()), association=association).values("enterprise_id"))
        else:
            listed = allowed.filter(pk__in=visits.paired_enterprise_ids(scope.person_id or 0))
        self.fields["enterprises"].queryset = listed.distinct().only("id", "name", "sort_key").order_by(
            "sort_key", "id")
        self.fields["enterprises"].widget.attrs["class"] = "form-check-input"
        self.fields["told_on"].widget.attrs["max"] = today().isoformat()
        if visits.picks_visitor(user):
            self.fields["told_by"].queryset = Person.objects.visible_to(user).only(
                "id", "name", "sort_key").order_by("sort_key", "id")
        else:
            del self.fields["told_by"]
