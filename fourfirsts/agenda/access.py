"""One agenda record for a user: outside scope a 404, a write the services
would refuse a 403."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fourfirsts.agenda.models import Lecture, Meeting, Topic, TrainingClass
from fourfirsts.core.access import Role, get_visible_or_404, scope_of

MEETING_READERS = (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY, Role.MEMBER)
ORG_READERS = (Role.COMMITTEE, Role.LEADER, Role.INSTRUCTOR, Role.SECRETARY)
RECORDERS = (Role.COMMITTEE, Role.SECRETARY)


def can_keep_library(user) -> bool:
    return Role.COMMITTEE in scope_of(user).roles


def can_record(user, org_id: int | None = None) -> bool:
    scope = scope_of(user)
    if Role.COMMITTEE in scope.roles:
        return True
    if Role.SECRETARY not in scope.roles:
        return False
    return bool(scope.secretary_of_org_ids) if org_id is None else org_id in scope.secretary_of_org_ids


def get_meeting_for_user(user, pk, write=False) -> Meeting:
    meeting = get_visible_or_404(Meeting.objects.select_related("party_org"), user, pk=pk)
    if write and not can_record(user, meeting.party_org_id):
        raise PermissionDenied(_("您无权修改这次会议的记录"))
    return meeting


def _library(model, user, pk, write):
    obj = get_visible_or_404(model.objects, user, pk=pk)
    if write and not can_keep_library(user):
        raise PermissionDenied(_("只有商协会党委可以修改此记录"))
    return obj


def get_topic_for_user(user, pk, write=False) -> Topic:
    return _library(Topic, user, pk, write)


def get_training_class_for_user(user, pk, write=False) -> TrainingClass:
    return _library(TrainingClass, user, pk, write)


def get_lecture_for_user(user, pk, write=False) -> Lecture:
    return _library(Lecture, user, pk, write)
