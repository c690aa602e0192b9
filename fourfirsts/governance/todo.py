"""第一责任's to-do sources, for the committee (federation-wide), instructors
(their associations) and secretaries (their orgs), each through
`visible_to(user)`:

- party orgs whose term ends within `governance.term_warn_months` (ORG-3's
  `term_ending`, warning) or has ended (`term_expired`, danger);
- honours expiring within `governance.honour_warn_days` (warning);
- establishments whose next EST-1 step is overdue (danger) or due within
  `EST_SOON_WORKDAYS` working days (warning);
- instructors' terms ending within `governance.instructor_remind_days` (info).

Each links to its list filtered to exactly those records; the lists use the
functions below, so the count and the list never disagree."""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from fourfirsts.core import todo, workdays
from fourfirsts.core.access import Role
from fourfirsts.core.periods import add_months
from fourfirsts.governance import rules, services
from fourfirsts.governance.models import Establishment, Honour
from fourfirsts.registry.models import InstructorAssignment, PartyOrg, active_on

ROLES = (Role.COMMITTEE, Role.INSTRUCTOR, Role.SECRETARY)
EST_SOON_WORKDAYS = 5
OVERDUE, SOON = "overdue", "soon"


def _url(name: str, **query) -> str:
    return reverse(name) + "?" + "&".join(f"{k}={v}" for k, v in query.items())


# --- party-org terms (ORG-3) ---------------------------------------------------------------------


def org_terms(user, today: date) -> list[todo.Todo]:
    """The same conditions as `orgchecks.check`: ended before today, or ending by today + N months."""
    warn_by = add_months(today, int(rules.value(rules.TERM_WARN_MONTHS, on=today)))
    counts = PartyOrg.objects.visible_to(user).existing_on(today).aggregate(
        expired=Count("id", filter=Q(term_end__lt=today)),
        ending=Count("id", filter=Q(term_end__gte=today, term_end__lte=warn_by)))
    return [
        todo.Todo(_("党组织任期已届满未换届"), counts["expired"], _url("governance:org_checks", finding="term_expired"),
                  "danger"),
        todo.Todo(_("党组织任期即将届满"), counts["ending"], _url("governance:org_checks", finding="term_ending"),
                  "warning"),
    ]


# --- honours ---------------------------------------------------------------------------------------


def honours(user, today: date) -> list[todo.Todo]:
    n = services.honours_expiring(Honour.objects.visible_to(user), today).count()
    return [todo.Todo(_("荣誉即将到期"), n, _url("governance:honour_list", expiring=1), "warning")]


# --- establishment (EST-1) ----------------------------------------------------------------------------


def establishments_due(establishments, today: date) -> dict[str, set[int]]:
    """Ids of the establishments whose next open step is overdue, or due within
    EST_SOON_WORKDAYS working days (the next open step has the earliest
    deadline of the open ones). A fixed number of queries."""
    soon_by = workdays.add_workdays(today, EST_SOON_WORKDAYS)
    read = rules.reader(rules.FIRST_DAYS, rules.STEP_DAYS)
    out: dict[str, set[int]] = {OVERDUE: set(), SOON: set()}
    for est in establishments.prefetch_related("steps"):
        nxt = next((s for s in services.step_states(est, est.steps.all(), read) if s.done is None), None)
        if nxt is None:
            continue
        if nxt.overdue(today):
            out[OVERDUE].add(est.pk)
        elif nxt.due_on <= soon_by:
            out[SOON].add(est.pk)
    return out


def establishment_steps(user, today: date) -> list[todo.Todo]:
    ids = establishments_due(Establishment.objects.visible_to(user), today)
    return [
        todo.Todo(_("同步建立步骤已超期"), len(ids[OVERDUE]), _url("governance:establishment_list", due=OVERDUE),
                  "danger"),
        todo.Todo(_("同步建立步骤%(n)s个工作日内到期") % {"n": EST_SOON_WORKDAYS}, len(ids[SOON]),
                  _url("governance:establishment_list", due=SOON), "warning"),
    ]


# --- instructors' terms (INS-1) --------------------------------------------------------------------------


def instructor_terms_ending(assignments, today: date) -> list[int]:
    """Ids of the assignments active today whose term ends within the reminder
    window, as `services.remind_terms` finds them."""
    window = timedelta(days=int(rules.value(rules.TERM_REMIND_DAYS, on=today)))
    read = rules.reader(rules.INSTRUCTOR_TERM_YEARS)
    return [a.pk for a in assignments.filter(active_on(today)).only("id", "since", "until")
            if today <= services.term_end(a, read) <= today + window]


def instructor_terms(user, today: date) -> list[todo.Todo]:
    n = len(instructor_terms_ending(InstructorAssignment.objects.visible_to(user), today))
    return [todo.Todo(_("指导员任期即将届满"), n, _url("governance:instructor_list", ending=1), "info")]


todo.register("governance.org_terms", 80, ROLES, org_terms)
todo.register("governance.honours", 81, ROLES, honours)
todo.register("governance.establishment", 82, ROLES, establishment_steps)
todo.register("governance.instructor_terms", 83, ROLES, instructor_terms)
