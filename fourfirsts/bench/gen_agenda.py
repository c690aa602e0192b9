"""第一议题 rows of the benchmark data: topics (one a month) pushed to every
org then in existence, each org's meetings with their first topic, further
topics and attendance, training classes and lectures.

Meetings follow the 三会一课 slots of agenda/compliance.py: per branch a
committee meeting a month (with a committee), a theme day a month, a group
meeting a month (with party groups), a general meeting and a party lecture a
quarter (the secretary lectures in May), an organisational life meeting and
the members' review in December, and a few study sessions; per city
committee a committee meeting and a central-group study a month and the
secretary's lecture in July. Each slot is held with the org's own share
around the scale's `meeting_share`. A study meeting or an FT-1 meeting takes
the earliest topic pushed to the org and not yet studied (FT-2); every
member in the org that day is on the roster, 88 % present.
"""

from datetime import date, timedelta

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
from fourfirsts.bench import gen_names as names
from fourfirsts.bench.gen_base import REFERENCE_DAY, YEARS, at, row, stream

K = Meeting.Kind
THEMES = (
    ("习近平总书记关于民营经济发展的重要讲话", Topic.Kind.SPEECH, True),
    ("习近平总书记在中央全面深化改革委员会会议上的重要讲话", Topic.Kind.SPEECH, False),
    ("《求是》杂志发表习近平总书记重要文章", Topic.Kind.ARTICLE, False),
    ("习近平总书记关于安全生产的重要指示", Topic.Kind.INSTRUCTION, False),
    ("《中国共产党支部工作条例（试行）》", Topic.Kind.REGULATION, False),
    ("《中国共产党纪律处分条例》", Topic.Kind.REGULATION, False),
    ("中央经济工作会议精神", Topic.Kind.MEETING_SPIRIT, True),
    ("全国两会精神", Topic.Kind.MEETING_SPIRIT, False),
    ("习近平总书记考察湖南时的重要讲话", Topic.Kind.SPEECH, True),
    ("习近平总书记关于促进民营经济健康发展的重要论述", Topic.Kind.ARTICLE, True),
    ("省委全会精神", Topic.Kind.MEETING_SPIRIT, False),
    ("习近平总书记关于统一战线工作的重要指示", Topic.Kind.INSTRUCTION, False),
)
SOURCES = ("新华社", "人民日报", "求是网", "共产党员网", "湖南日报")
STUDY_FORMS = Meeting.StudyForm.values
PLACES = ("商会党员活动室", "会议室", "党建活动中心", "会员企业会议室")
ABSENCE = ("出差", "病假", "外出办事", "企业生产任务")
STARTS = (("09:00", 9, 0), ("14:30", 14, 30), ("19:30", 19, 30))
FT1 = set(Meeting.FT1_KINDS)
STUDIES = FT1 | {K.THEME_DAY, K.TOPIC_STUDY, K.GROUP_STUDY, K.GROUP_MEETING}


def emit(world, sink) -> None:
    topics = list(_topic_plan(world))
    sink.stream([Topic, TopicPush], _topics(world, topics))
    sink.stream([Meeting, MeetingTopic, Attendance], _meetings(world, topics))
    sink.stream([TrainingClass, ClassParticipant, Lecture], _classes(world))


# --- topics ------------------------------------------------------------------------------------------------


def _topic_plan(world):
    """(id, released, kind, parts, source, private) of one topic a month."""
    rng = stream(world.seed, "topics")
    n = 0
    for year in YEARS:
        for month in range(1, 13):
            released = date(year, month, rng.randint(1, 20))
            theme, kind, private = THEMES[(year * 12 + month) % len(THEMES)]
            source = rng.choice(SOURCES)
            if released > REFERENCE_DAY:
                continue
            n += 1
            yield n, released, kind, (theme, f"（{year}年{month}月）"), source, private


def _topics(world, topics):
    for pk, released, kind, parts, source, private in topics:
        yield row(Topic, id=pk, ref=f"T{pk:04d}", **names.keys(parts, source), kind=kind, released_on=released,
                  source=source, on_private_economy=private)
    for pk, released, *_rest in topics:
        for org in world.orgs:
            if org.established <= released:
                push = world.ids.next(TopicPush)
                yield row(TopicPush, id=push, ref=f"TP{push:07d}", topic_id=pk, party_org_id=org.id, pushed_on=released)


# --- meetings ------------------------------------------------------------------------------------------------


def _slots(rng, org, year: int, share: float, studies: int) -> list[tuple]:
    """(day, kind, leads) of one org's meetings in a year; `leads`: the secretary lectures."""
    def day(month, first=3, last=26):
        return date(year, month, rng.randint(first, last))

    out = []
    if org.parent is None:
        for month in range(1, 13):
            if rng.random() < share:
                out.append((day(month), K.COMMITTEE_MEETING, False))
            out.append((day(month), K.CENTRAL_GROUP, True))
        out.append((day(7), K.PARTY_LECTURE, True))
        return out
    seated = min((since for _p, _post, since in org.seats), default=None)
    grouped = min((est for _id, _n, est in org.groups), default=None)
    for month in range(1, 13):
        first = date(year, month, 1)
        if org.has_committee and seated and seated <= first and rng.random() < share:
            out.append((day(month), K.COMMITTEE_MEETING, False))
        if rng.random() < share:
            out.append((day(month), K.THEME_DAY, False))
        if grouped and grouped <= first and rng.random() < share:
            out.append((day(month), K.GROUP_MEETING, False))
        if month % 3 == 2:
            if rng.random() < share + 0.03:
                out.append((day(month), K.GENERAL_MEETING, False))
            if rng.random() < share:
                out.append((day(month), K.PARTY_LECTURE, month == 5))
    if rng.random() < share:
        out.append((day(12, 10, 28), K.LIFE_MEETING, False))
    if rng.random() < share:
        out.append((day(12, 10, 28), K.MEMBER_REVIEW, False))
    for _ in range(studies):
        if rng.random() < share:
            out.append((day(rng.randint(1, 12)), rng.choice((K.TOPIC_STUDY, K.GROUP_STUDY)), False))
    return out


def _meetings(world, topics):
    rng = stream(world.seed, "meetings")
    labels = {k: str(label) for k, label in K.choices}
    released = [(pk, day) for pk, day, *_rest in topics]
    base = world.counts["meeting_share"]
    for org in world.orgs:
        share = min(0.99, base * rng.uniform(0.85, 1.1))
        plan = []
        for year in YEARS:
            plan += _slots(rng, org, year, share, world.counts["study_sessions_per_org"])
        plan.sort(key=lambda m: (m[0], m[1]))
        pending = [t for t in released if t[1] >= org.established]
        for day, kind, leads in plan:
            if day <= org.established or day > REFERENCE_DAY:
                continue
            present = org.members_on(day)
            if not present:
                continue
            yield from _meeting(world, rng, org, day, kind, leads, present, pending, released, labels)


def _meeting(world, rng, org, day, kind, leads, members, pending, released, labels):
    first_topic, others, reason = None, [], ""
    ready = [t for t in pending[:3] if t[1] <= day]
    if kind in STUDIES and ready:
        first_topic = ready[0][0]
        others = [t[0] for t in ready[1:2]]
        for t in ready[:2]:
            pending.remove(t)
    elif kind in FT1:
        latest = [pk for pk, d in released if d <= day]
        if latest and rng.random() < 0.9:
            first_topic = latest[-1]
        else:
            reason = "本次为换届选举专题会议" if kind != K.CENTRAL_GROUP else "本次为专题调研汇报"
    if kind in FT1 and first_topic and rng.random() < 0.03:
        first_topic, others, reason = None, [], "本次为紧急工作部署会议"
    secretary = org.secretary if org.secretary in members else members[0]
    recorder = next((p for p in members if p is not secretary), secretary)
    start, hour, minute = rng.choice(STARTS)
    pk = world.ids.next(Meeting)
    roster = [(p, rng.random() < 0.88) for p in members]
    yield row(
        Meeting, id=pk, ref=f"MT{pk:07d}", party_org_id=org.id, kind=kind, title=f"{day.month}月{labels[kind]}", held_on=day,
        start_time=start, held_at=at(day, hour, minute), place=rng.choice(PLACES), chair_id=secretary.id,
        recorder_id=recorder.id, study_leader_id=secretary.id,
        agenda="1. 学习第一议题\n2. 研究近期工作" if first_topic else "研究近期工作",
        study_form=rng.choice(STUDY_FORMS) if first_topic else "", first_topic_id=first_topic, no_topic_reason=reason,
        expected_count=len(roster), present_count=sum(ok for _p, ok in roster))
    for topic in others:
        mt = world.ids.next(MeetingTopic)
        yield row(MeetingTopic, id=mt, ref=f"MX{mt:07d}", meeting_id=pk, topic_id=topic)
    for person, ok in roster:
        a = world.ids.next(Attendance)
        yield row(Attendance, id=a, ref=f"AT{a:08d}", meeting_id=pk, person_id=person.id, present=ok,
                  reason="" if ok else rng.choice(ABSENCE))


# --- classes and lectures ---------------------------------------------------------------------------------------------


def _classes(world):
    rng = stream(world.seed, "classes")
    modes = (TrainingClass.Mode.OFFLINE, TrainingClass.Mode.ONLINE, TrainingClass.Mode.HYBRID)
    for city in world.cities:
        organiser = f"{city.name}工商联商协会党委"
        members = [p for o in world.orgs if o.city is city for p, _s, _u in o.members]
        for year in YEARS:
            for i, month in enumerate((4, 7, 10)):
                start = date(year, month, 10 + i)
                if start > REFERENCE_DAY:
                    continue
                pk = world.ids.next(TrainingClass)
                parts = (f"{year}年", city.name, "商协会党员培训班", f"（第{i + 1}期）")
                yield row(TrainingClass, id=pk, ref=f"K{pk:05d}", **names.keys(parts, organiser), mode=modes[i],
                          starts_on=start, ends_on=start + timedelta(days=2), hours=16, organiser=organiser)
                for person in rng.sample(members, min(len(members), rng.randint(12, 30))):
                    cp = world.ids.next(ClassParticipant)
                    yield row(ClassParticipant, id=cp, ref=f"KP{cp:06d}", training_class_id=pk, person_id=person.id,
                              completed=rng.random() < 0.9)
            for title, month in (("民营经济政策解读", 6), ("学习贯彻党的创新理论", 11)):
                held = date(year, month, rng.randint(8, 22))
                if held <= REFERENCE_DAY:
                    pk = world.ids.next(Lecture)
                    yield row(Lecture, id=pk, ref=f"L{pk:05d}", title=f"{year}年{title}", speaker="市委党校 李教授",
                              held_on=held, place=f"{city.name}工商联报告厅", audience=rng.randint(150, 300))
