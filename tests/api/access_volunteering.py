"""Access of the API's 第一身份 endpoints, as the pages allow them (see
tests/volunteering/access_volunteering.py): the records are A's (an activity
of org A with hours member A reported, a project of a pairing by association
A). B's secretary gets a 404; a role without the page gets a 403."""

import itertools
from datetime import date, timedelta
from decimal import Decimal

from tests.access_codes import ADMINS, only

NO_PAGES = dict.fromkeys(["handler", *ADMINS], 403)
NO_ORG_PAGES = dict.fromkeys(["member_a", "handler", *ADMINS], 403)
ACTIVITY_READERS = only(NO_PAGES, 200, anonymous=401)
KEEPERS = only({"committee": 200, "secretary_a": 200, "secretary_b": 200}, 403, anonymous=401)
A_READ = only({"secretary_b": 404, **NO_PAGES}, 200, anonymous=401)
A_KEEP = only({"committee": 200, "secretary_a": 200, "secretary_b": 404}, 403, anonymous=401)
A_ORG_READ = only({"secretary_b": 404, **NO_ORG_PAGES}, 200, anonymous=401)

EXPECT = {
    ("GET", "/volunteering/kinds"): ACTIVITY_READERS,
    ("GET", "/volunteering/activities"): ACTIVITY_READERS,
    ("GET", "/volunteering/activities/{activity_id}"): A_READ,
    ("GET", "/volunteering/hours"): ACTIVITY_READERS,
    # Everyone with the page reports their own hours at an activity of their org; the
    # committee's and the leader's accounts have no person to report for (422, as on the page).
    ("POST", "/volunteering/hours"): only({"committee": 422, "leader": 422, **NO_PAGES}, 201, anonymous=401),
    ("GET", "/volunteering/hours/pending"): KEEPERS,
    ("POST", "/volunteering/hours/{participation_id}/confirm"): A_KEEP,
    ("POST", "/volunteering/hours/{participation_id}/reject"): A_KEEP,
    ("GET", "/volunteering/projects"): only(NO_ORG_PAGES, 200, anonymous=401),
    ("GET", "/volunteering/projects/{project_id}"): A_ORG_READ,
    ("PATCH", "/volunteering/projects/{project_id}"): A_KEEP,
    ("POST", "/volunteering/projects/{project_id}/payments"): {**A_KEEP, "committee": 201, "secretary_a": 201},
}

_days = itertools.count()  # each call's activity on a day of its own, so no day reaches 24 hours


def _activity(world, org):
    from fourfirsts.volunteering import services
    from fourfirsts.volunteering.models import ActivityKind
    from tests.conftest import SYSTEM
    from tests.volunteering.conftest import seed_activity_kinds

    seed_activity_kinds()  # a browser test on this worker may have flushed the seeded kinds
    held = date(2022, 1, 1) + timedelta(days=next(_days) % 1000)
    return services.activity_save(actor=SYSTEM, values={
        "kind": ActivityKind.objects.get(ref=ActivityKind.CIVILITY), "title": "文明交通劝导", "party_org": org,
        "held_on": held})


def _project(world):
    from fourfirsts.volunteering import services
    from fourfirsts.volunteering.models import Pairing, Project, Village
    from tests.conftest import SYSTEM

    place = {"name": "石井村", "province": "湖南省", "city": "娄底市", "county": "新化县", "township": "琅塘镇"}
    village = Village.objects.filter(**place).first() or services.village_save(actor=SYSTEM, values=place)
    pairing = services.pairing_save(actor=SYSTEM, values={
        "village": village, "way": Pairing.Way.ENTERPRISE, "association": world.assoc_a, "enterprise": world.ent_a,
        "paired_on": date(2021, 3, 1)})
    return services.project_save(actor=SYSTEM, values={
        "pairing": pairing, "name": "油茶种植基地", "klass": Project.Klass.BUSINESS, "tag": Project.Tag.INDUSTRY,
        "starts_on": date(2021, 4, 1)})


def request_for(key, world, cast, who):
    from fourfirsts.core.actors import Actor
    from fourfirsts.volunteering import services

    method, path = key
    if path == "/volunteering/activities/{activity_id}":
        return {"activity_id": _activity(world, world.org_a).pk}, {}, None
    if key == ("POST", "/volunteering/hours"):
        org = world.org_b if who == "secretary_b" else world.org_a
        return {}, {}, {"activity": _activity(world, org).pk, "hours": "2", "note": "路口劝导"}
    if "{participation_id}" in path:
        row = services.participation_report(actor=Actor.of(cast.member_a), activity=_activity(world, world.org_a),
                                            hours=Decimal(2))
        return {"participation_id": row.pk}, {}, {"reason": "当天未到场"} if path.endswith("reject") else None
    if "{project_id}" in path:
        params = {"project_id": _project(world).pk}
        if method == "PATCH":
            return params, {}, {"status": "completed", "progress": "基地已投产", "jobs_fixed": 12, "households": 40}
        if method == "POST":
            return params, {}, {"paid_on": "2021-05-01", "amount": "50000.00", "note": "首期"}
        return params, {}, None
    return {}, {}, None
