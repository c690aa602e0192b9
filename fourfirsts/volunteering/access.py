"""Who may read and keep the volunteering records, and one record for a
user: outside scope a 404, a write the services would refuse a 403."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fourfirsts.core.access import Role, get_visible_or_404, scope_of
from fourfirsts.volunteering.models import (
    Activity,
    Donation,
    Pairing,
    Participation,
    Project,
    Village,
)

READERS = (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY)
ACTIVITY_READERS = (*READERS, Role.MEMBER)
KEEPERS = (Role.COMMITTEE, Role.SECRETARY)


def _scope(who):
    user = getattr(who, "user", who)  # an Actor or a user
    if getattr(who, "kind", None) in ("system", "person"):
        return None
    return scope_of(user)


def is_system(who) -> bool:
    return getattr(who, "kind", None) in ("system", "person")


def can_keep(who, party_org_id=None, association_id=None, *, any_=False) -> bool:
    """The committee keeps every record; a secretary those of their orgs and
    of the associations their orgs cover (`any_`: some record at all)."""
    if is_system(who):
        return True
    scope = _scope(who)
    if Role.COMMITTEE in scope.roles:
        return True
    if Role.SECRETARY not in scope.roles:
        return False
    if any_:
        return bool(scope.secretary_of_org_ids)
    return (party_org_id is not None and party_org_id in scope.secretary_of_org_ids) or (
        association_id is not None and association_id in scope.association_ids)


def can_keep_places(who, village: Village | None = None) -> bool:
    """The committee keeps every village; a secretary may add a new village
    and keep one that an association of theirs pairs."""
    if is_system(who):
        return True
    scope = _scope(who)
    if Role.COMMITTEE in scope.roles:
        return True
    if Role.SECRETARY not in scope.roles:
        return False
    if village is None or village.pk is None:
        return True
    return Pairing.objects.filter(village_id=village.pk, association_id__in=scope.association_ids).exists()


def can_keep_kinds(who) -> bool:
    return is_system(who) or Role.COMMITTEE in _scope(who).roles


def can_keep_activity(who, activity: Activity) -> bool:
    return can_keep(who, activity.party_org_id, activity.association_id)


def get_activity_for_user(user, pk, write=False) -> Activity:
    activity = get_visible_or_404(Activity.objects.select_related("kind", "party_org", "association"), user, pk=pk)
    if write and not can_keep_activity(user, activity):
        raise PermissionDenied(_("您无权修改这次志愿活动"))
    return activity


def get_participation_for_user(user, pk, write=False) -> Participation:
    row = get_visible_or_404(Participation.objects.select_related("activity", "person"), user, pk=pk)
    if write and not can_keep_activity(user, row.activity):
        raise PermissionDenied(_("只有活动所属党组织的书记或商协会党委可以确认服务时长"))
    return row


def get_village_for_user(user, pk, write=False) -> Village:
    village = get_visible_or_404(Village.objects, user, pk=pk)
    if write and not can_keep_places(user, village):
        raise PermissionDenied(_("您无权修改村庄信息"))
    return village


def get_pairing_for_user(user, pk, write=False) -> Pairing:
    pairing = get_visible_or_404(Pairing.objects.select_related("village", "association", "enterprise"), user, pk=pk)
    if write and not can_keep(user, association_id=pairing.association_id):
        raise PermissionDenied(_("您无权修改这项结对帮扶"))
    return pairing


def get_project_for_user(user, pk, write=False) -> Project:
    project = get_visible_or_404(
        Project.objects.select_related("pairing__village", "pairing__association", "pairing__enterprise",
                                       "enterprise", "posted_member"), user, pk=pk)
    if write and not can_keep(user, association_id=project.pairing.association_id):
        raise PermissionDenied(_("您无权修改这个帮扶项目"))
    return project


def get_donation_for_user(user, pk, write=False) -> Donation:
    donation = get_visible_or_404(Donation.objects, user, pk=pk)
    if write and not can_keep(user, donation.party_org_id, donation.association_id):
        raise PermissionDenied(_("您无权修改这条捐赠记录"))
    return donation
