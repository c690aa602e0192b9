"""Workbook export and import as services: scope, disclosure and the security
log are decided here, once, for the command, the web UI and the tasks."""

from django.utils import timezone

from fourfirsts.core import audit
from fourfirsts.core.access import SYSTEM_SCOPE, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.exchange import engine
from fourfirsts.registry.models import PartyMembership, active_on


def disclosure_for(user) -> engine.Disclosure:
    """The UI's rule: 身份证 always masked; phones in full only for a
    secretary's own members, as on the pages."""
    scope = scope_of(user)
    ids = frozenset()
    if scope.secretary_of_org_ids:
        ids = frozenset(
            PartyMembership.objects.filter(active_on(timezone.localdate()), party_org_id__in=scope.secretary_of_org_ids)
            .values_list("person_id", flat=True)
        )
    return engine.Disclosure(full=False, phone_person_ids=ids)


def export_for_system(target, *, label: str = "manage.py workbook export") -> dict[str, int]:
    """Backups and moves: everything, personal numbers in full; logged."""
    counts = engine.write_workbook(target, SYSTEM_SCOPE, engine.Disclosure(full=True))
    audit.log(audit.Kind.EXPORT, username=label, target="workbook", scope="system", full=True, rows=counts)
    return counts


def export_for_user(target, *, user, request=None) -> dict[str, int]:
    counts = engine.write_workbook(target, scope_of(user), disclosure_for(user))
    audit.log(audit.Kind.EXPORT, user=user, request=request, target="workbook", scope="user", rows=counts)
    return counts


def blank_template(target) -> None:
    engine.write_workbook(target, SYSTEM_SCOPE, engine.Disclosure(), empty=True)


def import_file(source, *, actor: Actor, dry_run: bool = False, progress=None, request=None,
                filename: str = "") -> engine.Report:
    report = engine.import_workbook(source, actor=actor, dry_run=dry_run, progress=progress)
    audit.log(
        audit.Kind.IMPORT, user=actor.user, username=str(actor), request=request, target=filename[:200],
        dry_run=dry_run, ok=report.ok, problems=len(report.problems),
        created=sum(report.created.values()), updated=sum(report.updated.values()),
    )
    return report
