"""Access expectations of the volunteering app's pages (merged into
tests/test_access_matrix.py).

The records are A's: an activity of org A, a village paired by association A
with a project, a donation organised by org A. B's secretary gets a 404
(never a 403 that confirms they exist); roles without these pages get a 403."""

from datetime import date
from decimal import Decimal

from tests.access_codes import ADMINS, DOMAIN, ORG_READERS, every, only, roles  # noqa: F401

READERS = [*ORG_READERS, "member_a"]
KEEPERS = ["committee", "secretary_a", "secretary_b"]
NO_PAGES = dict.fromkeys(["handler", *ADMINS], 403)
NO_ORG_PAGES = dict.fromkeys(["member_a", "handler", *ADMINS], 403)
A_READ = only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, "member_a": 200,
               **NO_PAGES}, 404)
A_WRITE = only({"committee": 200, "secretary_a": 200, "leader": 403, "instructor": 403, "member_a": 403,
                **NO_PAGES}, 404)
A_ORG_READ = only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, **NO_ORG_PAGES}, 404)
A_ORG_WRITE = only({"committee": 200, "secretary_a": 200, "leader": 403, "instructor": 403, **NO_ORG_PAGES}, 404)

EXPECT: dict[str, dict[str, int]] = {
    "volunteering:activity_list": roles(200, READERS, 403),
    "volunteering:activity_create": roles(200, KEEPERS, 403),
    "volunteering:activity_detail": A_READ,
    "volunteering:activity_edit": A_WRITE,
    "volunteering:my_hours": roles(200, READERS, 403),
    "volunteering:confirm_queue": roles(200, KEEPERS, 403),
    "volunteering:kind_list": roles(200, READERS, 403),
    "volunteering:village_list": roles(200, ORG_READERS, 403),
    "volunteering:village_create": roles(200, KEEPERS, 403),
    # Villages are places every org reader sees; keeping them is the committee's and the secretaries'.
    "volunteering:village_detail": roles(200, ORG_READERS, 403),
    # Keeping one is the committee's and that of the secretaries whose associations pair it.
    "volunteering:village_edit": roles(200, ["committee", "secretary_a"], 403),
    "volunteering:pairing_create": roles(200, KEEPERS, 403),
    "volunteering:pairing_edit": A_ORG_WRITE,
    "volunteering:project_create": A_ORG_WRITE,
    "volunteering:project_list": roles(200, ORG_READERS, 403),
    "volunteering:project_detail": A_ORG_READ,
    "volunteering:project_edit": A_ORG_WRITE,
    "volunteering:donation_list": roles(200, ORG_READERS, 403),
    "volunteering:donation_create": roles(200, KEEPERS, 403),
    "volunteering:donation_edit": A_ORG_WRITE,
}


def kwargs_for(name, world, cast):
    from fourfirsts.core.actors import Actor
    from fourfirsts.volunteering import services
    from fourfirsts.volunteering.models import ActivityKind, Donation, Pairing, Project
    from tests.volunteering.conftest import seed_activity_kinds

    seed_activity_kinds()  # a browser test on this worker may have flushed the seeded kinds
    system = Actor.system("测试")
    if name == "volunteering:project_list":
        return {}
    if name.startswith("volunteering:activity"):
        activity = services.activity_save(actor=system, values={
            "kind": ActivityKind.objects.get(ref=ActivityKind.CIVILITY), "title": "文明交通劝导",
            "party_org": world.org_a, "held_on": date(2022, 5, 10), "hours": Decimal(2)},
            participants=[world.member_a])
        return {"pk": activity.pk}
    if name == "volunteering:donation_edit":
        donation = services.donation_save(actor=system, values={
            "kind": Donation.Kind.EDUCATION, "donor_kind": Donation.DonorKind.ENTERPRISE,
            "donor_enterprise": world.ent_a, "recipient": "新化县某中学贫困学生12名", "amount": Decimal(20000),
            "donated_on": date(2022, 9, 1), "party_org": world.org_a})
        return {"pk": donation.pk}
    from fourfirsts.volunteering.models import Village

    place = {"name": "石井村", "province": "湖南省", "city": "娄底市", "county": "新化县", "township": "琅塘镇"}
    village = Village.objects.filter(**place).first() or services.village_save(actor=system, values=place)
    if name == "volunteering:village_edit":
        services.pairing_save(actor=system, values={
            "village": village, "way": Pairing.Way.ASSOCIATION, "association": world.assoc_a,
            "paired_on": date(2021, 3, 1)})
    if name in ("volunteering:village_detail", "volunteering:village_edit", "volunteering:pairing_create"):
        return {"pk": village.pk}
    pairing = services.pairing_save(actor=system, values={
        "village": village, "way": Pairing.Way.ENTERPRISE, "association": world.assoc_a, "enterprise": world.ent_a,
        "paired_on": date(2021, 3, 1)})
    if name in ("volunteering:pairing_edit", "volunteering:project_create"):
        return {"pk": pairing.pk}
    project = services.project_save(actor=system, values={
        "pairing": pairing, "name": "油茶种植基地", "klass": Project.Klass.BUSINESS, "tag": Project.Tag.INDUSTRY,
        "starts_on": date(2021, 4, 1)})
    return {"pk": project.pk}
