"""Forms of the volunteering pages. Like the registry's, they never save:
views pass `values()` to the services and map their ValidationError back with
`add_service_error`. Choices are limited to what the user may keep."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.forms import MultipleFileField
from fourfirsts.registry.forms import BootstrapMixin, ServiceForm
from fourfirsts.registry.models import Association, Enterprise, PartyOrg, Person
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    Payment,
    Project,
    Village,
    WeakYears,
)


def kept_orgs(user, current=None):
    """The party orgs the user keeps records for (and the current one)."""
    scope = scope_of(user)
    q = Q() if scope.sees_all else Q(pk__in=scope.secretary_of_org_ids) | Q(pk=current)
    return PartyOrg.objects.filter(q).order_by("sort_key", "id").only("id", "name")


def kept_associations(user, current=None):
    scope = scope_of(user)
    if scope.sees_all:
        q = Q()
    else:
        q = Q(pk__in=scope.association_ids if Role.SECRETARY in scope.roles else []) | Q(pk=current)
    return Association.objects.filter(q).order_by("sort_key", "id").only("id", "name")


def _names(qs):
    return qs.only("id", "name", "sort_key").order_by("sort_key", "id")


class OrgChoiceMixin:
    """party_org and association among those the user keeps (plus the current)."""

    def limit_orgs(self):
        current = self.instance
        self.fields["party_org"].queryset = kept_orgs(self.user, current.party_org_id)
        self.fields["association"].queryset = kept_associations(self.user, current.association_id)
        own = list(self.fields["party_org"].queryset[:2])
        if len(own) == 1 and not current.pk and not self.initial.get("party_org"):
            self.initial["party_org"] = own[0].pk


class ActivityForm(OrgChoiceMixin, ServiceForm):
    participants = forms.ModelMultipleChoiceField(
        label=_("参加人员"), required=False, queryset=Person.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("按每人服务时长登记并直接确认；本人也可在“我的志愿服务”中自行申报"))
    attachment = MultipleFileField(label=_("活动照片"), required=False)

    class Meta:
        model = Activity
        fields = ["kind", "title", "party_org", "association", "held_on", "place", "description", "hours"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = Q(active=True) | Q(pk=self.instance.kind_id)
        self.fields["kind"].queryset = ActivityKind.objects.filter(kinds).order_by("order", "id")
        self.limit_orgs()
        self.fields["participants"].queryset = _names(Person.objects.visible_to(self.user))


class ActivityKindForm(ServiceForm):
    class Meta:
        model = ActivityKind
        fields = ["name", "order"]


class ParticipantForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    hours = forms.DecimalField(label=_("服务时长（小时）"), max_digits=4, decimal_places=1)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _names(Person.objects.visible_to(user))


class ReportForm(BootstrapMixin, forms.Form):
    """A member's own hours at an activity of their org (from a phone)."""

    activity = forms.ModelChoiceField(label=_("志愿活动"), queryset=Activity.objects.none())
    hours = forms.DecimalField(label=_("服务时长（小时）"), max_digits=4, decimal_places=1,
                               min_value=Decimal("0.1"), max_value=Decimal(24),
                               widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}))
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        qs = Activity.objects.visible_to(user).filter(held_on__lte=today).select_related("kind")
        recent = list(qs.order_by("-held_on", "-id").values_list("id", flat=True)[:100])
        self.fields["activity"].queryset = qs.filter(pk__in=recent).order_by("-held_on", "-id")
        self.fields["activity"].label_from_instance = lambda a: f"{a.held_on:%Y-%m-%d} {a.kind.name} · {a.title}"


class VillageForm(ServiceForm):
    class Meta:
        model = Village
        fields = ["province", "city", "county", "township", "name"]
        labels = {"name": _("村")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # the province and city of the last village entered
            last = Village.objects.order_by("-id").values("province", "city").first() or {}
            for field, value in last.items():
                self.initial.setdefault(field, value)


class WeakYearsForm(ServiceForm):
    class Meta:
        model = WeakYears
        fields = ["since_year", "until_year"]


class PairingForm(ServiceForm):
    group = forms.ModelMultipleChoiceField(
        label=_("其他参与企业"), required=False, queryset=Enterprise.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}), help_text=_("多企帮一村时，牵头企业以外的企业"))

    class Meta:
        model = Pairing
        fields = ["way", "association", "enterprise", "paired_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["group"] = list(self.instance.group_members.values_list("enterprise_id", flat=True))
        self.fields["association"].queryset = kept_associations(self.user, self.instance.association_id)
        self.limit("enterprise", Enterprise.objects)
        self.fields["enterprise"].queryset = _names(self.fields["enterprise"].queryset)
        self.fields["group"].queryset = _names(Enterprise.objects.visible_to(self.user))


class ProjectForm(ServiceForm):
    attachment = MultipleFileField(label=_("佐证材料"), required=False)

    class Meta:
        model = Project
        fields = ["name", "enterprise", "klass", "tag", "content", "planned_funds", "goods_value", "jobs_fixed",
                  "jobs_temporary", "households", "income_increase", "benefit_link", "starts_on", "ends_on",
                  "status", "progress", "posted_member"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "progress": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit("enterprise", Enterprise.objects)
        self.fields["enterprise"].queryset = _names(self.fields["enterprise"].queryset)
        self.limit("posted_member", Person.objects)


class PaymentForm(ServiceForm):
    class Meta:
        model = Payment
        fields = ["paid_on", "amount", "note"]


class DonationForm(OrgChoiceMixin, ServiceForm):
    class Meta:
        model = Donation
        fields = ["kind", "donor_kind", "donor_enterprise", "donor_person", "donor_association", "recipient",
                  "amount", "goods_value", "donated_on", "party_org", "association", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit_orgs()
        self.limit("donor_enterprise", Enterprise.objects)
        self.fields["donor_enterprise"].queryset = _names(self.fields["donor_enterprise"].queryset)
        self.limit("donor_person", Person.objects)
        self.fields["donor_association"].queryset = _names(Association.objects.all())


class YearFilter(BootstrapMixin, forms.Form):
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"placeholder": _("年份")}))


class ActivityFilter(YearFilter):
    kind = forms.ModelChoiceField(label=_("类型"), required=False, queryset=ActivityKind.objects.none(),
                                  empty_label=_("全部类型"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ActivityKind.objects.order_by("order", "id")


class DonationFilter(YearFilter):
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *Donation.Kind.choices])


class VillageFilter(BootstrapMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("村名或拼音首字母")}))
    county = forms.CharField(label=_("县（市、区）"), required=False, max_length=30)


class ProjectFilter(YearFilter):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("项目或村名")}))
    tag = forms.ChoiceField(label=_("帮扶类型"), required=False, choices=[("", _("全部帮扶类型")), *Project.Tag.choices])
    klass = forms.ChoiceField(label=_("项目类别"), required=False,
                              choices=[("", _("全部项目类别")), *Project.Klass.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *Project.Status.choices])
