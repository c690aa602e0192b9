"""One registry record for a user, and what of it they may see.

`get_<x>_for_user(user, pk, write=False)`: a record outside the user's scope is
a 404 (never confirm that it exists); `write=True` for a reader the services
would not let edit it is a 403. `phone_for` is the one place that decides
whether a person's phone shows in full, so pages and exports agree.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from fourfirsts.core.access import get_visible_or_404, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.crypto import mask_phone
from fourfirsts.registry import services
from fourfirsts.registry.models import (
    Association,
    Coverage,
    Department,
    Enterprise,
    InstructorAssignment,
    PartyMembership,
    PartyOrg,
    Person,
    active_on,
    today,
)

# The services let a secretary edit these within scope; every other record
# (and every new one) is the committee's.
SCOPED_WRITES = (Association, PartyOrg, Enterprise, Person)


def can_write(user, obj=None) -> bool:
    """Whether the services would accept this user's save of obj (None: a new record)."""
    if obj is not None and not isinstance(obj, SCOPED_WRITES):
        obj = None
    try:
        services.require_writer(Actor.of(user), obj)
    except PermissionDenied:
        return False
    return True


def check_create(user) -> None:
    if not can_write(user):
        raise PermissionDenied(_("您的角色无权新建此记录"))


def _get(model, user, pk, write):
    obj = get_visible_or_404(model.objects, user, pk=pk)
    if write and not can_write(user, obj):
        raise PermissionDenied(_("您的角色无权修改此记录"))
    return obj


def get_association_for_user(user, pk, write=False) -> Association:
    return _get(Association, user, pk, write)


def get_party_org_for_user(user, pk, write=False) -> PartyOrg:
    return _get(PartyOrg, user, pk, write)


def get_enterprise_for_user(user, pk, write=False) -> Enterprise:
    return _get(Enterprise, user, pk, write)


def get_person_for_user(user, pk, write=False) -> Person:
    return _get(Person, user, pk, write)


def get_department_for_user(user, pk, write=False) -> Department:
    return _get(Department, user, pk, write)


def get_instructor_assignment_for_user(user, pk, write=False) -> InstructorAssignment:
    return _get(InstructorAssignment, user, pk, write)


def get_coverage_for_user(user, pk, write=False) -> Coverage:
    """A coverage is visible with its association."""
    coverage = Coverage.objects.filter(
        pk=pk, association__in=Association.objects.visible_to(user).values("pk")
    ).first()
    if coverage is None:
        raise Http404(_("记录不存在或无权查看"))
    if write and not can_write(user, coverage):
        raise PermissionDenied(_("您的角色无权修改此记录"))
    return coverage


# --- personal numbers ----------------------------------------------------------


def full_phone_ids(user, person_ids) -> set[int]:
    """Of these people, those whose phone the user sees in full: for a
    secretary, the current members of the orgs they lead. One query however
    many people (an export passes them all)."""
    orgs = scope_of(user).secretary_of_org_ids
    if not orgs:
        return set()
    rows = PartyMembership.objects.filter(
        active_on(today()), party_org_id__in=orgs, person_id__in=person_ids
    )
    return set(rows.values_list("person_id", flat=True))


def phone_for(user, person, full_ids: set[int] | None = None) -> tuple[str, bool]:
    """(the phone as this user may see it, whether that is the full number).
    The caller logs each full view (audit.Kind.UNMASKED_VIEW, field="phone")."""
    if full_ids is None:
        full_ids = full_phone_ids(user, [person.pk])
    full = bool(person.phone) and person.pk in full_ids
    return (person.phone if full else mask_phone(person.phone)), full
