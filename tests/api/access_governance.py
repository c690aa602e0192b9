"""Access of the API's 第一责任 endpoints: coverage for the org roles;
honours also for a member (their org's); an honour of A is a 404 for B's
secretary."""

from datetime import date

from tests.access_codes import ORG_READERS, only

EXPECT = {
    ("GET", "/governance/coverage"): only(dict.fromkeys(ORG_READERS, 200), 403, anonymous=401),
    ("GET", "/governance/honours"): only(dict.fromkeys([*ORG_READERS, "member_a"], 200), 403, anonymous=401),
    ("GET", "/governance/honours/{honour_id}"): only(
        {"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, "secretary_b": 404,
         "member_a": 200}, 403, anonymous=401),
}


def request_for(key, world, cast, who):
    from fourfirsts.core.actors import Actor
    from fourfirsts.governance import services
    from fourfirsts.governance.models import Honour

    if key[1] == "/governance/honours/{honour_id}":
        honour = services.honour_save(actor=Actor.system(), values={
            "kind": Honour.Kind.FOUR_GOOD, "level": Honour.Level.NATIONAL, "association": world.assoc_a,
            "stage": Honour.Stage.RECOGNISED, "recognised_on": date(2021, 6, 1)})
        return {"honour_id": honour.pk}, {}, None
    return {}, {}, None
