"""Access expectations of the service app's public pages (merged into
tests/test_access_matrix.py): the 营商码 downloads are the committee's and a
secretary's (their own associations); the form, the tracking page and the
look-up open for everyone, signed in or not."""

from datetime import datetime

from fourfirsts.core.actors import Actor
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals, intake
from tests.access_codes import ADMINS, DOMAIN, ORG_READERS, every, only, roles  # noqa: F401

CODES = only({"committee": 200, "secretary_a": 200, "secretary_b": 404}, 403)
PUBLIC = every(200, anonymous=200)

EXPECT: dict[str, dict[str, int]] = {
    "service:business_code_png": CODES,
    "service:business_code_svg": CODES,
    "service:business_code_poster": CODES,
    "service:intake": PUBLIC,
    "service:track": PUBLIC,
    "service:track_lookup": PUBLIC,
}


def kwargs_for(name, world, cast):
    if name.startswith("service:business_code_"):
        return {"kind": "association", "pk": world.assoc_a.pk}
    if name == "service:intake":
        return {"token": intake.code_token("a", world.assoc_a.pk)}
    if name == "service:track":
        appeal = appeals.appeal_create(actor=Actor.public(), values={
            "enterprise": world.ent_a, "channel": Appeal.Channel.BUSINESS_CODE, "category": "logistics",
            "kind": "coordination", "title": "货车通行证办理难", "description": "城区限行",
            "collected_at": datetime(2022, 10, 17, 10, tzinfo=SHANGHAI), "contact_name": "刘经理",
            "contact_phone": "13812345678", "contact_consent": True})
        return {"token": appeal.tracking_token}
    return {}
