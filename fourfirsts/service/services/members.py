"""Whether an appeal's or a visit's enterprise was a member of an association
on the row's day (the appeal's local collection day, the visit's day), stored
on the row as `member_on_day`.

F04, F06 and F07 count only such rows. Asked per row, it was a semi-join of a
year's 200,000 appeals against 260,000 memberships (about 120 ms of each count
at province scale, five counts per dashboard); stored, it is a column of the
indexes the counts already read. The mark follows every write that can change
it: an appeal created (`mark_appeal`) or moved with its visit to another
enterprise, a visit saved (`mark_saved_visit`), and any enterprise membership
saved (`refresh`, called by registry's `dated_link_save` through the listener
registered in service.apps)."""

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate

from fourfirsts.core import workdays
from fourfirsts.registry.models import EnterpriseMembership, active_on
from fourfirsts.service.models import Appeal, Visit


def member_on(enterprise_id: int, day) -> bool:
    return EnterpriseMembership.objects.filter(active_on(day), enterprise_id=enterprise_id).exists()


def mark_appeal(appeal: Appeal) -> None:
    """Set (not save) the appeal's mark from its enterprise and collection day."""
    appeal.member_on_day = member_on(appeal.enterprise_id, workdays.local_date(appeal.collected_at))


def mark_saved_visit(visit: Visit) -> None:
    """Set and store the saved visit's mark (one UPDATE of the column, no history row)."""
    visit.member_on_day = member_on(visit.enterprise_id, visit.visited_on)
    Visit.objects.filter(pk=visit.pk).update(member_on_day=visit.member_on_day)


def _member_then(day) -> Exists:
    return Exists(EnterpriseMembership.objects.filter(active_on(OuterRef(day)), enterprise=OuterRef("enterprise")))


def refresh(enterprise_ids=None) -> None:
    """Recompute the marks of these enterprises' appeals and visits (None: all),
    in two UPDATE statements; only rows whose mark changes are written."""
    where = Q() if enterprise_ids is None else Q(enterprise_id__in=list(enterprise_ids))
    appeals = Appeal.objects.filter(where).annotate(
        collected_on=TruncDate("collected_at", tzinfo=workdays.SHANGHAI), now_member=_member_then("collected_on"))
    appeals.filter(now_member=True, member_on_day=False).update(member_on_day=True)
    appeals.filter(now_member=False, member_on_day=True).update(member_on_day=False)
    visits = Visit.objects.filter(where).annotate(now_member=_member_then("visited_on"))
    visits.filter(now_member=True, member_on_day=False).update(member_on_day=True)
    visits.filter(now_member=False, member_on_day=True).update(member_on_day=False)
