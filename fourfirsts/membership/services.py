"""Every write of membership development, each DEV rule of rules.md §3
enforced once here with a message naming the rule. Views, the workbook import,
the demo and the reminder job call these.

Dates: "within N months" counts calendar months and clamps to the month's end
(31 Jan + 1 month = 28/29 Feb): `add_months`. Steps go in order; a step's date
is never before the previous step's.

Decisions where rules.md leaves room (also in workflow.py):
- DEV-8's notices are recorded on 3.7 (确定发展对象) and on 5.23 (the branch
  meeting on full membership), and must end before that step's day.
- DEV-5's quorum and majority apply to both branch meetings (4.15 and 5.23).
- DEV-7's extension is a separate action after 5.23 (the meeting decides it)
  and before 5.24, once, only if 5.23 was held within 5.24's window; it is
  copied onto the 5.23 record, so the workbook always carries it.
- 中共预备党员 from the 4.15 meeting's day (written at 4.17), 中共党员 from
  the day probation ends (written at 5.24), through
  registry.services.political_status_from_pipeline.
- Person.development_stage holds applicant / activist / candidate; from
  预备党员 on it is blank and the 政治面貌 says where the person stands.
"""

from collections import defaultdict
from datetime import date, timedelta
from typing import NamedTuple

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import workdays
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.periods import add_months
from fourfirsts.membership import rules, workflow
from fourfirsts.membership.models import Development, Review, StepRecord
from fourfirsts.registry import services as registry
from fourfirsts.registry.models import PartyOrg, Person, PoliticalStatus, active_on, new_ref


def step_ref_for(dev: Development, code: str) -> str:
    """A step's 编号 sorts in step order within its development, so an export
    (ordered by 编号) replays in order."""
    base = dev.ref if len(dev.ref) <= 36 else dev.ref[:36]
    ref = f"{base}-{workflow.step(code).order:02d}"
    return ref if not StepRecord.objects.filter(ref=ref).exists() else new_ref()


def _d(day: date) -> str:
    return day.isoformat()


# --- who may record ----------------------------------------------------------------------


def can_record(actor: Actor, org: PartyOrg, code: str = "1.1") -> bool:
    """The committee (and the system) record every step; a secretary the steps
    of their orgs, and the higher committee's steps for the orgs below theirs."""
    if actor.kind == Actor.system().kind or Role.COMMITTEE in actor.roles:
        return True
    if Role.SECRETARY not in actor.roles or actor.user is None:
        return False
    mine = scope_of(actor.user).secretary_of_org_ids
    if code in workflow.HIGHER_COMMITTEE_STEPS:
        return org.parent_id is not None and org.parent_id in mine
    return org.pk in mine


def _require(actor: Actor, org: PartyOrg, code: str) -> None:
    if not can_record(actor, org, code):
        if code in workflow.HIGHER_COMMITTEE_STEPS:
            raise PermissionDenied(_("步骤 %(code)s 由上级党委办理，您无权记录") % {"code": code})
        raise PermissionDenied(_("您无权记录此党组织的发展党员工作"))


def _not_future(day: date, field: str = "done_on") -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("日期 %(day)s 晚于今天") % {"day": _d(day)}})


# --- DEV-1: the application -------------------------------------------------------------


def birth_date_of(person: Person) -> date | None:
    if person.birth_date:
        return person.birth_date
    number = person.id_number or ""
    if len(number) == 18 and number[6:14].isdigit():
        try:
            return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        except ValueError:
            return None
    return None


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def _stage_write(actor: Actor, person: Person, stage: str) -> None:
    """The person's development stage (申请人/积极分子/发展对象); from 预备党员 on,
    the 政治面貌 the pipeline writes says where they stand."""
    value = stage if stage in (workflow.APPLICANT, workflow.ACTIVIST, workflow.CANDIDATE) else ""
    registry.development_stage_from_pipeline(actor=actor, person=person, stage=value)


def _require_visible(actor: Actor, people: list[Person], role: str, field: str) -> None:
    """Anyone but the system names only people in their own scope."""
    if actor.kind == Actor.system().kind or not people:
        return
    seen = set(Person.objects.visible_to(actor.user).filter(pk__in=[p.pk for p in people])
               .values_list("pk", flat=True))
    outside = [p.name for p in people if p.pk not in seen]
    if outside:
        raise ValidationError({field: _("%(role)s %(names)s 不在您的管理范围内")
                               % {"role": role, "names": "、".join(outside)}})


def _acted(actor: Actor, acted_by: Person | None) -> dict:
    if acted_by is not None:
        return {"actor_person": acted_by, "actor_label": acted_by.name}
    return {"actor_user": actor.user, "actor_label": str(actor)[:150]}


@transaction.atomic
def development_apply(*, actor: Actor, person: Person, party_org: PartyOrg, applied_on: date, note: str = "",
                      acted_by: Person | None = None, ref: str | None = None, step_ref: str | None = None,
                      is_entrepreneur: bool | None = None) -> Development:
    """Step 1.1: the application (递交入党申请书), which opens the development.
    The entrepreneur flag is the person's at application; an import of past
    applications (the system actor) may carry the flag as it was then."""
    _require(actor, party_org, "1.1")
    _require_visible(actor, [person], _("申请人"), "person")
    _not_future(applied_on, "applied_on")
    if Development.objects.filter(person=person).exists():
        raise ValidationError({"person": _("%(name)s 已有入党申请记录") % {"name": person.name}})
    if PoliticalStatus.objects.filter(active_on(applied_on), person=person,
                                      status__in=PoliticalStatus.PARTY).exists():
        raise ValidationError({"person": _("%(name)s 在申请日期已是党员") % {"name": person.name}})
    if party_org.established_on > applied_on or (party_org.dissolved_on and party_org.dissolved_on <= applied_on):
        raise ValidationError({"party_org": _("%(org)s 在申请日期尚未成立或已撤销") % {"org": party_org.name}})
    born = birth_date_of(person)
    minimum = rules.value("min_age", applied_on)
    if born is None:
        raise ValidationError({"person": _("DEV-1：%(name)s 没有出生日期或身份证号码，无法确认已满 %(age)s 岁")
                               % {"name": person.name, "age": minimum}})
    if age_on(born, applied_on) < minimum:
        raise ValidationError({"applied_on": _("DEV-1：申请人应年满 %(age)s 岁，%(name)s 在 %(day)s 未满 %(age)s 岁")
                               % {"age": minimum, "name": person.name, "day": _d(applied_on)}})
    dev = Development(person=person, party_org=party_org, applied_on=applied_on,
                      is_entrepreneur=person.is_entrepreneur if is_entrepreneur is None or actor.kind != Actor.system().kind
                      else is_entrepreneur, stage=workflow.APPLICANT, last_code="1.1")
    if ref:
        dev.ref = ref
    dev._history_user = actor.user
    dev.save()
    record = StepRecord(development=dev, code="1.1", done_on=applied_on, note=note, **_acted(actor, acted_by))
    record.ref = step_ref or step_ref_for(dev, "1.1")
    record._history_user = actor.user
    record.save()
    _stage_write(actor, person, workflow.APPLICANT)
    return dev


# --- the rules per step -----------------------------------------------------------------------


def probation_end(dev: Development, records: dict, value=rules.value) -> date | None:
    """DEV-7: one year from the branch meeting (4.15), plus an extension."""
    meeting = records.get("4.15")
    return None if meeting is None else _probation_end(meeting.done_on, dev.extension_months, value)


def _probation_end(meeting_on: date, extension_months: int, value=rules.value) -> date:
    return add_months(meeting_on, value("probation_months", meeting_on) + extension_months)


def window(dev: Development, code: str, records: dict) -> tuple[date | None, date | None, str]:
    """(earliest, latest, the rule) for the step's date, from the steps done."""
    prev = workflow.previous(code)
    earliest = records[prev.code].done_on if prev and prev.code in records else None
    latest, rule = None, ""

    def on(c):
        return records[c].done_on if c in records else None

    if code == "1.2":
        n = rules.value("talk_months", dev.applied_on)
        latest, rule = add_months(dev.applied_on, n), _("DEV-2：收到入党申请书后 %(n)s 个月内派人谈话") % {"n": n}
    elif code == "3.7" and on("2.3"):
        n = rules.value("activist_months", on("2.3"))
        earliest = max(earliest or on("2.3"), add_months(on("2.3"), n))
        rule = _("DEV-3：确定为入党积极分子 %(n)s 个月后才能列为发展对象") % {"n": n}
    elif code == "4.15" and on("4.13"):
        n = rules.value("meeting_months", on("4.13"))
        latest, rule = add_months(on("4.13"), n), _("DEV-5：上级党委预审通过后 %(n)s 个月内召开支部大会") % {"n": n}
    elif code == "4.17" and on("4.15"):
        n = rules.value("approval_max_months", on("4.15"))
        latest = add_months(on("4.15"), n)
        rule = _("DEV-6：支部大会后 %(a)s 个月内审批，超过 %(a)s 个月须说明理由，最长 %(b)s 个月") % {
            "a": rules.value("approval_months", on("4.15")), "b": n}
    elif code == "5.20" and on("4.17"):
        n = rules.value("oath_months", on("4.17"))
        latest, rule = add_months(on("4.17"), n), _("DEV-6：审批后 %(n)s 个月内入党宣誓") % {"n": n}
    elif code == "5.24" and on("4.15"):
        end = probation_end(dev, records)
        n = rules.value("full_months", end)
        earliest = max(earliest or end, end)
        latest = add_months(end, n)
        rule = _("DEV-7：预备期满（%(end)s）后 %(n)s 个月内审批转正") % {"end": _d(end), "n": n}
    return earliest, latest, rule


def _check_window(dev, code, done_on, records) -> None:
    prev = workflow.previous(code)
    if prev and records[prev.code].done_on > done_on:
        raise ValidationError({"done_on": _("日期不能早于上一步（%(code)s %(label)s，%(day)s）") % {
            "code": prev.code, "label": prev.label, "day": _d(records[prev.code].done_on)}})
    earliest, latest, rule = window(dev, code, records)
    if earliest and done_on < earliest:
        raise ValidationError({"done_on": _("%(rule)s：最早 %(day)s") % {"rule": rule, "day": _d(earliest)}})
    if latest and done_on > latest:
        raise ValidationError({"done_on": _("%(rule)s：最晚 %(day)s") % {"rule": rule, "day": _d(latest)}})


def _check_reviews(dev: Development, done_on: date, records: dict) -> None:
    """DEV-3: an activist is reviewed at least every N months until candidate."""
    start = records["2.3"].done_on
    n = rules.value("review_months", start)
    points = [start, *sorted(r for r in dev.reviews.filter(reviewed_on__gt=start, reviewed_on__lt=done_on)
                               .values_list("reviewed_on", flat=True)), done_on]
    for a, b in zip(points, points[1:], strict=False):
        if add_months(a, n) < b:
            raise ValidationError({"done_on": _("DEV-3：入党积极分子每 %(n)s 个月至少考察一次，%(a)s 至 %(b)s 之间没有考察记录")
                                   % {"n": n, "a": _d(a), "b": _d(b)}})


def _check_people(actor: Actor, dev: Development, code: str, done_on: date, people: list[Person]) -> None:
    _require_visible(actor, people, workflow.PEOPLE_LABELS[code], "people")
    ids = {p.pk for p in people}
    if dev.person_id in ids:
        raise ValidationError({"people": _("申请人本人不能是自己的%(role)s") % {"role": workflow.PEOPLE_LABELS[code]}})
    if code == "2.5":
        most = rules.value("contacts_max", done_on)
        if not 1 <= len(ids) <= most:
            raise ValidationError({"people": _("DEV-3：应指定 1 至 %(n)s 名培养联系人") % {"n": most}})
    if code == "3.9":
        if len(ids) != 2:
            raise ValidationError({"people": _("DEV-4：入党介绍人应为 2 名正式党员")})
        full = set(PoliticalStatus.objects.filter(active_on(done_on), person_id__in=ids,
                                                  status=PoliticalStatus.Status.CPC_MEMBER)
                   .values_list("person_id", flat=True))
        others = [p.name for p in people if p.pk not in full]
        if others:
            raise ValidationError({"people": _("DEV-4：入党介绍人应为正式党员，%(names)s 在 %(day)s 不是中共党员")
                                   % {"names": "、".join(others), "day": _d(done_on)}})


def _check_training(done_on, days, hours) -> None:
    need_days, need_hours = rules.value("training_days", done_on), rules.value("training_hours", done_on)
    if not ((days or 0) >= need_days or (hours or 0) >= need_hours):
        raise ValidationError({"training_days": _("DEV-4：集中培训应不少于 %(d)s 天或 %(h)s 学时")
                               % {"d": need_days, "h": need_hours}})


def _check_votes(entitled, present, yes) -> None:
    if entitled is None or present is None or yes is None:
        raise ValidationError({"voters_entitled": _("DEV-5：请填写有表决权的党员数、到会人数和赞成票数")})
    if present > entitled:
        raise ValidationError({"voters_present": _("到会人数不能多于有表决权的党员数")})
    if yes > present:
        raise ValidationError({"votes_yes": _("赞成票数不能多于到会人数")})
    if present * 2 <= entitled:
        raise ValidationError({"voters_present": _("DEV-5：到会有表决权的党员应超过应到会人数的半数（%(p)s/%(e)s）")
                               % {"p": present, "e": entitled}})
    if yes * 2 <= entitled:
        raise ValidationError({"votes_yes": _("DEV-5：赞成票应超过应到会有表决权党员的半数（%(y)s/%(e)s）")
                               % {"y": yes, "e": entitled}})


def notice_workdays(first: date, last: date) -> int:
    """Working days from first to last, both included."""
    return workdays.workdays_between(first - timedelta(days=1), last)


def _check_notice(done_on, first, last) -> None:
    n = rules.value("notice_workdays", done_on)
    if first is None or last is None:
        raise ValidationError({"notice_from": _("DEV-8：请填写公示的起止日期")})
    if last < first:
        raise ValidationError({"notice_to": _("公示结束日期不能早于开始日期")})
    if last >= done_on:
        raise ValidationError({"notice_to": _("DEV-8：公示应在本步骤之前结束（%(day)s 之前）") % {"day": _d(done_on)}})
    got = notice_workdays(first, last)
    if got < n:
        raise ValidationError({"notice_to": _("DEV-8：公示应不少于 %(n)s 个工作日，%(a)s 至 %(b)s 只有 %(got)s 个")
                               % {"n": n, "a": _d(first), "b": _d(last), "got": got}})


def _check_approval(done_on, records, reason) -> None:
    meeting = records["4.15"].done_on
    n = rules.value("approval_months", meeting)
    if done_on > add_months(meeting, n) and not (reason or "").strip():
        raise ValidationError({"delay_reason": _("DEV-6：支部大会后超过 %(n)s 个月审批，须填写理由") % {"n": n}})


# --- recording a step ---------------------------------------------------------------------------------


def records_of(dev: Development) -> dict:
    return {r.code: r for r in dev.steps.all()}


@transaction.atomic
def step_record(*, actor: Actor, development: Development, code: str, done_on: date, note: str = "",
                acted_by: Person | None = None, people=(), training_days: int | None = None,
                training_hours: int | None = None, voters_entitled: int | None = None,
                voters_present: int | None = None, votes_yes: int | None = None,
                notice_from: date | None = None, notice_to: date | None = None, delay_reason: str = "",
                ref: str | None = None) -> StepRecord:
    """Record the next step of a development, after every rule of it holds."""
    if code not in workflow.BY_CODE:
        raise ValidationError({"code": _("没有编号为 %(code)s 的步骤") % {"code": code}})
    if code == "1.1":
        raise ValidationError({"code": _("步骤 1.1 即入党申请本身")})
    dev = Development.objects.select_for_update().select_related("party_org", "person").get(pk=development.pk)
    step = workflow.step(code)
    _require(actor, dev.party_org, code)
    records = records_of(dev)
    if code in records:
        raise ValidationError({"code": _("步骤 %(code)s %(label)s 已记录") % {"code": code, "label": step.label}})
    prev = workflow.previous(code)
    if prev.code not in records:
        raise ValidationError({"code": _("请先完成上一步：%(code)s %(label)s") % {"code": prev.code,
                                                                                 "label": prev.label}})
    _not_future(done_on)
    _check_window(dev, code, done_on, records)
    people = list(people or ())
    if code in workflow.PEOPLE_LABELS:
        _check_people(actor, dev, code, done_on, people)
    if code == "3.7":
        _check_reviews(dev, done_on, records)
    if "notice" in step.needs:
        _check_notice(done_on, notice_from, notice_to)
    if code == "3.11":
        _check_training(done_on, training_days, training_hours)
    if "votes" in step.needs:
        _check_votes(voters_entitled, voters_present, votes_yes)
    if code == "4.17":
        _check_approval(done_on, records, delay_reason)
    record = StepRecord(
        development=dev, code=code, done_on=done_on, note=note, training_days=training_days,
        training_hours=training_hours, voters_entitled=voters_entitled, voters_present=voters_present,
        votes_yes=votes_yes, notice_from=notice_from, notice_to=notice_to, delay_reason=delay_reason or "",
        people_refs="、".join(sorted(p.ref for p in people)), **_acted(actor, acted_by))
    record.ref = ref or step_ref_for(dev, code)
    record._history_user = actor.user
    record.save()
    if people:
        record.people.set(people)
    records[code] = record
    dev.last_code = code
    if step.sets_stage:
        dev.stage = step.sets_stage
        _stage_write(actor, dev.person, step.sets_stage)
    if code == "4.17":
        registry.political_status_from_pipeline(actor=actor, person=dev.person,
                                                status=PoliticalStatus.Status.CPC_PROBATIONARY,
                                                since=records["4.15"].done_on)
    if code == "5.24":
        registry.political_status_from_pipeline(actor=actor, person=dev.person,
                                                status=PoliticalStatus.Status.CPC_MEMBER,
                                                since=probation_end(dev, records))
    dev._history_user = actor.user
    dev.save()
    return record


@transaction.atomic
def step_annotate(*, actor: Actor, record: StepRecord, note: str, acted_by: Person | None = None) -> StepRecord:
    """Change a recorded step's note and who acted; its date and facts are history."""
    _require(actor, record.development.party_org, record.code)
    record.note = note or ""
    if acted_by is not None:
        record.actor_person, record.actor_label = acted_by, acted_by.name[:150]
    record._history_user = actor.user
    record.save()
    return record


@transaction.atomic
def review_record(*, actor: Actor, development: Development, reviewed_on: date, note: str = "",
                  ref: str | None = None) -> Review:
    """A six-monthly review of an activist (DEV-3), between 2.3 and 3.7. An
    import (the system actor) writes reviews before it replays the steps."""
    _require(actor, development.party_org, "2.6")
    records = records_of(development)
    early = "2.3" not in records and actor.kind != Actor.system().kind
    if early or "3.7" in records:
        raise ValidationError({"reviewed_on": _("DEV-3：只有入党积极分子阶段需要定期考察")})
    _not_future(reviewed_on, "reviewed_on")
    if reviewed_on < (records["2.3"] if "2.3" in records else records["1.1"]).done_on:
        raise ValidationError({"reviewed_on": _("考察日期不能早于确定为入党积极分子的日期")})
    review = Review(development=development, reviewed_on=reviewed_on, note=note, actor_label=str(actor)[:150])
    if ref:
        review.ref = ref
    review._history_user = actor.user
    review.save()
    return review


def extension_refusal(dev: Development, records: dict) -> str:
    """Why probation may not be extended now ("" when it may). DEV-7: the
    branch meeting on full membership (5.23) decides it, once, while full
    membership could still be approved in time without it."""
    if "4.17" not in records or "5.24" in records:
        return _("DEV-7：只有预备党员可以延长预备期")
    if dev.extension_months:
        return _("DEV-7：预备期只能延长一次")
    if "5.23" not in records:
        return _("DEV-7：延长预备期由讨论转正的支部大会（5.23）决定，请先记录步骤 5.23")
    meeting, probation = records["5.23"].done_on, records["4.15"].done_on
    end = add_months(probation, rules.value("probation_months", probation))
    latest = add_months(end, rules.value("full_months", end))
    if meeting > latest:
        return _("DEV-7：支部大会（%(day)s）已晚于转正审批期限（%(latest)s），不能再延长预备期") % {
            "day": _d(meeting), "latest": _d(latest)}
    return ""


@transaction.atomic
def probation_extend(*, actor: Actor, development: Development, months: int, reason: str) -> Development:
    """DEV-7: probation may be extended once, by 6–12 months, as the 5.23
    branch meeting decides; the 5.23 record carries it (for the workbook)."""
    dev = Development.objects.select_for_update().select_related("party_org").get(pk=development.pk)
    _require(actor, dev.party_org, "5.23")
    records = records_of(dev)
    refusal = extension_refusal(dev, records)
    if refusal:
        raise ValidationError({"months": refusal})
    on = records["4.15"].done_on
    lo, hi = rules.value("extension_min", on), rules.value("extension_max", on)
    if not lo <= (months or 0) <= hi:
        raise ValidationError({"months": _("DEV-7：预备期可延长 %(lo)s 至 %(hi)s 个月") % {"lo": lo, "hi": hi}})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写延长预备期的理由")})
    dev.extension_months, dev.extension_reason = months, reason.strip()
    dev._history_user = actor.user
    dev.save()
    meeting = records["5.23"]
    meeting.extension_months, meeting.extension_reason = dev.extension_months, dev.extension_reason
    meeting._history_user = actor.user
    meeting.save()
    return dev


# --- where a development stands --------------------------------------------------------------------


def plan(dev: Development, records: dict, today: date) -> list[dict]:
    """The 25 steps with their state: done, next (with its window), blocked
    (with the rule and the earliest day), overdue, or waiting."""
    rows, first_open = [], None
    for s in workflow.STEPS:
        row = {"step": s, "record": records.get(s.code), "state": "done", "hint": ""}
        if row["record"] is None:
            if first_open is None:
                first_open = s
                earliest, latest, rule = window(dev, s.code, records)
                if earliest and earliest > today:
                    row["state"] = "blocked"
                    row["hint"] = _("%(rule)s：最早 %(day)s") % {"rule": rule, "day": _d(earliest)}
                elif latest and latest < today:
                    row["state"] = "overdue"
                    row["hint"] = _("%(rule)s：期限 %(day)s 已过") % {"rule": rule, "day": _d(latest)}
                else:
                    row["state"] = "next"
                    row["hint"] = (_("%(rule)s：最晚 %(day)s") % {"rule": rule, "day": _d(latest)}) if latest else rule
            else:
                row["state"] = "waiting"
                row["hint"] = _("需先完成 %(code)s") % {"code": first_open.code}
        rows.append(row)
    return rows


def next_step(records: dict) -> workflow.Step | None:
    return next((s for s in workflow.STEPS if s.code not in records), None)


# --- reminders -----------------------------------------------------------------------------------------


class DueFacts(NamedTuple):
    """What `steps_due` reads of a development, as plain values."""

    applied_on: date
    extension_months: int
    done: dict  # step code → the day it was done
    reviewed: list  # the days of its reviews


def due_facts(developments) -> dict[int, DueFacts]:
    """`DueFacts` of each of the developments, in three queries: the panel and
    the reminders judge thousands at province scale, and building their step
    records as models took 2 s."""
    ids = developments.values("pk")
    done, reviewed = defaultdict(dict), defaultdict(list)
    for dev_id, code, day in StepRecord.objects.filter(development__in=ids).values_list(
            "development_id", "code", "done_on"):
        done[dev_id][code] = day
    for dev_id, day in Review.objects.filter(development__in=ids).values_list("development_id", "reviewed_on"):
        reviewed[dev_id].append(day)
    return {pk: DueFacts(applied_on, extension, done[pk], reviewed[pk]) for pk, applied_on, extension in
            developments.order_by().values_list("pk", "applied_on", "extension_months")}


def steps_due(facts: DueFacts, value=rules.value) -> list[tuple[str, date, str]]:
    """(kind, due day, message) of what a development is waiting for."""
    out, done = [], facts.done
    if list(done) == ["1.1"]:
        due = add_months(facts.applied_on, value("talk_months", facts.applied_on))
        out.append(("talk", due, _("DEV-2：应在 %(day)s 前派人谈话") % {"day": _d(due)}))
    if "2.3" in done and "3.7" not in done:
        last = max([done["2.3"], *facts.reviewed])
        due = add_months(last, value("review_months", last))
        out.append(("review", due, _("DEV-3：应在 %(day)s 前对入党积极分子进行考察") % {"day": _d(due)}))
    if "4.15" in done and "4.17" not in done:
        meeting = done["4.15"]
        due = add_months(meeting, value("approval_months", meeting))
        out.append(("approval", due, _("DEV-6：上级党委应在 %(day)s 前审批") % {"day": _d(due)}))
    if "4.17" in done and "5.24" not in done:
        due = _probation_end(done["4.15"], facts.extension_months, value)
        out.append(("probation", due, _("DEV-7：预备期将于 %(day)s 期满，应及时讨论转正") % {"day": _d(due)}))
    return out


@transaction.atomic
def remind(*, today: date) -> int:
    """Notify who must act of what is due within `membership.remind_days` (or
    overdue): the org's secretaries, and for the approval (DEV-6) the higher
    org's secretaries and the committee. Each (development, kind, due day) is
    recorded once it reached someone; one with no recipient waits for a later
    run. A fixed number of queries however many developments there are."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    from fourfirsts.core import notify
    from fourfirsts.core.models import Notification
    from fourfirsts.membership.models import Reminder

    value = rules.snapshot()
    ahead = timedelta(days=value("remind_days", today))
    pending = Development.objects.exclude(stage=workflow.FULL)
    facts = due_facts(pending)
    due_now = []
    for dev in pending.select_related("person", "party_org"):
        if dev.pk not in facts:  # applied for since `facts` was read: the next run judges it
            continue
        due_now += [(dev, kind, due, text) for kind, due, text in steps_due(facts[dev.pk], value)
                    if due - ahead <= today]
    if not due_now:
        return 0
    sent = set(Reminder.objects.filter(development_id__in={d.pk for d, *__ in due_now})
               .values_list("development_id", "kind", "due_on"))
    due_now = [row for row in due_now if (row[0].pk, row[1], row[2]) not in sent]
    orgs = {d.party_org_id for d, *__ in due_now} | {d.party_org.parent_id for d, *__ in due_now}
    secretaries: dict[int, list] = {}
    committee = []
    for user in (get_user_model().objects.filter(is_active=True).filter(
            Q(party_org_id__in=orgs - {None}, groups__name=Role.SECRETARY) | Q(groups__name=Role.COMMITTEE))
            .prefetch_related("groups").distinct()):
        names = {g.name for g in user.groups.all()}
        if Role.SECRETARY in names and user.party_org_id:
            secretaries.setdefault(user.party_org_id, []).append(user)
        if Role.COMMITTEE in names:
            committee.append(user)
    now = timezone.now()
    reminders, notes, outgoing = [], [], []
    for dev, kind, due, text in due_now:
        if kind == "approval":
            users = list({u.pk: u for u in [*secretaries.get(dev.party_org.parent_id, []), *committee]}.values())
        else:
            users = secretaries.get(dev.party_org_id, [])
        if not users:
            continue  # nobody can receive it yet: a later run sends it
        title = _("发展党员提醒：%(name)s") % {"name": dev.person.name}
        link = reverse("membership:development_detail", args=[dev.pk])
        reminders.append(Reminder(development=dev, kind=kind, due_on=due, sent_at=now))
        notes += [Notification(recipient=u, title=title, body=text, link=link, created_at=now) for u in users]
        outgoing += [(u, title, text, link) for u in users]
    Reminder.objects.bulk_create(reminders)
    Notification.objects.bulk_create(notes)
    for sender in notify.senders():
        for user, title, text, link in outgoing:
            sender.send(user=user, title=title, body=text, link=link)
    return len(reminders)
