"""Access expectations of the service app's visit and pairing pages (merged
into tests/test_access_matrix.py). The records: a visit and a pairing of the
member of A with A's enterprise."""

from datetime import date

from tests.access_codes import ADMINS, DOMAIN, ORG_READERS, every, only, roles  # noqa: F401

CONTACT_READERS = [*ORG_READERS, "member_a"]
LOGGERS = ["committee", "secretary_a", "secretary_b", "member_a"]
NO_CONTACTS = dict.fromkeys(["handler", *ADMINS], 403)
A_WRITE = only({"committee": 200, "secretary_a": 200, "member_a": 200, "leader": 403, "instructor": 403,
                **NO_CONTACTS}, 404)

EXPECT: dict[str, dict[str, int]] = {
    "service:visit_list": roles(200, CONTACT_READERS, 403),
    "service:visit_create": roles(200, LOGGERS, 403),
    "service:visit_enterprise_search": roles(200, LOGGERS, 403),
    "service:visit_detail": only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200,
                                  "member_a": 200, **NO_CONTACTS}, 404),
    "service:visit_edit": A_WRITE,
    "service:visit_delete": A_WRITE,
    "service:pairing_list": roles(200, CONTACT_READERS, 403),
    "service:pairing_create": roles(200, ["committee", "secretary_a", "secretary_b"], 403),
    "service:pairing_no_contact": roles(200, CONTACT_READERS, 403),
    "service:pairing_end": only({"committee": 200, "secretary_a": 200, "leader": 403, "instructor": 403,
                                 "member_a": 403, **NO_CONTACTS}, 404),
}


def kwargs_for(name, world, cast):
    from fourfirsts.core.actors import Actor
    from fourfirsts.service.services import visits

    system = Actor.system()
    if name.startswith("service:visit_") and name not in ("service:visit_list", "service:visit_create",
                                                           "service:visit_enterprise_search"):
        visit = visits.visit_create(actor=system, values={
            "visitor": world.member_a, "enterprise": world.ent_a, "channel": "on_site",
            "visited_on": date(2022, 9, 1)})
        return {"pk": visit.pk}
    if name == "service:pairing_end":
        pairing = visits.pairing_create(actor=system, values={
            "person": world.member_a, "enterprise": world.ent_a, "since": date(2022, 1, 1)})
        return {"pk": pairing.pk}
    return {}
