"""Floors: for each figure F01–F34, the plainest SQL that computes the same
number for the whole federation (the system scope), written from
domain/figures.md and rules.md without the figure modules or their helpers.

The report tests compare every figure with its floor, and `bench run` times
the two side by side. `floor_Fxx(year, today)` returns the figure's `value`
(an int, a Decimal, or for a rate a Decimal percentage with one decimal,
None when nothing is counted), except:

- F07: {"value": appeals assigned on site, "raisers": distinct raisers};
- F15: {"value": applications this year, "previous": last year's};
- F16: {"value": associations, "names": their names in the report's order}.

`value_of(result)` gives the plain value of either shape.

Rules of the file: raw SQL through `connection.cursor()` (SELECT, COUNT,
SUM, JOIN, EXISTS), the same on SQLite and PostgreSQL: no vendor functions,
dates, datetimes and booleans passed as parameters, table names read from
`Model._meta.db_table`, codes written out as stored. Settings in force on a
day (the 三会一课 frequencies, the instructors' contact period) are inputs,
read through `core.rules`. Where plain SQL cannot
say it portably, rows fetched with plain SQL are finished in Python, each
place saying so: the Asia/Shanghai day of a timestamp, the year of a date,
medians, working days (core.workdays), JSON event data, an appeal's state
replayed from its events, and the instructors' weekly windows.
"""

import calendar
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils.dateparse import parse_date, parse_datetime

from fourfirsts.agenda.models import Lecture, Meeting, MeetingTopic, Topic, TopicPush, TrainingClass
from fourfirsts.core import rules, workdays
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.periods import Period, local_midnight
from fourfirsts.governance.models import Charter, CharterClause, Honour, InstructorLog
from fourfirsts.membership.models import Development, StepRecord
from fourfirsts.registry.models import (
    Association,
    AssociationStatus,
    CommitteeSeat,
    Coverage,
    EnterpriseMembership,
    InstructorAssignment,
    PartyGroup,
    PartyOrg,
    PoliticalStatus,
    PublicOffice,
)
from fourfirsts.service.models import Appeal, Visit
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    Participation,
    Payment,
    Project,
    WeakYears,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CENT = Decimal("0.01")
TENTH = Decimal("0.1")

# Codes as the tables store them.
STUDY_KINDS = ("central_group", "topic_study", "group_study")  # F01
FT1_KINDS = ("committee_meeting", "general_meeting", "central_group")  # F24
PARTY = ("01", "02")  # 中共党员, 中共预备党员
CIVILITY, BEND_DOWN = "civility_persuasion", "bend_down"  # activity kinds of F08, F09
INDUSTRY = "industry"  # project tag 产业
EDUCATION, HARDSHIP = "education_aid", "hardship_relief"  # donation kinds of F13, F14
RECOGNISED = "recognised"
BENCHMARK, FOUR_GOOD = "benchmark", "four_good"
NATIONAL, PROVINCIAL, CITY = "national", "provincial", "city"
ACTIVE = "active"  # association status 正常
REQUIRED_CLAUSES = ("leadership", "party_org", "support", "bodies")  # CH-1
DECLINED = "declined"
RUNNING = ("assigned", "signed", "handling", "extension_requested")  # the department holds it
RATING_ACTIONS = ("rate", "redo", "rate_unsatisfied")
RATED = ("satisfied", "fairly_satisfied", "unsatisfied")
GOOD = ("satisfied", "fairly_satisfied")
CLOCK_ACTIONS = ("assign", "assign_on_site", "reassign", "approve_extension")
CONFIRMED = "confirmed"
FULL_MEMBER_STEP = "5.24"  # 正式党员: the last step of development
BRANCH_KINDS = ("branch", "joint_branch")
MEETING_SLOTS = ("general_meeting", "committee_meeting", "group_meeting", "party_lecture", "theme_day",
                 "life_meeting", "member_review")  # rules.md §1, in order
SECRETARY = "书记"  # the committee seat of the org's secretary
CONTACT, VISIT = "contact", "visit"  # instructor log kinds


def t(model) -> str:
    """The model's table, quoted."""
    return connection.ops.quote_name(model._meta.db_table)


def _param(value):
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def rows(sql: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, [_param(p) for p in params])
        return cursor.fetchall()


def one(sql: str, params=()):
    return rows(sql, params)[0][0]


def marks(values) -> str:
    return ", ".join(["%s"] * len(values))


def day(value) -> date | None:
    """A date column (SQLite gives text for an aggregate of one)."""
    return parse_date(value) if isinstance(value, str) else value


def moment(value) -> datetime | None:
    """An aware datetime (SQLite keeps UTC without a zone)."""
    if isinstance(value, str):
        value = parse_datetime(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def local_day(value) -> date:
    return moment(value).astimezone(SHANGHAI).date()


def money(value, places=CENT) -> Decimal:
    """A SUM of a decimal column: SQLite sums in floats, so round to the column's places."""
    return Decimal(0) if value is None else Decimal(str(value)).quantize(places, rounding=ROUND_HALF_UP)


def percent(numerator: int, denominator: int) -> Decimal | None:
    """A rate's value: a percentage with one decimal, half up; None over nothing."""
    if not denominator:
        return None
    with localcontext(prec=60):
        ratio = Decimal(numerator) * 100 / Decimal(denominator)
    return ratio.quantize(TENTH, rounding=ROUND_HALF_UP)


def median(values) -> Decimal:
    """Finished in Python: the middle value (mean of the two middle ones), 0 for none."""
    values = sorted(values)
    if not values:
        return Decimal(0)
    mid = len(values) // 2
    if len(values) % 2:
        return Decimal(values[mid])
    return (Decimal(values[mid - 1]) + Decimal(values[mid])) / 2


def value_of(result):
    """A floor's plain value, whichever shape it returns."""
    return result["value"] if isinstance(result, dict) else result


def _year(year, today) -> Period:
    return Period.of(year, today)


def _active(alias: str, on: str) -> str:
    """SQL: the dated row `alias` (since/until, inclusive) is in force on `on`."""
    return f"{alias}.since <= {on} AND ({alias}.until IS NULL OR {alias}.until >= {on})"


# --- 第一议题: F01–F03 -------------------------------------------------------------------------


def floor_F01(year, today):
    """Study meetings held on a local day of the year (held_on is the local day)."""
    p = _year(year, today)
    return one(f"SELECT COUNT(*) FROM {t(Meeting)} WHERE kind IN ({marks(STUDY_KINDS)})"
               " AND held_on >= %s AND held_on <= %s", [*STUDY_KINDS, p.first_day, p.last_day])


def floor_F02(year, today):
    p = _year(year, today)
    return one(f"SELECT COUNT(*) FROM {t(TrainingClass)} WHERE starts_on >= %s AND starts_on <= %s",
               [p.first_day, p.last_day])


def floor_F03(year, today):
    p = _year(year, today)
    return one(f"SELECT COUNT(*) FROM {t(Lecture)} WHERE held_on >= %s AND held_on <= %s",
               [p.first_day, p.last_day])


# --- 第一要务: F04–F07 -------------------------------------------------------------------------


def floor_F04(year, today):
    """Distinct visitors who were party members on the visit's date, visiting an
    enterprise that was a member of an association that date."""
    p = _year(year, today)
    return one(
        f"SELECT COUNT(DISTINCT v.visitor_id) FROM {t(Visit)} v"
        " WHERE v.visited_on >= %s AND v.visited_on <= %s"
        f" AND EXISTS (SELECT 1 FROM {t(PoliticalStatus)} s WHERE s.person_id = v.visitor_id"
        f"  AND s.status IN ({marks(PARTY)}) AND {_active('s', 'v.visited_on')})"
        f" AND EXISTS (SELECT 1 FROM {t(EnterpriseMembership)} m WHERE m.enterprise_id = v.enterprise_id"
        f"  AND {_active('m', 'v.visited_on')})",
        [p.first_day, p.last_day, *PARTY])


def floor_F05(year, today):
    p = _year(year, today)
    return one(f"SELECT COUNT(*) FROM {t(Visit)} WHERE visited_on >= %s AND visited_on <= %s",
               [p.first_day, p.last_day])


def _collected(p: Period) -> list[tuple]:
    """F06's appeals as (raised_by, assigned on site by a city leader that day):
    collected in the year from an enterprise that was a member of an association
    on the local collection day. SQL fetches the year's appeals and memberships;
    the local day of the collection time is taken in Python (no portable SQL
    for a time zone)."""
    in_year = f"FROM {t(Appeal)} a WHERE a.collected_at >= %s AND a.collected_at < %s"
    appeals = rows(
        "SELECT a.enterprise_id, a.collected_at, a.raised_by_id,"
        " CASE WHEN a.assigned_on_site_on IS NOT NULL AND a.assigned_by_id IS NOT NULL AND EXISTS ("
        f"  SELECT 1 FROM {t(PublicOffice)} o WHERE o.person_id = a.assigned_by_id AND o.is_city_leader = %s"
        f"  AND {_active('o', 'a.assigned_on_site_on')}) THEN 1 ELSE 0 END " + in_year,
        [True, p.start, p.end])
    spans = defaultdict(list)
    for enterprise_id, since, until in rows(
            f"SELECT m.enterprise_id, m.since, m.until FROM {t(EnterpriseMembership)} m"
            f" WHERE m.enterprise_id IN (SELECT a.enterprise_id {in_year})", [p.start, p.end]):
        spans[enterprise_id].append((day(since), day(until)))
    out = []
    for enterprise_id, collected_at, raised_by, on_site in appeals:
        d = local_day(collected_at)
        if any(since <= d and (until is None or until >= d) for since, until in spans[enterprise_id]):
            out.append((raised_by, bool(on_site)))
    return out


def floor_F06(year, today):
    return len(_collected(_year(year, today)))


def floor_F07(year, today):
    """Of F06, those assigned on site by someone holding a city-leader office
    that day; and the distinct people who raised them."""
    on_site = [raised_by for raised_by, leader in _collected(_year(year, today)) if leader]
    return {"value": len(on_site), "raisers": len({r for r in on_site if r is not None})}


# --- 第一身份: F08–F15 -------------------------------------------------------------------------


def _activities(code, p):
    return one(f"SELECT COUNT(*) FROM {t(Activity)} a JOIN {t(ActivityKind)} k ON k.id = a.kind_id"
               " WHERE k.ref = %s AND a.held_on >= %s AND a.held_on <= %s", [code, p.first_day, p.last_day])


def floor_F08(year, today):
    return _activities(CIVILITY, _year(year, today))


def floor_F09(year, today):
    return _activities(BEND_DOWN, _year(year, today))


def floor_F10(year, today):
    """Villages paired by 31 Dec that were weak in the year of their first
    pairing. SQL finds each village's first pairing; its year is matched with
    the weak years in Python (no portable SQL for a date's year)."""
    p = _year(year, today)
    firsts = rows(f"SELECT village_id, MIN(paired_on) FROM {t(Pairing)} GROUP BY village_id"
                  " HAVING MIN(paired_on) <= %s", [p.last_day])
    weak = defaultdict(list)
    for village_id, since, until in rows(f"SELECT village_id, since_year, until_year FROM {t(WeakYears)}"):
        weak[village_id].append((since, until))
    return sum(
        any(since <= day(first).year and (until is None or day(first).year <= until) for since, until in weak[v])
        for v, first in firsts)


def floor_F11(year, today):
    p = _year(year, today)
    return one(f"SELECT COUNT(*) FROM {t(Project)} WHERE tag = %s AND starts_on <= %s", [INDUSTRY, p.last_day])


def floor_F12(year, today):
    """Money paid in to any project by 31 Dec (goods are kept on the project, not here)."""
    p = _year(year, today)
    return money(one(f"SELECT SUM(amount) FROM {t(Payment)} WHERE paid_on <= %s", [p.last_day]))


def _donated(kind, p):
    return money(one(f"SELECT SUM(amount) FROM {t(Donation)} WHERE kind = %s AND donated_on <= %s",
                     [kind, p.last_day]))


def floor_F13(year, today):
    return _donated(EDUCATION, _year(year, today))


def floor_F14(year, today):
    return _donated(HARDSHIP, _year(year, today))


def _applications(p):
    return one(f"SELECT COUNT(*) FROM {t(Development)} WHERE is_entrepreneur = %s"
               " AND applied_on >= %s AND applied_on <= %s", [True, p.first_day, p.last_day])


def floor_F15(year, today):
    """Applications (step 1.1, the development's applied_on) by people flagged
    as private entrepreneurs when they applied: this year and last."""
    p = _year(year, today)
    return {"value": _applications(p), "previous": _applications(p.previous)}


# --- 第一责任: F16–F20 -------------------------------------------------------------------------


def floor_F16(year, today):
    """Associations whose first day under a party org falls in the year. A
    coverage covers from max(its since, the org's establishment), if that day
    is within the coverage and before the org was dissolved. Names by that day,
    then by pinyin key."""
    p = _year(year, today)
    start = "CASE WHEN c.since > o.established_on THEN c.since ELSE o.established_on END"
    found = rows(
        f"SELECT a.id, a.name, a.sort_key, MIN({start}) AS first_day"
        f" FROM {t(Coverage)} c JOIN {t(PartyOrg)} o ON o.id = c.party_org_id"
        f" JOIN {t(Association)} a ON a.id = c.association_id"
        " WHERE (c.until IS NULL OR (c.until >= c.since AND c.until >= o.established_on))"
        " AND (o.dissolved_on IS NULL OR (c.since < o.dissolved_on AND o.established_on < o.dissolved_on))"
        " GROUP BY a.id, a.name, a.sort_key"
        f" HAVING MIN({start}) >= %s AND MIN({start}) <= %s"
        " ORDER BY first_day, a.sort_key, a.id", [p.first_day, p.last_day])
    return {"value": len(found), "names": [name for _id, name, _key, _first in found]}


def floor_F17(year, today):
    p = _year(year, today)
    return one(f"SELECT COUNT(DISTINCT person_id) FROM {t(InstructorAssignment)}"
               " WHERE since <= %s AND (until IS NULL OR until >= %s)", [p.last_day, p.first_day])


def _honours(holder, kind, levels, p):
    """Distinct holders of a recognised honour valid on 31 Dec (no end date:
    valid until revoked)."""
    d = p.last_day
    return one(
        f"SELECT COUNT(DISTINCT {holder}) FROM {t(Honour)} WHERE kind = %s AND level IN ({marks(levels)})"
        " AND stage = %s AND recognised_on <= %s AND (valid_until IS NULL OR valid_until >= %s)"
        " AND (revoked_on IS NULL OR revoked_on > %s)", [kind, *levels, RECOGNISED, d, d, d])


def floor_F18(year, today):
    return _honours("party_org_id", BENCHMARK, (PROVINCIAL, CITY), _year(year, today))


def floor_F19(year, today):
    return _honours("association_id", FOUR_GOOD, (NATIONAL,), _year(year, today))


def floor_F20(year, today):
    return _honours("association_id", FOUR_GOOD, (PROVINCIAL,), _year(year, today))


# --- rates on the report date: F21–F23 ----------------------------------------------------------


def _in_operation(d):
    """SQL and params: association `a` is in operation on d (its latest status by then is 正常)."""
    status = t(AssociationStatus)
    return (f"EXISTS (SELECT 1 FROM {status} s WHERE s.association_id = a.id AND s.status = %s AND s.since <= %s"
            f" AND NOT EXISTS (SELECT 1 FROM {status} s2 WHERE s2.association_id = a.id"
            "  AND s2.since <= %s AND s2.since > s.since))", [ACTIVE, d, d])


def _org_covered(d):
    return (f"EXISTS (SELECT 1 FROM {t(Coverage)} c JOIN {t(PartyOrg)} o ON o.id = c.party_org_id"
            f" WHERE c.association_id = a.id AND {_active('c', '%s')}"
            " AND o.established_on <= %s AND (o.dissolved_on IS NULL OR o.dissolved_on > %s))", [d, d, d, d])


def _coverage_rate(year, today, work: bool):
    d = _year(year, today).report_date
    in_op, in_op_params = _in_operation(d)
    covered, covered_params = _org_covered(d)
    if work:
        covered = (f"({covered} OR EXISTS (SELECT 1 FROM {t(InstructorAssignment)} i"
                   f" WHERE i.association_id = a.id AND {_active('i', '%s')}))")
        covered_params = [*covered_params, d, d]
    total, done = rows(f"SELECT COUNT(*), SUM(CASE WHEN {covered} THEN 1 ELSE 0 END)"
                       f" FROM {t(Association)} a WHERE {in_op}", [*covered_params, *in_op_params])[0]
    return percent(done or 0, total)


def floor_F21(year, today):
    """Associations in operation on the report date covered by a party org existing then."""
    return _coverage_rate(year, today, work=False)


def floor_F22(year, today):
    """… covered by such an org or by an instructor assignment in force then."""
    return _coverage_rate(year, today, work=True)


def floor_F23(year, today):
    """Associations in operation whose charter in force (the latest approved by
    the report date) has every required clause ticked with evidence."""
    d = _year(year, today).report_date
    in_op, in_op_params = _in_operation(d)
    complete = (
        f"EXISTS (SELECT 1 FROM {t(Charter)} ch WHERE ch.association_id = a.id AND ch.approved_on <= %s"
        f" AND NOT EXISTS (SELECT 1 FROM {t(Charter)} ch2 WHERE ch2.association_id = a.id"
        "  AND ch2.approved_on <= %s AND (ch2.approved_on > ch.approved_on"
        "  OR (ch2.approved_on = ch.approved_on AND ch2.id > ch.id)))"
        f" AND (SELECT COUNT(DISTINCT cc.clause) FROM {t(CharterClause)} cc WHERE cc.charter_id = ch.id"
        f"  AND cc.clause IN ({marks(REQUIRED_CLAUSES)}) AND cc.evidence <> %s) = %s)")
    total, done = rows(f"SELECT COUNT(*), SUM(CASE WHEN {complete} THEN 1 ELSE 0 END)"
                       f" FROM {t(Association)} a WHERE {in_op}",
                       [d, d, *REQUIRED_CLAUSES, "", len(REQUIRED_CLAUSES), *in_op_params])[0]
    return percent(done or 0, total)


# --- agenda rates: F24–F26 -----------------------------------------------------------------------


def floor_F24(year, today):
    p = _year(year, today)
    total, done = rows(f"SELECT COUNT(*), COUNT(first_topic_id) FROM {t(Meeting)}"
                       f" WHERE kind IN ({marks(FT1_KINDS)}) AND held_on >= %s AND held_on <= %s",
                       [*FT1_KINDS, p.first_day, p.last_day])[0]
    return percent(done, total)


def floor_F25(year, today):
    """Median calendar days from a topic's release (in the year) to each pushed
    org's first meeting by the report date that studied it, first or further
    topic; pushes not yet studied are left out. SQL finds the first meeting's
    day; the days between and the median are taken in Python."""
    p = _year(year, today)
    found = rows(
        f"SELECT tp.released_on, (SELECT MIN(m.held_on) FROM {t(Meeting)} m WHERE m.party_org_id = p.party_org_id"
        "  AND m.held_on <= %s AND (m.first_topic_id = p.topic_id OR EXISTS ("
        f"   SELECT 1 FROM {t(MeetingTopic)} mt WHERE mt.meeting_id = m.id AND mt.topic_id = p.topic_id)))"
        f" FROM {t(TopicPush)} p JOIN {t(Topic)} tp ON tp.id = p.topic_id"
        " WHERE tp.released_on >= %s AND tp.released_on <= %s",
        [p.report_date, p.first_day, p.last_day])
    return median((day(studied) - day(released)).days for released, studied in found if studied is not None)


def _months(kind, on) -> int:
    """Months per required slot of a kind, as set on the year's first day (a
    value that does not divide the year falls back to the default)."""
    key = f"agenda.months.{kind}"
    months = int(rules.value(key, on=on))
    return months if months in (0, 1, 2, 3, 4, 6, 12) else int(rules.get_rule(key).default)


def _slot_periods(year, months):
    if months <= 0:
        return []
    return [(date(year, m, 1), date(year, m + months - 1, calendar.monthrange(year, m + months - 1)[1]))
            for m in range(1, 13, months)]


def floor_F26(year, today):
    """三会一课 (rules.md §1): for each kind and period of the year that has
    ended by the report date, the orgs required to meet (existing from the
    period's first day to its last; conditions judged on the first day) and
    those that met, counted in SQL; plus one yearly slot per org for the
    secretary's lectures."""
    p = _year(year, today)
    jan1, dec31 = p.first_day, p.last_day
    met = required = 0
    for kind in MEETING_SLOTS:
        for first, last in _slot_periods(year, _months(kind, jan1)):
            if last > p.report_date:
                continue
            if kind == "committee_meeting":
                # A branch with a committee (and, where seats are recorded, one held
                # that day); a general branch or party committee always.
                who = (f"(o.kind NOT IN ({marks(BRANCH_KINDS)}) OR (o.has_committee = %s AND ("
                       f" NOT EXISTS (SELECT 1 FROM {t(CommitteeSeat)} s WHERE s.party_org_id = o.id)"
                       f" OR EXISTS (SELECT 1 FROM {t(CommitteeSeat)} s WHERE s.party_org_id = o.id"
                       f"  AND {_active('s', '%s')}))))")
                who_params = [*BRANCH_KINDS, True, first, first]
            else:
                who = f"o.kind IN ({marks(BRANCH_KINDS)})"
                who_params = [*BRANCH_KINDS]
                if kind == "group_meeting":
                    who += (f" AND EXISTS (SELECT 1 FROM {t(PartyGroup)} g WHERE g.party_org_id = o.id"
                            " AND g.established_on <= %s AND (g.dissolved_on IS NULL OR g.dissolved_on > %s))")
                    who_params += [first, first]
            n, done = rows(
                f"SELECT COUNT(*), SUM(CASE WHEN EXISTS (SELECT 1 FROM {t(Meeting)} m WHERE m.party_org_id = o.id"
                "  AND m.kind = %s AND m.held_on >= %s AND m.held_on <= %s) THEN 1 ELSE 0 END)"
                f" FROM {t(PartyOrg)} o WHERE o.established_on <= %s AND (o.dissolved_on IS NULL OR o.dissolved_on > %s)"
                f" AND {who}",
                [kind, first, last, first, last, *who_params])[0]
            required += n
            met += done or 0
    times = int(rules.value("agenda.secretary_lectures", on=jan1))
    if times and dec31 <= p.report_date:
        # Days the org's secretary (its secretary, or whoever held its 书记 seat
        # that day) gave a party lecture.
        lectures = (
            f"(SELECT COUNT(DISTINCT m.held_on) FROM {t(Meeting)} m WHERE m.party_org_id = o.id"
            " AND m.kind = %s AND m.held_on >= %s AND m.held_on <= %s AND (m.study_leader_id = o.secretary_id"
            f" OR EXISTS (SELECT 1 FROM {t(CommitteeSeat)} s WHERE s.party_org_id = o.id"
            f"  AND s.person_id = m.study_leader_id AND s.post = %s AND {_active('s', 'm.held_on')})))")
        n, done = rows(
            f"SELECT COUNT(*), SUM(CASE WHEN {lectures} >= %s THEN 1 ELSE 0 END) FROM {t(PartyOrg)} o"
            " WHERE o.established_on <= %s AND (o.dissolved_on IS NULL OR o.dissolved_on > %s)",
            ["party_lecture", jan1, dec31, SECRETARY, times, jan1, dec31])[0]
        required += n
        met += done or 0
    return percent(met, required)


# --- appeal KPIs: F27–F31 ------------------------------------------------------------------------


def _report_end(p: Period) -> datetime:
    return local_midnight(p.report_date + timedelta(days=1))


def _appeal_events() -> tuple[str, list]:
    """SQL joining `e` (workflow events) to the appeals' content type."""
    return (f"{t(WorkflowEvent)} e JOIN {t(ContentType)} ct ON ct.id = e.content_type_id"
            " AND ct.app_label = %s AND ct.model = %s", [Appeal._meta.app_label, Appeal._meta.model_name])


def floor_F27(year, today):
    """Appeals first assigned in the year with a reply by the end of the report
    date: the stored reply time, or any reply event (a redo overwrites the time)."""
    p = _year(year, today)
    end = _report_end(p)
    events, event_params = _appeal_events()
    total, done = rows(
        "SELECT COUNT(*), SUM(CASE WHEN (a.replied_at IS NOT NULL AND a.replied_at < %s)"
        f" OR EXISTS (SELECT 1 FROM {events} WHERE e.object_id = a.id AND e.action = %s AND e.at < %s)"
        f" THEN 1 ELSE 0 END) FROM {t(Appeal)} a WHERE a.first_assigned_at >= %s AND a.first_assigned_at < %s",
        [end, *event_params, "reply", end, p.start, p.end])[0]
    return percent(done or 0, total)


def floor_F28(year, today):
    """Appeals collected in the year and not declined, closed by the end of the report date."""
    p = _year(year, today)
    total, done = rows(
        "SELECT COUNT(*), SUM(CASE WHEN closed_at IS NOT NULL AND closed_at < %s THEN 1 ELSE 0 END)"
        f" FROM {t(Appeal)} WHERE collected_at >= %s AND collected_at < %s AND state <> %s",
        [_report_end(p), p.start, p.end, DECLINED])[0]
    return percent(done or 0, total)


def _json(value) -> dict:
    if isinstance(value, str):
        value = json.loads(value)
    return value or {}


def floor_F29(year, today):
    """Ratings given in the year: each rating event (its rating is in the
    event's JSON data, read in Python), and the stored rating of an appeal
    with no rating event at all (imported)."""
    p = _year(year, today)
    events, event_params = _appeal_events()
    given = [_json(data).get("rating", "") for (data,) in rows(
        f"SELECT e.data FROM {events} JOIN {t(Appeal)} a ON a.id = e.object_id"
        f" WHERE e.action IN ({marks(RATING_ACTIONS)}) AND e.at >= %s AND e.at < %s",
        [*event_params, *RATING_ACTIONS, p.start, p.end])]
    given += [r for (r,) in rows(
        f"SELECT a.rating FROM {t(Appeal)} a WHERE a.rating IN ({marks(RATED)})"
        " AND a.rated_at >= %s AND a.rated_at < %s"
        f" AND NOT EXISTS (SELECT 1 FROM {events} WHERE e.object_id = a.id"
        f"  AND e.action IN ({marks(RATING_ACTIONS)}))",
        [*RATED, p.start, p.end, *event_params, *RATING_ACTIONS])]
    given = [r for r in given if r in RATED]
    return percent(sum(r in GOOD for r in given), len(given))


def floor_F30(year, today):
    """Median working days to close, over appeals closed in the year: the days
    stored on closing, else counted in Python with core.workdays from the
    local day of the first assignment to the local closing day."""
    p = _year(year, today)
    found = rows(f"SELECT close_days, first_assigned_at, closed_at FROM {t(Appeal)}"
                 " WHERE closed_at >= %s AND closed_at < %s"
                 " AND (close_days IS NOT NULL OR first_assigned_at IS NOT NULL)", [p.start, p.end])
    return median(n if n is not None else workdays.workdays_elapsed(local_day(first), local_day(closed))
                  for n, first, closed in found)


def floor_F31(year, today):
    """Appeals a department still held, past due, on the report date D. SQL
    fetches the appeals assigned and not closed by the end of D (not
    declined) and their events; the state and due date on D are replayed in
    Python: the last event's state by then (none: 已答复 if replied by then,
    else 已交办), and the due date of the last clock event by then, the stored
    one when no clock event came later."""
    p = _year(year, today)
    start, end = local_midnight(p.report_date), _report_end(p)
    which = (f"FROM {t(Appeal)} a WHERE a.first_assigned_at < %s AND (a.closed_at IS NULL OR a.closed_at >= %s)"
             " AND a.state <> %s")
    which_params = [end, end, DECLINED]
    appeals = rows(f"SELECT a.id, a.replied_at, a.due_at {which}", which_params)
    events, event_params = _appeal_events()
    history = defaultdict(list)
    for object_id, action, state, at, data in rows(
            f"SELECT e.object_id, e.action, e.new_state, e.at, e.data FROM {events}"
            f" WHERE e.object_id IN (SELECT a.id {which}) ORDER BY e.at, e.id", [*event_params, *which_params]):
        history[object_id].append((action, state, moment(at), data))
    late = 0
    for pk, replied_at, stored_due in appeals:
        stored_due = moment(stored_due)
        before = [e for e in history[pk] if e[2] < end]
        if not before:
            state = "replied" if replied_at is not None and moment(replied_at) < end else "assigned"
            due = stored_due
        else:
            state = before[-1][1]
            clocks = [e for e in before if e[0] in CLOCK_ACTIONS]
            later = any(e[2] >= end and e[0] in CLOCK_ACTIONS for e in history[pk])
            due = stored_due
            if clocks and later:
                set_then = _json(clocks[-1][3]).get("due_at")
                due = datetime.fromisoformat(set_then) if set_then else stored_due
        late += state in RUNNING and due is not None and due < start
    return late


# --- F32–F34 -------------------------------------------------------------------------------------


def floor_F32(year, today):
    p = _year(year, today)
    return money(one(
        f"SELECT SUM(pa.hours) FROM {t(Participation)} pa JOIN {t(Activity)} a ON a.id = pa.activity_id"
        " WHERE pa.status = %s AND a.held_on >= %s AND a.held_on <= %s",
        [CONFIRMED, p.first_day, p.last_day]), TENTH)


def floor_F33(year, today):
    """People in development on the report date: applied by then and not yet
    full members (step 5.24) by then."""
    d = _year(year, today).report_date
    return one(f"SELECT COUNT(*) FROM {t(Development)} dv WHERE dv.applied_on <= %s"
               f" AND NOT EXISTS (SELECT 1 FROM {t(StepRecord)} s WHERE s.development_id = dv.id"
               "  AND s.code = %s AND s.done_on <= %s)", [d, FULL_MEMBER_STEP, d])


def floor_F34(year, today):
    """INS-1 from 1 Jan to the report date: per assignment, its active days in
    that span cut into whole windows of `governance.contact_days` days (each
    met by any log in it) and whole calendar months (each met by a visit).
    SQL fetches the assignments and logs; the windows are counted in Python."""
    p = _year(year, today)
    first, last = p.first_day, p.report_date
    days = int(rules.value("governance.contact_days", on=last))
    logs = defaultdict(list)
    for assignment_id, kind, held_on in rows(
            f"SELECT assignment_id, kind, held_on FROM {t(InstructorLog)} WHERE held_on >= %s AND held_on <= %s",
            [first, last]):
        logs[assignment_id].append((kind, day(held_on)))
    met = required = 0
    for pk, since, until in rows(
            f"SELECT id, since, until FROM {t(InstructorAssignment)} WHERE since <= %s"
            " AND (until IS NULL OR until >= %s)", [last, first]):
        lo, hi = max(first, day(since)), min(last, day(until) or last)
        spans = []  # (first day, last day, the log kinds that meet it)
        w = lo
        while w + timedelta(days=days - 1) <= hi:
            spans.append((w, w + timedelta(days=days - 1), (CONTACT, VISIT)))
            w += timedelta(days=days)
        y, m = lo.year, lo.month
        while date(y, m, 1) <= hi:
            month = (date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1]), (VISIT,))
            if lo <= month[0] and month[1] <= hi:
                spans.append(month)
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        required += len(spans)
        met += sum(any(a <= d <= b and k in kinds for k, d in logs[pk]) for a, b, kinds in spans)
    return percent(met, required)


# "F01" → floor_F01, for every floor above.
FLOORS = {name[len("floor_"):]: fn for name, fn in sorted(globals().items()) if name.startswith("floor_F")}
