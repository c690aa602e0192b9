"""One governance record for a user: outside scope a 404, a write the
services would refuse a 403. The committee keeps these records; an
instructor logs their own work; secretaries and instructors read their own
orgs and associations; a member reads their own org's honours."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fourfirsts.core.access import Role, get_visible_or_404, scope_of
from fourfirsts.governance.models import (
    Assessment,
    Charter,
    Checklist,
    Establishment,
    Honour,
    InstructorLog,
    Support,
)

READERS = (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY)
HONOUR_READERS = (*READERS, Role.MEMBER)


def is_committee(user) -> bool:
    return Role.COMMITTEE in scope_of(user).roles


def can_read(user, roles=READERS) -> bool:
    scope = scope_of(user)
    return scope.is_system or bool(scope.roles & set(roles))


def require_reader(user, roles=READERS) -> None:
    if not can_read(user, roles):
        raise PermissionDenied(_("您的角色无权查看第一责任的记录"))


def can_log(user) -> bool:
    scope = scope_of(user)
    return Role.COMMITTEE in scope.roles or (Role.INSTRUCTOR in scope.roles and bool(scope.person_id))


def _get(model, user, pk, write, roles=READERS):
    require_reader(user, roles)
    obj = get_visible_or_404(model.objects, user, pk=pk)
    if write and not is_committee(user):
        raise PermissionDenied(_("只有商协会党委可以修改此记录"))
    return obj


def get_honour_for_user(user, pk, write=False) -> Honour:
    return _get(Honour, user, pk, write, HONOUR_READERS)


def get_establishment_for_user(user, pk, write=False) -> Establishment:
    return _get(Establishment, user, pk, write)


def get_charter_for_user(user, pk, write=False) -> Charter:
    return _get(Charter, user, pk, write)


def get_checklist_for_user(user, pk, write=False) -> Checklist:
    return _get(Checklist, user, pk, write)


def get_assessment_for_user(user, pk, write=False) -> Assessment:
    return _get(Assessment, user, pk, write)


def get_support_for_user(user, pk, write=False) -> Support:
    return _get(Support, user, pk, write)


def can_edit_log(user, log) -> bool:
    return is_committee(user) or (log.assignment.person_id is not None
                                  and log.assignment.person_id == scope_of(user).person_id)


def get_log_for_user(user, pk, write=False) -> InstructorLog:
    require_reader(user)
    log = get_visible_or_404(InstructorLog.objects.select_related("assignment"), user, pk=pk)
    if write and not (is_committee(user) or log.assignment.person_id == scope_of(user).person_id):
        raise PermissionDenied(_("只能修改自己的工作记录"))
    return log
