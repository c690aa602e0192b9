"""Forms of the membership pages. They never save: views pass the cleaned
values to the services and map their ValidationError back with `add_service_error`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.forms import MultipleFileField, search_when_many
from fourfirsts.membership import workflow
from fourfirsts.registry.forms import BootstrapMixin
from fourfirsts.registry.models import PartyOrg, Person


class ServiceErrors:
    def add_service_error(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        else:
            self.add_error(None, error.messages)


def _people(user):
    """Party members the user sees, by name only (never decrypt numbers for a select)."""
    return (Person.objects.visible_to(user).party_members_on(timezone.localdate())
            .only("id", "name", "sort_key").order_by("sort_key", "id").distinct())


class ApplyForm(ServiceErrors, BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("申请人"), queryset=Person.objects.none())
    party_org = forms.ModelChoiceField(label=_("党组织"), queryset=PartyOrg.objects.none())
    applied_on = forms.DateField(label=_("递交入党申请书日期"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = MultipleFileField(label=_("入党申请书"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(user)
        self.fields["person"].queryset = (Person.objects.visible_to(user).only("id", "name", "sort_key")
                                          .filter(developments__isnull=True).order_by("sort_key", "id"))
        orgs = PartyOrg.objects.all() if scope.has(Role.COMMITTEE) else \
            PartyOrg.objects.filter(pk__in=scope.secretary_of_org_ids)
        self.fields["party_org"].queryset = orgs.order_by("sort_key", "id")


class StepForm(ServiceErrors, BootstrapMixin, forms.Form):
    """The next step of a development; the fields the step carries are added by its `needs`."""

    code = forms.CharField(widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("日期"))
    acted_by = forms.ModelChoiceField(label=_("办理人（人员）"), required=False, queryset=Person.objects.none(),
                                      help_text=_("不填则记为当前用户"))
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attachment = MultipleFileField(label=_("材料"), required=False)

    def __init__(self, *args, step: workflow.Step, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step = step
        self.fields["code"].initial = step.code
        self.fields["acted_by"].queryset = _people(user)
        extra = {}
        if "people" in step.needs:
            extra["people"] = forms.ModelMultipleChoiceField(
                label=workflow.PEOPLE_LABELS[step.code], queryset=_people(user), required=False,
                widget=forms.SelectMultiple(attrs={"size": 6}))
        if "training" in step.needs:
            extra["training_days"] = forms.IntegerField(label=_("培训天数"), required=False, min_value=0, max_value=365)
            extra["training_hours"] = forms.IntegerField(label=_("培训学时"), required=False, min_value=0,
                                                         max_value=2000)
        if "votes" in step.needs:
            extra["voters_entitled"] = forms.IntegerField(label=_("有表决权的党员数"), required=False, min_value=1,
                                                          max_value=10000)
            extra["voters_present"] = forms.IntegerField(label=_("到会有表决权的党员数"), required=False,
                                                         min_value=0, max_value=10000)
            extra["votes_yes"] = forms.IntegerField(label=_("赞成票数"), required=False, min_value=0,
                                                    max_value=10000)
        if "notice" in step.needs:
            extra["notice_from"] = forms.DateField(label=_("公示开始"), required=False)
            extra["notice_to"] = forms.DateField(label=_("公示结束"), required=False)
        if "delay_reason" in step.needs:
            extra["delay_reason"] = forms.CharField(label=_("超过审批期限的理由"), required=False,
                                                    widget=forms.Textarea(attrs={"rows": 2}))
        for name, field in extra.items():
            self.fields[name] = field
        for field in extra.values():
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")

    def values(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("code", "attachment")}
        data["note"] = data.get("note") or ""
        return data


class ReviewForm(ServiceErrors, BootstrapMixin, forms.Form):
    reviewed_on = forms.DateField(label=_("考察日期"))
    note = forms.CharField(label=_("考察意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ExtendForm(ServiceErrors, BootstrapMixin, forms.Form):
    months = forms.IntegerField(label=_("延长月数"), min_value=1, max_value=24)
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}))


class BoardFilter(BootstrapMixin, forms.Form):
    """The board's filters: the party org (the secretary's own, or any for the
    committee: a name search when there are thousands) and the steps' due dates."""

    org = forms.ModelChoiceField(label=_("党组织"), required=False, queryset=PartyOrg.objects.none(),
                                 empty_label=_("全部党组织"))
    due = forms.ChoiceField(label=_("到期情况"), required=False)

    def __init__(self, *args, orgs, due_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].choices = [("", _("全部进度")), *due_choices]
        if orgs is None:
            del self.fields["org"]
        else:
            self.fields["org"].queryset = orgs.only("id", "name", "sort_key").order_by("sort_key", "id")
            search_when_many(self, "org", _("党组织名称或拼音首字母"))

    def apply(self, qs):
        if not self.is_valid():
            return qs
        data = self.cleaned_data
        if data.get("org"):
            qs = qs.filter(party_org=data["org"])
        if data.get("org_name"):
            qs = qs.filter(party_org__in=PartyOrg.objects.search(data["org_name"]).values("pk"))
        return qs
