"""Every write of the agenda. Views, the workbook importer and the demo call
these, so each rule is enforced once. `actor` is a core.actors.Actor; `at`
is when an imported past record happened (history rows carry it)."""

import re
from datetime import date, datetime, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.agenda import timeliness
from fourfirsts.agenda.models import (
    Attendance,
    ClassParticipant,
    Lecture,
    Meeting,
    MeetingTopic,
    Topic,
    TopicPush,
    TrainingClass,
)
from fourfirsts.core import attachments, notify, searchkeys
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Tombstone
from fourfirsts.registry.models import PartyMembership, PartyOrg, Person, active_on

TIME_RE = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _is_system(actor: Actor) -> bool:
    return actor.kind == Actor.system().kind


def require_committee(actor: Actor) -> None:
    """The topic library, classes and lectures are the committee's to keep."""
    if not _is_system(actor) and Role.COMMITTEE not in actor.roles:
        raise PermissionDenied(_("只有商协会党委可以维护此记录"))


def require_recorder(actor: Actor, org: PartyOrg | None) -> None:
    """The committee records for any org (its own included); a secretary only
    for the orgs they lead."""
    if _is_system(actor) or Role.COMMITTEE in actor.roles:
        return
    if Role.SECRETARY not in actor.roles:
        raise PermissionDenied(_("您的角色无权记录会议"))
    if org is None or org.pk not in scope_of(actor.user).secretary_of_org_ids:
        raise ValidationError({"party_org": _("书记只能为本党组织记录会议")})


def _save(instance, values: dict, actor: Actor, at: datetime | None = None, exclude=()):
    for field, value in values.items():
        setattr(instance, field, value)
    loaded = [f.name for f in instance._meta.concrete_fields
              if f.is_relation and getattr(instance, f.name, None) is not None
              and getattr(instance, f.name).pk is not None]
    instance.full_clean(exclude=[*exclude, *loaded])
    instance._history_user = getattr(actor, "user", None)
    if at is not None:
        instance._history_date = at
    instance.save()
    return instance


def _keys(instance, *texts) -> None:
    instance.search_key = searchkeys.search_key(instance.name, *texts)
    instance.sort_key = searchkeys.sort_key(instance.name)


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


# --- topics ----------------------------------------------------------------------------------


@transaction.atomic
def topic_save(*, actor: Actor, values: dict, topic: Topic | None = None, at: datetime | None = None) -> Topic:
    require_committee(actor)
    topic = topic or Topic()
    for field, value in values.items():
        setattr(topic, field, value)
    if not topic.name:
        raise ValidationError({"name": _("请填写议题标题")})
    if topic.released_on is None:
        raise ValidationError({"released_on": _("请填写发布日期")})
    _keys(topic, topic.source)
    return _save(topic, {}, actor, at or (None if topic.pk else _moment(topic.released_on)))


@transaction.atomic
def topic_push(*, actor: Actor, topic: Topic, orgs=None, pushed_on: date, at: datetime | None = None) -> list[TopicPush]:
    """Put the topic on the “to study” list of each org (all existing orgs
    when `orgs` is None); orgs that have it already keep their push."""
    require_committee(actor)
    if pushed_on < topic.released_on:
        raise ValidationError({"pushed_on": _("推送日期不能早于议题发布日期")})
    if orgs is None:
        orgs = list(PartyOrg.objects.existing_on(pushed_on))
    if not orgs:
        raise ValidationError({"orgs": _("请选择要推送的党组织")})
    have = set(TopicPush.objects.filter(topic=topic).values_list("party_org_id", flat=True))
    new = [TopicPush(topic=topic, party_org=o, pushed_on=pushed_on) for o in orgs if o.pk not in have]
    for push in new:
        _save(push, {}, actor, at)
    timeliness.refresh((p.party_org_id, topic.pk) for p in new)  # an org may have studied it already
    if _is_system(actor):
        return new  # the system (imports, the demo) writes history, not news
    _tell_secretaries(topic, [p.party_org for p in new])
    return new


def _tell_secretaries(topic: Topic, orgs) -> None:
    """Each receiving org's secretaries find the topic in their inbox."""
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    by_org = {o.pk: o for o in orgs}
    users = get_user_model().objects.filter(party_org_id__in=by_org, is_active=True)
    for user in users:
        notify.notify([user], title=_("新的第一议题：%(title)s") % {"title": topic.name},
                      body=_("请%(org)s及时组织学习") % {"org": by_org[user.party_org_id].name},
                      link=reverse("agenda:org_agenda", args=[user.party_org_id]))


@transaction.atomic
def topic_push_save(*, actor: Actor, values: dict, instance: TopicPush | None = None,
                    at: datetime | None = None) -> TopicPush:
    """One push, as the workbook holds it."""
    require_committee(actor)
    push = instance or TopicPush()
    for field, value in values.items():
        setattr(push, field, value)
    if push.topic_id and push.pushed_on and push.pushed_on < push.topic.released_on:
        raise ValidationError({"pushed_on": _("推送日期不能早于议题发布日期")})
    _save(push, {}, actor, at or (None if push.pk else _moment(push.pushed_on)))
    timeliness.refresh([(push.party_org_id, push.topic_id)])
    push.refresh_from_db(fields=["first_meeting", "first_studied_on"])
    return push


# --- meetings -----------------------------------------------------------------------------------


def roster(org: PartyOrg, day: date):
    """People with a party membership in the org in force on the day."""
    return Person.objects.filter(
        party_memberships__in=PartyMembership.objects.filter(active_on(day), party_org=org)
    ).distinct()


def _held_at(day: date, start: str) -> datetime:
    hours, minutes = (int(x) for x in start.split(":"))
    return timezone.make_aware(datetime.combine(day, time(hours, minutes)))


@transaction.atomic
def meeting_save(*, actor: Actor, values: dict, meeting: Meeting | None = None,
                 topics: list[Topic] | None = None, at: datetime | None = None) -> Meeting:
    """Create or edit a meeting. `values["first_topic"]` is the topic first on
    the agenda (FT-1); `topics` (optional) replaces the further topics studied."""
    meeting = meeting or Meeting()
    before = studied_pairs(meeting.pk)
    if meeting.pk:
        require_recorder(actor, meeting.party_org)
    for field, value in values.items():
        setattr(meeting, field, value)
    org = meeting.party_org if meeting.party_org_id else None
    if org is None:
        raise ValidationError({"party_org": _("请选择党组织")})
    require_recorder(actor, org)
    if meeting.held_on is None:
        raise ValidationError({"held_on": _("请填写会议日期")})
    meeting.start_time = (meeting.start_time or "09:00").strip()
    if not TIME_RE.match(meeting.start_time):
        raise ValidationError({"start_time": _("开始时间格式应为 HH:MM，如 09:30")})
    if meeting.held_on < org.established_on:
        raise ValidationError({"held_on": _("会议日期不能早于党组织成立日期")})
    meeting.held_at = _held_at(meeting.held_on, meeting.start_time)
    first = meeting.first_topic if meeting.first_topic_id else None
    if first is not None:
        meeting.no_topic_reason = ""
        if first.released_on > meeting.held_on:
            raise ValidationError({"first_topic": _("第一议题的发布日期晚于会议日期")})
    elif meeting.kind in Meeting.FT1_KINDS and not meeting.no_topic_reason.strip():
        raise ValidationError({"no_topic_reason": _("%(kind)s应以第一议题开头；未学习第一议题时请填写原因") % {"kind": meeting.get_kind_display()}})
    _save(meeting, {}, actor, at or (None if meeting.pk else meeting.held_at), exclude=["held_at"])
    if topics is not None:
        topics = [t for t in topics if first is None or t.pk != first.pk]
        meeting.meeting_topics.exclude(topic__in=topics).delete()
        have = set(meeting.meeting_topics.values_list("topic_id", flat=True))
        for topic in topics:
            if topic.pk not in have:
                _check_topic_date(topic, meeting)
                _save(MeetingTopic(meeting=meeting, topic=topic), {}, actor, at)
    timeliness.refresh(before | studied_pairs(meeting.pk))
    return meeting


def studied_pairs(meeting_id: int | None) -> set[tuple[int, int]]:
    """(org id, topic id) of each topic the meeting studied, as stored now:
    the pushes whose first meeting may change when it does."""
    if meeting_id is None:
        return set()
    first = Meeting.objects.filter(pk=meeting_id, first_topic__isnull=False).values_list("party_org_id",
                                                                                          "first_topic_id")
    further = MeetingTopic.objects.filter(meeting_id=meeting_id).values_list("meeting__party_org_id", "topic_id")
    return {*first, *further}


def _check_topic_date(topic: Topic, meeting: Meeting) -> None:
    if topic.released_on > meeting.held_on:
        raise ValidationError({"topic": _("议题“%(topic)s”的发布日期晚于会议日期") % {"topic": topic.name}})


@transaction.atomic
def meeting_topic_save(*, actor: Actor, values: dict, instance: MeetingTopic | None = None,
                       at: datetime | None = None) -> MeetingTopic:
    """A further topic studied at a meeting, as the workbook holds it."""
    mt = instance or MeetingTopic()
    before = studied_pairs(MeetingTopic.objects.filter(pk=mt.pk).values_list("meeting_id", flat=True).first())
    for field, value in values.items():
        setattr(mt, field, value)
    require_recorder(actor, mt.meeting.party_org)
    _check_topic_date(mt.topic, mt.meeting)
    if mt.meeting.first_topic_id == mt.topic_id:
        raise ValidationError({"topic": _("该议题已是这次会议的第一议题")})
    _save(mt, {}, actor, at or (None if mt.pk else mt.meeting.held_at))
    timeliness.refresh(before | studied_pairs(mt.meeting_id))
    return mt


def _recount(meeting: Meeting) -> None:
    counts = meeting.attendances.aggregate(expected=Count("id"), present=Count("id", filter=Q(present=True)))
    # updated_at moves too, so an API client syncing with updated_since sees the new counts.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting.pk).update(expected_count=counts["expected"], present_count=counts["present"],
                                                 updated_at=now)
    meeting.expected_count, meeting.present_count, meeting.updated_at = counts["expected"], counts["present"], now


def _check_on_roster(meeting: Meeting, person: Person) -> None:
    if not roster(meeting.party_org, meeting.held_on).filter(pk=person.pk).exists():
        raise ValidationError({"person": _("%(person)s在会议当天不是%(org)s的党员") % {"person": person.name, "org": meeting.party_org.name}})


@transaction.atomic
def attendance_save(*, actor: Actor, values: dict, instance: Attendance | None = None,
                    at: datetime | None = None) -> Attendance:
    """One person's attendance, as the workbook holds it."""
    row = instance or Attendance()
    for field, value in values.items():
        setattr(row, field, value)
    require_recorder(actor, row.meeting.party_org)
    _check_on_roster(row.meeting, row.person)
    if row.present:
        row.reason = ""
    row = _save(row, {}, actor, at or (None if row.pk else row.meeting.held_at))
    _recount(row.meeting)
    return row


@transaction.atomic
def meeting_attendance_record(*, actor: Actor, meeting: Meeting, present_ids, reasons: dict[int, str] | None = None,
                              at: datetime | None = None) -> Meeting:
    """The recorder ticks names: everyone on the roster gets a row, present or
    absent (with the reason given)."""
    require_recorder(actor, meeting.party_org)
    reasons = reasons or {}
    people = {p.pk: p for p in roster(meeting.party_org, meeting.held_on)}
    stray = set(present_ids) - set(people)
    if stray:
        raise ValidationError({"attendance": _("出席名单中有人不是会议当天本党组织的党员")})
    rows = {a.person_id: a for a in meeting.attendances.all()}
    for pk, person in people.items():
        row = rows.get(pk) or Attendance(meeting=meeting, person=person)
        present = pk in present_ids
        reason = "" if present else (reasons.get(pk) or "").strip()[:200]
        if row.pk is None or row.present != present or row.reason != reason:
            _save(row, {"present": present, "reason": reason}, actor, at)
    _recount(meeting)
    return meeting


@transaction.atomic
def meeting_sign_in(*, actor: Actor, meeting: Meeting, person: Person, now: datetime | None = None) -> Attendance:
    """A member signs in by scanning the meeting's QR code (on the meeting day)."""
    now = now or timezone.now()
    if timezone.localdate(now) != meeting.held_on:
        raise ValidationError(_("签到二维码只在会议当天有效"))
    _check_on_roster(meeting, person)
    row = Attendance.objects.filter(meeting=meeting, person=person).first() or Attendance(
        meeting=meeting, person=person)
    if not row.present or row.signed_in_at is None:
        _save(row, {"present": True, "reason": "", "signed_in_at": now}, actor)
        _recount(meeting)
    return row


# --- classes and lectures ---------------------------------------------------------------------


@transaction.atomic
def training_class_save(*, actor: Actor, values: dict, training_class: TrainingClass | None = None,
                        at: datetime | None = None) -> TrainingClass:
    require_committee(actor)
    tc = training_class or TrainingClass()
    for field, value in values.items():
        setattr(tc, field, value)
    if tc.starts_on and tc.ends_on and tc.ends_on < tc.starts_on:
        raise ValidationError({"ends_on": _("结束日期不能早于开始日期")})
    if tc.hours is not None and tc.hours < 0:
        raise ValidationError({"hours": _("学时不能为负数")})
    _keys(tc, tc.organiser)
    return _save(tc, {}, actor, at or (None if tc.pk or not tc.starts_on else _moment(tc.starts_on)))


@transaction.atomic
def class_participant_save(*, actor: Actor, values: dict, instance: ClassParticipant | None = None,
                           at: datetime | None = None) -> ClassParticipant:
    require_committee(actor)
    row = instance or ClassParticipant()
    return _save(row, values, actor, at)


@transaction.atomic
def class_participant_add(*, actor: Actor, training_class: TrainingClass, person: Person,
                          completed: bool = False) -> ClassParticipant:
    require_committee(actor)
    if ClassParticipant.objects.filter(training_class=training_class, person=person).exists():
        raise ValidationError({"person": _("%(name)s已在本培训班的学员名单中") % {"name": person.name}})
    return _save(ClassParticipant(training_class=training_class, person=person, completed=completed), {}, actor)


@transaction.atomic
def class_completion_record(*, actor: Actor, training_class: TrainingClass, completed_ids) -> None:
    """Tick who completed the class; the others have not (yet)."""
    require_committee(actor)
    for row in training_class.participants.all():
        done = row.pk in completed_ids
        if row.completed != done:
            _save(row, {"completed": done}, actor)


@transaction.atomic
def lecture_save(*, actor: Actor, values: dict, lecture: Lecture | None = None,
                 at: datetime | None = None) -> Lecture:
    require_committee(actor)
    lecture = lecture or Lecture()
    for field, value in values.items():
        setattr(lecture, field, value)
    if lecture.audience is not None and lecture.audience < 0:
        raise ValidationError({"audience": _("听众人数不能为负数")})
    return _save(lecture, {}, actor, at or (None if lecture.pk or not lecture.held_on else _moment(lecture.held_on)))


# --- deleting ----------------------------------------------------------------------------------


def _tombstones(rows, actor: Actor, at: datetime) -> None:
    """Tombstones first, so an API client syncing with `updated_since` learns
    of every row that goes (cascaded ones included)."""
    Tombstone.objects.bulk_create([
        Tombstone(model=r._meta.label_lower, object_pk=str(r.pk), ref=getattr(r, "ref", ""), deleted_at=at,
                  deleted_by=str(actor)) for r in rows])


def _delete(rows, actor: Actor) -> None:
    for row in rows:
        row._history_user = getattr(actor, "user", None)
        row.delete()


def _drop_attachments(owner, actor: Actor, at: datetime) -> None:
    """The owner's files go with it; the stored files once the deletion commits."""
    files = list(attachments.attachments_of(owner))
    _tombstones(files, actor, at)
    for att in files:
        stored = att.file
        transaction.on_commit(lambda stored=stored: stored.delete(save=False))
    _delete(files, actor)


@transaction.atomic
def meeting_delete(*, actor: Actor, meeting: Meeting) -> None:
    """Delete a meeting with its further topics and attendance: its org's
    secretary or the committee."""
    meeting = Meeting.objects.select_for_update().select_related("party_org").get(pk=meeting.pk)
    require_recorder(actor, meeting.party_org)
    now = timezone.now()
    children = [*meeting.meeting_topics.all(), *meeting.attendances.all()]
    studied = studied_pairs(meeting.pk)
    _tombstones([*children, meeting], actor, now)
    _drop_attachments(meeting, actor, now)
    _delete([*children, meeting], actor)
    timeliness.refresh(studied)  # the org's next meeting on each topic, if any, becomes its first


def topic_delete_refusal(topic: Topic) -> str:
    """Why the topic may not be deleted ("" if it may): an org studied it at a
    meeting, as the first or a further topic."""
    studied = PartyOrg.objects.filter(
        Q(meetings__first_topic=topic) | Q(meetings__meeting_topics__topic=topic)).distinct().count()
    if not studied:
        return ""
    return _("已有%(n)s个党组织学习过该议题，不能删除；如内容有误，请编辑议题") % {"n": studied}


@transaction.atomic
def topic_delete(*, actor: Actor, topic: Topic) -> None:
    """Delete a topic of the library with its pushes: the committee, and only
    while no org has studied it."""
    require_committee(actor)
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    refusal = topic_delete_refusal(topic)
    if refusal:
        raise ValidationError(refusal)
    now = timezone.now()
    pushes = list(topic.pushes.all())
    _tombstones([*pushes, topic], actor, now)
    _drop_attachments(topic, actor, now)
    _delete([*pushes, topic], actor)
