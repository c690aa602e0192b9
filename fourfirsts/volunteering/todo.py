"""第一身份's to-do source: hours members reported that wait for a keeper's
confirmation, for the committee (all) and secretaries (the activities they
keep: the rows `confirm_queue` lists)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from fourfirsts.core import todo
from fourfirsts.core.access import Role, scope_of
from fourfirsts.volunteering.models import Participation


def awaiting_confirmation(user):
    """Reported hours the user may confirm: the same test as `access.can_keep_activity`."""
    scope = scope_of(user)
    qs = Participation.objects.visible_to(user).filter(status=Participation.Status.REPORTED)
    if scope.is_system or Role.COMMITTEE in scope.roles:
        return qs
    if Role.SECRETARY not in scope.roles:
        return qs.none()
    return qs.filter(Q(activity__party_org_id__in=scope.secretary_of_org_ids)
                     | Q(activity__association_id__in=scope.association_ids))


def collect(user, today) -> list[todo.Todo]:
    return [todo.Todo(label=_("待确认的志愿服务时长"), count=awaiting_confirmation(user).count(),
                      url=reverse("volunteering:confirm_queue"), level="info")]


todo.register("volunteering.confirm_hours", 60, (Role.COMMITTEE, Role.SECRETARY), collect)
