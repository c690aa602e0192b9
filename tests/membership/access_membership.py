"""Access expectations of the membership app's pages (merged into
tests/test_access_matrix.py). The record: an application to A's branch by a
person who is not in the cast, whose next step (1.2) the branch may record."""

from datetime import date

from tests.access_codes import ADMINS, DOMAIN, ORG_READERS, every, only, roles  # noqa: F401

READERS = ["committee", "leader", "secretary_a", "secretary_b", "member_a"]
NO_MEMBERSHIP = dict.fromkeys(["instructor", "handler", *ADMINS], 403)
A_READ = only({"committee": 200, "leader": 200, "secretary_a": 200, **NO_MEMBERSHIP}, 404)
A_WRITE = only({"committee": 200, "secretary_a": 200, "leader": 403, **NO_MEMBERSHIP}, 404)

EXPECT: dict[str, dict[str, int]] = {
    "membership:board": roles(200, READERS, 403),
    "membership:development_create": roles(200, ["committee", "secretary_a", "secretary_b"], 403),
    "membership:development_detail": A_READ,
    "membership:step_create": A_WRITE,
    "membership:review_create": A_WRITE,
    "membership:probation_extend": A_WRITE,
    # member_a has no application: the committee and A's secretary are sent to the form.
    "membership:person_development": only({"committee": 302, "secretary_a": 302, **NO_MEMBERSHIP}, 404),
}


def kwargs_for(name, world, cast):
    if name in ("membership:board", "membership:development_create"):
        return {}
    if name == "membership:person_development":
        return {"pk": world.member_a.pk}
    from fourfirsts.core.actors import Actor
    from fourfirsts.membership import services
    from tests.conftest import make_person

    person = make_person("矩阵申请人", birth_date=date(1990, 1, 1), is_entrepreneur=True)
    dev = services.development_apply(actor=Actor.system(), person=person, party_org=world.org_a,
                                     applied_on=date(2022, 3, 1))
    return {"pk": dev.pk}
