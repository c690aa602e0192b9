"""Forms of the agenda pages. Like the registry's, they never save: views
pass `values()` to the services and map their ValidationError back with
`add_service_error`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fourfirsts.agenda.models import Lecture, Meeting, Topic, TrainingClass
from fourfirsts.core.access import scope_of
from fourfirsts.core.forms import MultipleFileField, search_when_many
from fourfirsts.registry.forms import BootstrapMixin, ServiceForm
from fourfirsts.registry.models import PartyOrg, Person


class TopicForm(ServiceForm):
    link = forms.URLField(label=_("链接"), required=False, max_length=500, assume_scheme="https")
    attachment = MultipleFileField(label=_("学习材料"), required=False)

    class Meta:
        model = Topic
        fields = ["name", "kind", "released_on", "source", "link", "on_private_economy"]
        labels = {"name": _("标题")}


class PushForm(BootstrapMixin, forms.Form):
    everyone = forms.BooleanField(label=_("推送给全部党组织"), required=False)
    orgs = forms.ModelMultipleChoiceField(label=_("或选择党组织"), required=False, queryset=PartyOrg.objects.none(),
                                          widget=forms.CheckboxSelectMultiple)
    pushed_on = forms.DateField(label=_("推送日期"))
    attachment = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = PartyOrg.objects.order_by("sort_key", "id").only("id", "name")
        self.fields["orgs"].widget.attrs["class"] = "form-check-input"
        self.fields["pushed_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if not data.get("everyone") and not data.get("orgs"):
            self.add_error("orgs", _("请选择要推送的党组织，或勾选“推送给全部党组织”"))
        return data


class MeetingForm(ServiceForm):
    topics = forms.ModelMultipleChoiceField(label=_("其他学习议题"), required=False, queryset=Topic.objects.none(),
                                            widget=forms.SelectMultiple(attrs={"size": 6}))
    attachment = MultipleFileField(label=_("照片或附件"), required=False)

    class Meta:
        model = Meeting
        fields = ["party_org", "kind", "title", "held_on", "start_time", "place", "chair", "recorder",
                  "study_leader", "observers", "agenda", "first_topic", "no_topic_reason", "study_form",
                  "summary", "decisions", "follow_up"]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "summary": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "follow_up": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scope = scope_of(self.user)
        orgs = PartyOrg.objects.all() if scope.sees_all or scope.is_system else PartyOrg.objects.filter(
            pk__in=scope.secretary_of_org_ids)
        self.fields["party_org"].queryset = orgs.order_by("sort_key", "id").only("id", "name")
        self.limit("chair", Person.objects)
        self.limit("recorder", Person.objects)
        self.limit("study_leader", Person.objects)
        recent = Topic.objects.order_by("-released_on", "-id").only("id", "name", "released_on")
        self.fields["first_topic"].queryset = recent
        self.fields["topics"].queryset = recent
        if self.instance.pk:
            self.initial["topics"] = list(self.instance.meeting_topics.values_list("topic_id", flat=True))
        own = list(self.fields["party_org"].queryset[:2])
        if len(own) == 1 and not self.instance.pk and not self.initial.get("party_org"):
            self.initial["party_org"] = own[0].pk
        names = list(self.fields)
        names.remove("topics")
        names.insert(names.index("first_topic") + 1, "topics")
        self.order_fields(names)


class AttendanceForm(forms.Form):
    """Ticks per roster person: present_<pk> and reason_<pk>, built in the view."""


class TrainingClassForm(ServiceForm):
    class Meta:
        model = TrainingClass
        fields = ["name", "mode", "starts_on", "ends_on", "hours", "organiser"]


class ParticipantForm(BootstrapMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("学员"), queryset=Person.objects.none())
    completed = forms.BooleanField(label=_("已结业"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.visible_to(user).only("id", "name", "sort_key").order_by(
            "sort_key", "id")


class LectureForm(ServiceForm):
    class Meta:
        model = Lecture
        fields = ["title", "speaker", "held_on", "place", "audience"]


class MeetingFilter(BootstrapMixin, forms.Form):
    party_org = forms.ModelChoiceField(label=_("党组织"), required=False, queryset=PartyOrg.objects.none(),
                                       empty_label=_("全部党组织"))
    kind = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *Meeting.Kind.choices])
    year = forms.IntegerField(label=_("年份"), required=False, min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"placeholder": _("年份")}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party_org"].queryset = PartyOrg.objects.visible_to(user).order_by("sort_key", "id").only(
            "id", "name")
        search_when_many(self, "party_org", _("党组织名称或拼音首字母"))
