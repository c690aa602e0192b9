"""The API's 第一议题 endpoints: the topic library with each pushed org's
study status, meetings (list, detail with attendance, record one, tick the
attendance) and a member's own sign-in with the meeting's QR code. The same
role checks as the pages, the same services for every write."""

import hashlib
from datetime import date, datetime
from typing import Annotated, Literal

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from fourfirsts.agenda import access, services, timeliness, todo, views
from fourfirsts.agenda.models import Meeting, Topic, TopicPush
from fourfirsts.api import paging
from fourfirsts.api.common import Id, IsoDate, PathId, RecordOut, visible_or_404
from fourfirsts.core import figure_cache
from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.core.periods import local_midnight
from fourfirsts.core.views import require_role
from fourfirsts.registry.models import PartyOrg, Person

router = Router(tags=[gettext_lazy("第一议题")])

STUDY_STATUS_LABELS = {"studied": gettext_lazy("已学习"), "pending": gettext_lazy("待学习（未超期）"),
                       "overdue": gettext_lazy("超期未学")}



# --- schemas ------------------------------------------------------------------------------------


class PushOut(Schema):
    party_org_id: int
    party_org_name: str
    pushed_on: date = Field(description=gettext_lazy("推送日期"))
    status: Literal["studied", "pending", "overdue"] = Field(
        description=gettext_lazy("截至报告日：studied 已学习，pending 待学习（未超期），overdue 超期未学"))
    status_label: str
    studied_on: date | None = Field(description=gettext_lazy("首次学习该议题的会议日期"))
    first_meeting_id: int | None = Field(description=gettext_lazy("首次学习该议题的会议"))
    days: int | None = Field(description=gettext_lazy("从议题发布到首次学习的天数"))
    late: bool = Field(description=gettext_lazy("超过时限才学习或至今超期未学"))


class StudyCounts(Schema):
    pushed: int = Field(description=gettext_lazy("推送给您范围内的党组织数"))
    studied: int = Field(description=gettext_lazy("已学习"))
    pending: int = Field(description=gettext_lazy("待学习（未超期）"))
    overdue: int = Field(description=gettext_lazy("超期未学"))


class TopicSummaryOut(RecordOut):
    """A topic in the list: how many of the caller's orgs studied it. Each
    org's status is on the topic's own endpoint (a topic may be pushed to
    thousands of orgs: a page of topics does not carry them all)."""

    ref: str
    name: str = Field(description=gettext_lazy("标题"))
    kind: Topic.Kind
    kind_label: str
    released_on: date
    source: str
    link: str
    on_private_economy: bool
    limit_days: int = Field(description=gettext_lazy("应在发布后多少天内学习（发布日生效的时限）"))
    orgs: StudyCounts = Field(description=gettext_lazy("截至报告日，推送给您范围内党组织的学习情况汇总"))

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_orgs(obj):
        return obj.study_counts


class TopicOut(TopicSummaryOut):
    pushes: list[PushOut] = Field(description=gettext_lazy("推送给您范围内各党组织的学习情况"))

    @staticmethod
    def resolve_pushes(obj):
        return obj.push_statuses


class TopicFilter(Schema):
    q: str = Field("", max_length=100, description=gettext_lazy("按标题、来源搜索"))
    status: Literal["pending", "overdue"] | None = Field(
        None, description=gettext_lazy("只列您的党组织尚未学习的议题：pending 待学习（未超期），overdue 超期未学"))
    on: IsoDate | None = Field(None, description=gettext_lazy("报告日，学习情况按此日计算；默认今天"))


class TopicDetailFilter(Schema):
    on: IsoDate | None = Field(None, description=gettext_lazy("报告日，学习情况按此日计算；默认今天"))


class MeetingOut(RecordOut):
    ref: str
    party_org_id: int
    party_org_name: str
    kind: Meeting.Kind
    kind_label: str
    title: str
    held_on: date
    start_time: str = Field(description=gettext_lazy("开始时间 HH:MM"))
    held_at: datetime
    place: str
    study_form: str
    first_topic_id: int | None
    first_topic_name: str | None
    no_topic_reason: str = Field(description=gettext_lazy("未学习第一议题的原因"))
    expected_count: int = Field(description=gettext_lazy("应到人数"))
    present_count: int = Field(description=gettext_lazy("实到人数"))

    @staticmethod
    def resolve_kind_label(obj):
        return str(obj.get_kind_display())


class NamedRef(Schema):
    id: int
    name: str


class AttendanceOut(Schema):
    person_id: int
    person_name: str
    present: bool
    reason: str = Field(description=gettext_lazy("缺席原因"))
    signed_in_at: datetime | None = Field(description=gettext_lazy("扫码签到时间"))


class MeetingDetailOut(MeetingOut):
    chair: NamedRef | None = Field(description=gettext_lazy("主持人"))
    recorder: NamedRef | None = Field(description=gettext_lazy("记录人"))
    study_leader: NamedRef | None = Field(description=gettext_lazy("领学人/授课人"))
    observers: str
    agenda: str
    summary: str
    decisions: str
    follow_up: str
    topics: list[NamedRef] = Field(description=gettext_lazy("其他学习议题"))
    attendance: list[AttendanceOut]
    can_record: bool = Field(description=gettext_lazy("您能否修改这次会议的记录和出席情况"))
    roster: list[NamedRef] = Field(
        description=gettext_lazy("会议当天本党组织的党员（可记录出席的人员），仅对能记录的角色给出"))
    sign_in_code: str | None = Field(description=gettext_lazy("签到码（会议二维码所含），仅对能记录的角色给出"))
    sign_in_url: str | None = Field(description=gettext_lazy("签到二维码的网址，仅对能记录的角色给出"))


class MeetingFilter(Schema):
    party_org_id: Id | None = Field(None, description=gettext_lazy("党组织"))
    kind: Meeting.Kind | None = Field(None, description=gettext_lazy("会议类型"))
    year: int | None = Field(None, ge=2000, le=2100, description=gettext_lazy("年份"))
    held_from: IsoDate | None = Field(None, description=gettext_lazy("会议日期从（含）"))
    held_to: IsoDate | None = Field(None, description=gettext_lazy("会议日期到（含）"))


class MeetingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    party_org_id: Id = Field(description=gettext_lazy("党组织：书记只能为本党组织记录"))
    kind: Meeting.Kind
    title: str = Field(min_length=1, max_length=200, description=gettext_lazy("主题"))
    held_on: IsoDate
    start_time: str = Field("09:00", max_length=5, description=gettext_lazy("开始时间 HH:MM"))
    place: str = Field("", max_length=200)
    chair_id: Id | None = Field(None, description=gettext_lazy("主持人"))
    recorder_id: Id | None = Field(None, description=gettext_lazy("记录人"))
    study_leader_id: Id | None = Field(None, description=gettext_lazy("领学人/授课人"))
    observers: str = Field("", max_length=500, description=gettext_lazy("列席人员"))
    agenda: str = Field("", max_length=10000, description=gettext_lazy("议程"))
    first_topic_id: Id | None = Field(
        None, description=gettext_lazy("第一议题；支委会、党员大会、中心组学习没有第一议题时须填 no_topic_reason"))
    topic_ids: list[Id] = Field([], max_length=50, description=gettext_lazy("其他学习议题"))
    no_topic_reason: str = Field("", max_length=500, description=gettext_lazy("未学习第一议题的原因"))
    study_form: Meeting.StudyForm | None = Field(None, description=gettext_lazy("学习形式"))
    summary: str = Field("", max_length=20000, description=gettext_lazy("会议纪要"))
    decisions: str = Field("", max_length=20000, description=gettext_lazy("会议决定"))
    follow_up: str = Field("", max_length=20000, description=gettext_lazy("落实措施"))


class AttendanceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    present_ids: list[Id] = Field(max_length=2000, description=gettext_lazy("出席人员的 id；名单上的其他人记为缺席"))
    reasons: dict[Id, Annotated[str, Field(max_length=200)]] = Field({}, description=gettext_lazy("缺席原因，按人员 id"))


class SignInIn(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(min_length=1, max_length=500, description=gettext_lazy("会议二维码中的签到码"))


class SignInOut(Schema):
    meeting_id: int
    meeting_title: str
    person_id: int
    person_name: str
    present: bool
    signed_in_at: datetime | None


# --- topics -------------------------------------------------------------------------------------


EMPTY_COUNTS = {"pushed": 0, "studied": 0, "pending": 0, "overdue": 0}


def _with_counts(user, topics: list, on: date) -> list:
    """Each topic of a page with the study counts of the orgs the user sees on
    `on`: judged over every push of the page's topics (150,000 at province
    scale), so kept with the figures until the data changes."""
    ids = [t.pk for t in topics]
    counts = figure_cache.remember(
        "topic_counts:" + hashlib.sha1(repr(ids).encode()).hexdigest()[:16], user, on,
        lambda: timeliness.counts_by_topic(TopicPush.objects.visible_to(user).filter(topic_id__in=ids), on))
    limit = timeliness.limits()
    for topic in topics:
        topic.study_counts = counts.get(topic.pk, EMPTY_COUNTS)
        topic.limit_days = limit(topic.released_on)
    return topics


def _with_pushes(user, topic, on: date):
    """One topic with each push to the orgs the user sees and its status on `on`."""
    pushes = timeliness.annotate_statuses(
        TopicPush.objects.visible_to(user).filter(topic=topic).order_by("party_org__sort_key", "id"), on)
    topic.push_statuses = [_push_out(push) for push in pushes]  # `pushes` is the related manager
    topic.study_counts = dict(EMPTY_COUNTS, pushed=len(pushes))
    for push in topic.push_statuses:
        topic.study_counts[push["status"]] += 1
    topic.limit_days = timeliness.limit_for(topic.released_on)
    return topic


def _push_out(push) -> dict:
    s = push.status
    status = "studied" if not s.pending else "overdue" if s.overdue else "pending"
    return {"party_org_id": push.party_org_id, "party_org_name": push.party_org.name, "pushed_on": push.pushed_on,
            "status": status, "status_label": str(STUDY_STATUS_LABELS[status]), "studied_on": s.studied_on,
            "first_meeting_id": push.first_meeting_id if s.studied_on else None, "days": s.days, "late": s.late}


@router.get("/topics", response=paging.page_of(TopicSummaryOut), summary=_("第一议题列表"),
            description=_("议题库（全部业务角色可见），每个议题附推送给您范围内党组织的学习情况汇总；"
                          "各党组织的学习情况见议题详情"))
def topic_list(request, page: Query[paging.PageIn], filters: Query[TopicFilter]):
    require_role(request, *Role.DOMAIN)
    on = filters.on or timezone.localdate()
    if filters.status:  # as the topic page's to-do links: what the user's orgs have yet to study
        qs = todo.topics_by_status(request.user, on, filters.status)
    else:
        qs = Topic.objects.visible_to(request.user)
    out = paging.page(qs.search(filters.q), page, deleted_model=Topic, user=request.user)
    _with_counts(request.user, out["items"], on)
    return out


@router.get("/topics/{topic_id}", response=TopicOut, summary=_("第一议题详情"))
def topic_detail(request, topic_id: PathId, filters: Query[TopicDetailFilter]):
    require_role(request, *Role.DOMAIN)
    topic = visible_or_404(request.user, Topic.objects, topic_id, _("第一议题"))
    return _with_pushes(request.user, topic, filters.on or timezone.localdate())


# --- meetings -----------------------------------------------------------------------------------


# Names only for the people of a meeting, as on its page: never decrypt their numbers.
_PERSONAL = [f"{who}__{f}" for who in ("chair", "recorder", "study_leader") for f in ("id_number", "phone")]


def _meetings(user):
    return Meeting.objects.visible_to(user).annotate(
        party_org_name=F("party_org__name"), first_topic_name=F("first_topic__name"))


@router.get("/meetings", response=paging.page_of(MeetingOut), summary=_("会议列表"),
            description=_("您的范围内的会议：商协会党委和市领导看全部，书记、指导员看本党组织的，会员党员看本党组织的"))
def meeting_list(request, page: Query[paging.PageIn], filters: Query[MeetingFilter]):
    require_role(request, *access.MEETING_READERS)
    qs = _meetings(request.user)
    if filters.party_org_id:
        qs = qs.filter(party_org_id=filters.party_org_id)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.year:
        qs = qs.in_period(local_midnight(date(filters.year, 1, 1)), local_midnight(date(filters.year + 1, 1, 1)))
    if filters.held_from and filters.held_to and filters.held_to < filters.held_from:
        raise ValidationError({"held_to": _("会议日期的结束日不能早于开始日")})
    if filters.held_from:
        qs = qs.filter(held_on__gte=filters.held_from)
    if filters.held_to:
        qs = qs.filter(held_on__lte=filters.held_to)
    return paging.page(qs, page, deleted_model=Meeting, user=request.user)


def _detail(request, meeting_id: int) -> Meeting:
    """The meeting with what its page shows: topics, attendance, and for
    those who may record it the roster and the sign-in code."""
    meeting = visible_or_404(request.user, _meetings(request.user).select_related(
        "party_org", "chair", "recorder", "study_leader").defer(*_PERSONAL), meeting_id, _("会议"))
    meeting.topics = [mt.topic for mt in meeting.meeting_topics.select_related("topic").only(
        "topic__name", "topic__id", "meeting_id").order_by("id")]
    meeting.attendance = list(meeting.attendances.annotate(person_name=F("person__name")).only(
        "person_id", "present", "reason", "signed_in_at").order_by("-present", "id"))
    meeting.can_record = access.can_record(request.user, meeting.party_org_id)
    meeting.roster, meeting.sign_in_code, meeting.sign_in_url = [], None, None
    if meeting.can_record:
        meeting.roster = list(services.roster(meeting.party_org, meeting.held_on).only("id", "name", "sort_key")
                              .order_by("sort_key", "id"))
        meeting.sign_in_code = signing.dumps(meeting.pk, salt=views.SIGN_IN_SALT)
        meeting.sign_in_url = views.sign_in_url(request, meeting)
    return meeting


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary=_("会议详情"),
            description=_("会议记录、学习议题和出席情况"))
def meeting_detail(request, meeting_id: PathId):
    require_role(request, *access.MEETING_READERS)
    return _detail(request, meeting_id)


def _ref(user, model, pk, what):
    """A record the body names, among those the user sees (as the form's choices)."""
    if pk is None:
        return None
    queryset = model.objects.only("id", "name", "sort_key") if model is Person else model.objects
    return visible_or_404(user, queryset, pk, what)


@router.post("/meetings", response={201: MeetingDetailOut}, summary=_("记录会议"),
             description=_("商协会党委为任何党组织、书记为本党组织记录会议；其后用 attendance 记录出席情况"))
def meeting_create(request, payload: MeetingIn):
    require_role(request, *access.MEETING_READERS)
    user = request.user
    if not access.can_record(user):
        raise PermissionDenied(_("您的角色无权记录会议"))
    values = {
        "party_org": _ref(user, PartyOrg, payload.party_org_id, _("党组织")),
        "kind": payload.kind, "title": payload.title, "held_on": payload.held_on, "start_time": payload.start_time,
        "place": payload.place, "observers": payload.observers, "agenda": payload.agenda,
        "chair": _ref(user, Person, payload.chair_id, _("主持人")),
        "recorder": _ref(user, Person, payload.recorder_id, _("记录人")),
        "study_leader": _ref(user, Person, payload.study_leader_id, _("领学人/授课人")),
        "first_topic": _ref(user, Topic, payload.first_topic_id, _("第一议题")),
        "no_topic_reason": payload.no_topic_reason, "study_form": payload.study_form or "",
        "summary": payload.summary, "decisions": payload.decisions, "follow_up": payload.follow_up,
    }
    topics = [_ref(user, Topic, pk, _("学习议题")) for pk in dict.fromkeys(payload.topic_ids)]
    meeting = services.meeting_save(actor=Actor.of(user), values=values, topics=topics)
    return Status(201, _detail(request, meeting.pk))


@router.put("/meetings/{meeting_id}/attendance", response=MeetingDetailOut, summary=_("记录出席情况"),
            description=_("按会议当天本党组织的党员名单（详情中的 roster）勾选出席者，其余记为缺席"))
def meeting_attendance(request, meeting_id: PathId, payload: AttendanceIn):
    require_role(request, *access.MEETING_READERS)
    meeting = access.get_meeting_for_user(request.user, meeting_id, write=True)
    services.meeting_attendance_record(actor=Actor.of(request.user), meeting=meeting,
                                       present_ids=set(payload.present_ids), reasons=payload.reasons)
    return _detail(request, meeting.pk)


@router.post("/sign-in", response=SignInOut, summary=_("会议签到"),
             description=_("党员本人扫会议二维码签到（只在会议当天有效）：code 为二维码中的签到码"))
def meeting_sign_in(request, payload: SignInIn):
    try:
        pk = signing.loads(payload.code, salt=views.SIGN_IN_SALT)
    except signing.BadSignature:
        raise ValidationError({"code": _("签到码无效，请重新扫描会议二维码")}) from None
    meeting = visible_or_404(request.user, Meeting.objects.select_related("party_org"), pk, _("会议"))
    person = request.user.person
    if person is None:
        raise ValidationError(_("您的账号没有关联人员信息，无法签到"))
    row = services.meeting_sign_in(actor=Actor.of(request.user), meeting=meeting, person=person)
    return {"meeting_id": meeting.pk, "meeting_title": meeting.title, "person_id": person.pk,
            "person_name": person.name, "present": row.present, "signed_in_at": row.signed_in_at}
