"""第一议题: topics and their pushes to party orgs, meetings (三会一课, 主题党日,
study sessions) with the topics they studied and their attendance, training
classes and the lecture series.

Reads go through `visible_to(user)`; every write through `services`.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.models import Record, touches_parent
from fourfirsts.registry.models import Named, PartyOrg, Person, new_ref


class OrgScopedQuerySet(models.QuerySet):
    """Rows of a party org: everything for the committee, the leader and the
    system; otherwise the orgs in the user's scope (a secretary's and their
    orgs below, an instructor's assigned orgs, a member's own org)."""

    org_path = "party_org"

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.sees_all:
            return self
        if not scope.has(Role.SECRETARY, Role.INSTRUCTOR, Role.MEMBER) or not scope.party_org_ids:
            return self.none()
        return self.filter(**{f"{self.org_path}_id__in": scope.party_org_ids})


class DomainQuerySet(models.QuerySet):
    """Records every domain role reads (the topic library, classes, lectures)."""

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.sees_all or scope.roles & set(Role.DOMAIN):
            return self
        return self.none()


# --- topics ----------------------------------------------------------------------------


class TopicQuerySet(DomainQuerySet):
    def search(self, q: str):
        from fourfirsts.core.searchkeys import normalise_query

        q = normalise_query(q or "")
        return self.filter(search_key__contains=q) if q else self


class Topic(Named):
    """第一议题: an item of the study library kept by the committee (name = title)."""

    class Kind(models.TextChoices):
        SPEECH = "speech", _("讲话")
        ARTICLE = "article", _("文章")
        INSTRUCTION = "instruction", _("指示批示")
        REGULATION = "regulation", _("党内法规")
        MEETING_SPIRIT = "meeting_spirit", _("会议精神")

    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    released_on = models.DateField(_("发布日期"), db_index=True)
    source = models.CharField(_("来源"), max_length=200, blank=True)
    link = models.URLField(_("链接"), max_length=500, blank=True)
    on_private_economy = models.BooleanField(_("涉及民营经济"), default=False)

    objects = TopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Named.Meta):
        verbose_name = _("第一议题")
        ordering = ["-released_on", "-id"]


class TopicPushQuerySet(OrgScopedQuerySet):
    pass


class TopicPush(Record):
    """A topic on an org's “to study” list."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="pushes")
    party_org = models.ForeignKey(PartyOrg, on_delete=models.CASCADE, related_name="topic_pushes")
    pushed_on = models.DateField(_("推送日期"))
    # The org's first meeting that studied the topic (as the first topic or a
    # further one), kept by the meeting services (timeliness.refresh): FT-2's
    # figures and every "studied or not" count read it instead of searching
    # the meetings (hundreds of thousands at province scale).
    first_meeting = models.ForeignKey("Meeting", verbose_name=_("首次学习的会议"), null=True, blank=True,
                                      editable=False, on_delete=models.SET_NULL, related_name="+")
    first_studied_on = models.DateField(_("首次学习日期"), null=True, blank=True, editable=False)

    objects = TopicPushQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["first_meeting", "first_studied_on"])

    class Meta:
        verbose_name = _("议题推送")
        ordering = ["topic_id", "party_org_id"]
        constraints = [models.UniqueConstraint(fields=["topic", "party_org"], name="topic_push_once_per_org")]


# --- meetings ---------------------------------------------------------------------------


class MeetingQuerySet(OrgScopedQuerySet):
    def in_period(self, start, end):
        """Held in [start, end): aware datetimes cut at local midnight."""
        return self.filter(held_at__gte=start, held_at__lt=end)

    def study(self):
        return self.filter(kind__in=Meeting.STUDY_KINDS)

    def ft1(self):
        return self.filter(kind__in=Meeting.FT1_KINDS)


class Meeting(Record):
    class Kind(models.TextChoices):
        GENERAL_MEETING = "general_meeting", _("支部党员大会")
        COMMITTEE_MEETING = "committee_meeting", _("支委会/党委会")
        GROUP_MEETING = "group_meeting", _("党小组会")
        PARTY_LECTURE = "party_lecture", _("党课")
        THEME_DAY = "theme_day", _("主题党日")
        LIFE_MEETING = "life_meeting", _("组织生活会")
        MEMBER_REVIEW = "member_review", _("民主评议党员")
        CENTRAL_GROUP = "central_group", _("理论学习中心组学习")
        TOPIC_STUDY = "topic_study", _("专题学习")
        GROUP_STUDY = "group_study", _("集中学习")

    class StudyForm(models.TextChoices):
        RELAY = "relay", _("传达学习")
        READING = "reading", _("诵读原文")
        DISCUSSION = "discussion", _("交流研讨")
        EXPERT = "expert", _("专家解读")
        QUIZ = "quiz", _("知识问答")
        FILM = "film", _("观看专题片")
        CASE = "case", _("案例分析")

    STUDY_KINDS = (Kind.CENTRAL_GROUP, Kind.TOPIC_STUDY, Kind.GROUP_STUDY)
    FT1_KINDS = (Kind.COMMITTEE_MEETING, Kind.GENERAL_MEETING, Kind.CENTRAL_GROUP)

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("党组织"), on_delete=models.PROTECT,
                                  related_name="meetings")
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("主题"), max_length=200)
    held_on = models.DateField(_("日期"))
    start_time = models.CharField(_("开始时间"), max_length=5, default="09:00", help_text=_("HH:MM"))
    held_at = models.DateTimeField(_("召开时间"), db_index=True, editable=False)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    chair = models.ForeignKey(Person, verbose_name=_("主持人"), null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    recorder = models.ForeignKey(Person, verbose_name=_("记录人"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    study_leader = models.ForeignKey(Person, verbose_name=_("领学人/授课人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    observers = models.CharField(_("列席人员"), max_length=500, blank=True)
    agenda = models.TextField(_("议程"), blank=True)
    study_form = models.CharField(_("学习形式"), max_length=20, choices=StudyForm.choices, blank=True)
    first_topic = models.ForeignKey(Topic, verbose_name=_("第一议题"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="first_in_meetings",
                                    help_text=_("议程中排在第一位学习的议题"))
    no_topic_reason = models.CharField(_("未学习第一议题的原因"), max_length=500, blank=True)
    summary = models.TextField(_("会议纪要"), blank=True)
    decisions = models.TextField(_("会议决定"), blank=True)
    follow_up = models.TextField(_("落实措施"), blank=True)
    expected_count = models.PositiveIntegerField(_("应到人数"), default=0, editable=False)
    present_count = models.PositiveIntegerField(_("实到人数"), default=0, editable=False)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["expected_count", "present_count"])

    class Meta:
        verbose_name = _("会议")
        ordering = ["-held_at", "-id"]
        indexes = [
            models.Index(fields=["party_org", "kind", "held_on"]),
            models.Index(fields=["held_at", "id"]),
        ]

    def __str__(self):
        return self.title

    @property
    def needs_first_topic(self) -> bool:
        return self.kind in self.FT1_KINDS


class MeetingTopicQuerySet(OrgScopedQuerySet):
    org_path = "meeting__party_org"


class MeetingTopic(Record):
    """A further topic studied at a meeting (the first one is Meeting.first_topic)."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="meeting_topics")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="meeting_topics")

    objects = MeetingTopicQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议议题")
        ordering = ["meeting_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "topic"], name="meeting_topic_once")]


class AttendanceQuerySet(OrgScopedQuerySet):
    org_path = "meeting__party_org"


class Attendance(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="meeting_attendances")
    present = models.BooleanField(_("出席"), default=False)
    reason = models.CharField(_("缺席原因"), max_length=200, blank=True)
    signed_in_at = models.DateTimeField(_("扫码签到时间"), null=True, blank=True)

    objects = AttendanceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("会议出席")
        ordering = ["meeting_id", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_person")]


# --- classes and lectures ----------------------------------------------------------------


class TrainingClass(Named):
    class Mode(models.TextChoices):
        ONLINE = "online", _("线上")
        OFFLINE = "offline", _("线下")
        HYBRID = "hybrid", _("线上线下")

    mode = models.CharField(_("形式"), max_length=10, choices=Mode.choices)
    starts_on = models.DateField(_("开始日期"), db_index=True)
    ends_on = models.DateField(_("结束日期"))
    hours = models.DecimalField(_("学时"), max_digits=6, decimal_places=1, null=True, blank=True)
    organiser = models.CharField(_("主办单位"), max_length=200, blank=True)

    objects = DomainQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta(Named.Meta):
        verbose_name = _("培训班")
        ordering = ["-starts_on", "-id"]


class ClassParticipantQuerySet(DomainQuerySet):
    pass


class ClassParticipant(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    training_class = models.ForeignKey(TrainingClass, on_delete=models.CASCADE, related_name="participants")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="training_classes")
    completed = models.BooleanField(_("结业"), default=False)

    objects = ClassParticipantQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("培训班学员")
        constraints = [models.UniqueConstraint(fields=["training_class", "person"], name="class_participant_once")]


class Lecture(Record):
    """A session of the lecture series (娄商大讲堂; the name is a setting)."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    title = models.CharField(_("主题"), max_length=200)
    speaker = models.CharField(_("主讲人"), max_length=100)
    held_on = models.DateField(_("日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=200, blank=True)
    audience = models.PositiveIntegerField(_("听众人数"), null=True, blank=True)

    objects = DomainQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("讲座")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


# A change to these rows is a change to the record they belong to (API sync).
touches_parent(TopicPush, "topic")
