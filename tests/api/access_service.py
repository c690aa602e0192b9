"""Access of the API's service endpoints (第一要务), for the whole cast.

The records are A's: a visit of the member of A with A's enterprise, and an
appeal of A's enterprise collected by the member of A and assigned to the
handler's department. B's secretary gets a 404 (never a 403 that confirms
it exists); the admins have no service data at all (403). The 营商码's
public endpoints answer everyone, with or without a token."""

from datetime import date

from django.core.cache import cache

from fourfirsts.core.actors import Actor
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals, intake, visits
from tests.access_codes import ADMINS, every, only
from tests.service.access_appeals import appeal_a

SYSTEM = Actor.system("测试")
NO_SERVICE = dict.fromkeys(ADMINS, 403)
CONTACT_READERS = ["committee", "leader", "instructor", "secretary_a", "secretary_b", "member_a"]
PUBLIC = every(200, anonymous=200)

EXPECT = {
    ("GET", "/service/visits"): only(dict.fromkeys(CONTACT_READERS, 200), 403, anonymous=401),
    ("POST", "/service/visits"): only(dict.fromkeys(["committee", "secretary_a", "secretary_b", "member_a"], 201),
                                      403, anonymous=401),
    ("GET", "/service/visits/{visit_id}"): only({"committee": 200, "leader": 200, "instructor": 200,
                                                 "secretary_a": 200, "member_a": 200, "handler": 403,
                                                 **NO_SERVICE}, 404, anonymous=401),
    ("GET", "/service/appeals"): only({**NO_SERVICE}, 200, anonymous=401),
    ("POST", "/service/appeals"): only(dict.fromkeys(["committee", "instructor", "secretary_a", "secretary_b"], 201),
                                       403, anonymous=401),
    ("GET", "/service/appeals/{appeal_id}"): only({"committee": 200, "leader": 200, "instructor": 200,
                                                   "secretary_a": 200, "member_a": 200, "handler": 200,
                                                   **NO_SERVICE}, 404, anonymous=401),
    # 签收 (sign) of the assigned appeal: only the handler of its department; readers of it get a 403.
    ("POST", "/service/appeals/{appeal_id}/actions/{action}"): only(
        {"handler": 200, "committee": 403, "leader": 403, "instructor": 403, "secretary_a": 403, "member_a": 403,
         **NO_SERVICE}, 404, anonymous=401),
    ("GET", "/service/public/codes/{code}"): PUBLIC,
    ("POST", "/service/public/codes/{code}/appeals"): every(201, anonymous=201),
    ("GET", "/service/public/track/{token}"): PUBLIC,
    ("POST", "/service/public/lookup"): PUBLIC,
    ("POST", "/service/public/track/{token}/rating"): PUBLIC,
}

# What each writer logs: their own associations' enterprise, a visitor they may choose.
VISIT_BY = {"secretary_b": ("ent_b", "person_b"), "member_a": ("ent_a", None)}
APPEAL_BY = {"secretary_b": "ent_b"}


def public_appeal(world, state="collected"):
    """An appeal submitted through A's enterprise code, walked on by the system."""
    appeal = intake.intake_submit(actor=Actor.public(), enterprise=world.ent_a, key=f"matrix-{Appeal.objects.count()}",
                                  values={"contact_name": "刘经理", "contact_phone": "13812345678",
                                          "contact_consent": True, "category": "logistics", "kind": "coordination",
                                          "title": "货车通行证办理难", "description": "城区限行"}).appeal
    if state == "replied":
        appeals.appeal_accept(appeal=appeal, actor=SYSTEM)
        appeals.appeal_assign(appeal=appeal, department=world.department, actor=SYSTEM)
        appeals.appeal_sign(appeal=appeal, actor=SYSTEM)
        appeals.appeal_handle(appeal=appeal, actor=SYSTEM)
        appeals.appeal_reply(appeal=appeal, reply="已协调办理通行证", actor=SYSTEM)
    return appeal


def request_for(key, world, cast, who):
    method, path = key
    if path == "/service/visits" and method == "POST":
        enterprise, visitor = VISIT_BY.get(who, ("ent_a", "member_a"))
        body = {"enterprise_id": getattr(world, enterprise).pk, "visited_on": "2022-09-01", "channel": "on_site",
                "problems": [{"title": "融资难", "category": "funding", "kind": "coordination"}]}
        if visitor:
            body["visitor_id"] = getattr(world, visitor).pk
        return {}, {}, body
    if path == "/service/visits/{visit_id}":
        visit = visits.visit_create(actor=SYSTEM, values={
            "visitor": world.member_a, "enterprise": world.ent_a, "channel": "on_site",
            "visited_on": date(2022, 9, 1)})
        return {"visit_id": visit.pk}, {}, None
    if path == "/service/appeals" and method == "POST":
        enterprise = getattr(world, APPEAL_BY.get(who, "ent_a"))
        return {}, {}, {"enterprise_id": enterprise.pk, "category": "logistics", "kind": "coordination",
                        "title": "货车通行证办理难", "collected_at": "2022-10-17T10:00:00+08:00"}
    if path == "/service/appeals/{appeal_id}":
        return {"appeal_id": appeal_a(world).pk}, {}, None
    if path == "/service/appeals/{appeal_id}/actions/{action}":
        appeal = appeal_a(world)
        return {"appeal_id": appeal.pk, "action": "sign"}, {}, {"seen_updated_at": appeal.updated_at.isoformat()}
    if path == "/service/public/codes/{code}":
        return {"code": intake.code_token("a", world.assoc_a.pk)}, {}, None
    if path == "/service/public/codes/{code}/appeals":
        cache.clear()  # each member of the cast stands for a client on a network of its own (per-address limit)
        return {"code": intake.code_token("a", world.assoc_a.pk)}, {}, {
            "enterprise_name": world.ent_a.name, "uscc": world.ent_a.uscc, "contact_name": "刘经理",
            "contact_phone": "13812345678", "category": "logistics", "kind": "coordination",
            "title": "货车通行证办理难", "description": "城区限行", "consent": True, "key": f"matrix-key-{who}-0001"}
    if path == "/service/public/track/{token}":
        return {"token": public_appeal(world).tracking_token}, {}, None
    if path == "/service/public/lookup":
        return {}, {}, {"ref": public_appeal(world).ref, "phone": "13812345678"}
    if path == "/service/public/track/{token}/rating":
        return {"token": public_appeal(world, "replied").tracking_token}, {}, {"rating": "satisfied"}
    return {}, {}, None
