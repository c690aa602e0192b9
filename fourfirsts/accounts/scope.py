"""Computing a user's scope from the org tree and the registry's assignments.
Runs once per request (core.access caches it on the user)."""

from django.utils import timezone

from fourfirsts.core.access import Role, Scope
from fourfirsts.registry.models import (
    Coverage,
    InstructorAssignment,
    PartyMembership,
    PartyOrg,
    active_on,
)


def descendants(org_ids: set[int]) -> set[int]:
    """The orgs and every org below them (one query: the tree is small)."""
    children: dict[int, list[int]] = {}
    for pk, parent in PartyOrg.objects.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), list(org_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return found


def covered_associations(org_ids: set[int], day) -> set[int]:
    if not org_ids:
        return set()
    return set(
        Coverage.objects.filter(active_on(day), party_org_id__in=org_ids).values_list("association_id", flat=True)
    )


def compute_scope(user) -> Scope:
    roles = frozenset(g for g in user.groups.values_list("name", flat=True) if g in Role.ALL)
    day = timezone.localdate()
    orgs: set[int] = set()
    associations: set[int] = set()
    secretary_orgs: set[int] = set()
    if Role.SECRETARY in roles and user.party_org_id:
        secretary_orgs = descendants({user.party_org_id})
        orgs |= secretary_orgs
        associations |= covered_associations(secretary_orgs, day)
    if Role.INSTRUCTOR in roles and user.person_id:
        assignments = InstructorAssignment.objects.filter(active_on(day), person_id=user.person_id)
        assigned = set(assignments.values_list("association_id", flat=True))
        associations |= assigned
        orgs |= {pk for pk in assignments.values_list("party_org_id", flat=True) if pk}
        orgs |= set(
            Coverage.objects.filter(active_on(day), association_id__in=assigned).values_list("party_org_id", flat=True)
        )
    if Role.MEMBER in roles and user.person_id:
        orgs |= set(
            PartyMembership.objects.filter(active_on(day), person_id=user.person_id).values_list("party_org_id", flat=True)
        )
    departments = {user.department_id} if Role.HANDLER in roles and user.department_id else set()
    return Scope(
        roles=roles,
        party_org_ids=frozenset(orgs),
        association_ids=frozenset(associations),
        department_ids=frozenset(departments),
        person_id=user.person_id,
        user_id=user.pk,
        secretary_of_org_ids=frozenset(secretary_orgs),
        can_view_full_personal_data=user.has_perm("accounts.view_full_personal_data"),
    )
