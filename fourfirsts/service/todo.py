"""The service app's to-do items (core.todo): appeals overdue or due within a
working day, for the committee those waiting to be accepted or assigned, for a
handler those assigned to their department and not yet signed for.

Counted from one query over `visible_to(user)`; each item links to the
appeal list (or the department inbox) with the filter that shows exactly the
counted appeals. The list views call the filters below, so both agree."""

from datetime import date, timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from fourfirsts.core import todo, workdays
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.periods import local_midnight
from fourfirsts.service.models import Appeal

S = Appeal.State
# Waiting for the committee: to accept, to assign, or (returned) to assign again.
WAITING_STATES = (S.COLLECTED, S.ACCEPTED, S.RETURNED)


def overdue_q(today: date) -> Q:
    """Held by a department with its due date (23:59:59 of a day) before today."""
    return Q(state__in=Appeal.RUNNING_STATES, due_at__lt=local_midnight(today))


def due_soon_q(today: date) -> Q:
    """Held by a department, not overdue, and due today or on the next working
    day (at most one working day left)."""
    next_day = workdays.next_workday(today + timedelta(days=1))
    after_next = workdays.next_workday(next_day + timedelta(days=1))
    return Q(state__in=Appeal.RUNNING_STATES, due_at__gte=local_midnight(today),
             due_at__lt=local_midnight(after_next))


def waiting_q() -> Q:
    return Q(state__in=WAITING_STATES)


def unsigned_q(department_ids) -> Q:
    return Q(state=S.ASSIGNED, department_id__in=department_ids)


def _list(**params) -> str:
    return f"{reverse('service:appeal_list')}?{urlencode(params)}"


def collect(user, today: date) -> list[todo.Todo]:
    scope = scope_of(user)
    counts = {"overdue": Count("id", filter=overdue_q(today)), "due_soon": Count("id", filter=due_soon_q(today))}
    committee = scope.has(Role.COMMITTEE)
    if committee:
        counts["waiting"] = Count("id", filter=waiting_q())
    handler = Role.HANDLER in scope.roles and bool(scope.department_ids)
    if handler:
        counts["unsigned"] = Count("id", filter=unsigned_q(scope.department_ids))
    # Each count is of open appeals: reading only those (by the state index) spares
    # scanning every closed one (a million at province scale, 390 ms).
    open_states = sorted({*Appeal.RUNNING_STATES, *WAITING_STATES, S.ASSIGNED})
    n = Appeal.objects.visible_to(user).filter(state__in=open_states).aggregate(**counts)
    items = [
        todo.Todo(_("已逾期的诉求"), n["overdue"], _list(overdue="on"), "danger"),
        todo.Todo(_("一个工作日内到期的诉求"), n["due_soon"], _list(due_soon="on"), "warning"),
    ]
    if committee:
        items.append(todo.Todo(_("待受理或交办的诉求"), n["waiting"], _list(waiting="on"), "info"))
    if handler:
        # The department named too, for a handler who is also committee staff (who picks one).
        params = {"department": min(scope.department_ids), "state": S.ASSIGNED}
        inbox = f"{reverse('service:inbox')}?{urlencode(params)}"
        items.append(todo.Todo(_("待签收的诉求"), n["unsigned"], inbox, "warning"))
    return items


todo.register("service.appeals", 20, Role.DOMAIN, collect)
