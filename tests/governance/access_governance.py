"""Access expectations of the governance app's pages (merged into tests/test_access_matrix.py)."""

from datetime import date
from decimal import Decimal

from tests.access_codes import ADMINS, DOMAIN, ORG_READERS, every, only, roles  # noqa: F401

NONE_HERE = dict.fromkeys(["member_a", "handler", *ADMINS], 403)
LIST = roles(200, ORG_READERS, 403)
CREATE = roles(200, ["committee"], 403)
A_READ = only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, **NONE_HERE}, 404)
A_WRITE = only({"committee": 200, "leader": 403, "instructor": 403, "secretary_a": 403, **NONE_HERE}, 404)
ALL_READ = roles(200, ORG_READERS, 403)
ALL_WRITE = roles(200, ["committee"], 403)

EXPECT: dict[str, dict[str, int]] = {
    "governance:coverage": LIST,
    "governance:honour_list": roles(200, [*ORG_READERS, "member_a"], 403),
    "governance:honour_create": CREATE,
    "governance:honour_detail": only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200,
                                      "member_a": 200, "handler": 403, **dict.fromkeys(ADMINS, 403)}, 404),
    "governance:honour_edit": only({"committee": 200, "leader": 403, "instructor": 403, "secretary_a": 403,
                                    "member_a": 403, "handler": 403, **dict.fromkeys(ADMINS, 403)}, 404),
    "governance:establishment_list": LIST,
    "governance:establishment_create": CREATE,
    "governance:establishment_detail": A_READ,
    "governance:charter_list": LIST,
    "governance:charter_create": CREATE,
    "governance:charter_detail": A_READ,
    "governance:charter_edit": A_WRITE,
    "governance:instructor_list": LIST,
    "governance:assignment_create": CREATE,
    "governance:log_list": LIST,
    "governance:log_create": roles(200, ["committee", "instructor"], 403),
    "governance:log_edit": only({"committee": 200, "instructor": 200, "leader": 403, "secretary_a": 403,
                                 **NONE_HERE}, 404),
    "governance:org_checks": LIST,
    "governance:checklist_list": LIST,
    "governance:checklist_create": CREATE,
    "governance:checklist_detail": ALL_READ,
    "governance:checklist_edit": ALL_WRITE,
    "governance:assessment_create": ALL_WRITE,
    "governance:support_list": LIST,
    "governance:support_create": CREATE,
    "governance:support_edit": A_WRITE,
}


def kwargs_for(name, world, cast):
    from fourfirsts.core.actors import Actor
    from fourfirsts.governance import services
    from fourfirsts.governance.models import Honour, InstructorLog
    from fourfirsts.registry.models import PartyOrg

    system = Actor.system()
    if name.startswith("governance:honour"):
        h = services.honour_save(actor=system, values={
            "kind": Honour.Kind.FOUR_GOOD, "level": Honour.Level.NATIONAL, "association": world.assoc_a,
            "stage": Honour.Stage.RECOGNISED, "recognised_on": date(2021, 6, 1)})
        return {"pk": h.pk}
    if name.startswith("governance:establishment"):
        from fourfirsts.registry import services as reg
        from fourfirsts.registry.models import AssociationStatus

        # In preparation on the registration day only: the association is 正常 again from the next day.
        for status, since in ((AssociationStatus.Status.PREPARING, date(2022, 2, 28)),
                              (AssociationStatus.Status.ACTIVE, date(2022, 3, 2))):
            if not world.assoc_a.statuses.filter(since=since).exists():
                reg.association_status_set(actor=system, association=world.assoc_a, status=status, since=since)
        e = services.establishment_create(actor=system, values={
            "association": world.assoc_a, "registered_on": date(2022, 3, 1), "org_name": "娄底市安徽商会第二党支部",
            "org_kind": PartyOrg.Kind.BRANCH})
        return {"pk": e.pk}
    if name.startswith("governance:charter"):
        c = services.charter_save(actor=system, values={"association": world.assoc_a, "version": "2021版",
                                                        "approved_on": date(2021, 5, 1)}, clauses={})
        return {"pk": c.pk}
    if name == "governance:log_edit":
        log = services.instructor_log_save(actor=system, values={
            "assignment": world.instructor.instructor_assignments.get(association=world.assoc_a),
            "kind": InstructorLog.Kind.CONTACT, "held_on": date(2022, 3, 2)})
        return {"pk": log.pk}
    if name in ("governance:checklist_detail", "governance:checklist_edit", "governance:assessment_create"):
        c = services.checklist_save(actor=system, values={"name": "规范化建设", "year": 2022},
                                    items=[("组织设置", Decimal(50)), ("三会一课", Decimal(50))])
        return {"pk": c.pk}
    if name == "governance:support_edit":
        s = services.support_save(actor=system, values={
            "party_org": world.org_a, "kind": "funds", "amount": Decimal(1000), "purpose": "活动经费",
            "given_on": date(2022, 5, 1), "given_by": "娄底市安徽商会"})
        return {"pk": s.pk}
    return {}
