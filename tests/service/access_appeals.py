"""Access expectations of the service app's appeals pages (merged into
tests/test_access_matrix.py).

The record is appeal A: enterprise A (association A), collected by member A,
assigned to the handler's department. B's secretary gets a 404 (never a 403
that confirms it exists); the admins have no appeal pages at all (403)."""

from datetime import datetime

from fourfirsts.core.actors import Actor
from fourfirsts.core.workdays import SHANGHAI
from tests.access_codes import ADMINS, DOMAIN, every, only, roles

NO_APPEALS = dict.fromkeys(ADMINS, 403)
A_READ = only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, "member_a": 200,
               "handler": 200, **NO_APPEALS}, 404)
POST_ONLY = every(405)

EXPECT: dict[str, dict[str, int]] = {
    "service:appeal_list": roles(200, DOMAIN, 403),
    "service:appeal_create": roles(200, ["committee", "instructor", "secretary_a", "secretary_b"], 403),
    "service:on_site": roles(200, ["committee", "leader"], 403),
    "service:inbox": roles(200, ["committee", "handler"], 403),
    "service:appeal_detail": A_READ,
    "service:appeal_act": POST_ONLY,
    "service:appeal_phone": POST_ONLY,
    "service:link_create": POST_ONLY,
    "service:link_revoke": POST_ONLY,
    # The department's signed link needs no account: whoever holds it sees the one appeal.
    "service:department_link": every(200, anonymous=200),
    "service:department_link_file": every(200, anonymous=200),
}


def appeal_a(world):
    from fourfirsts.service.models import Appeal
    from fourfirsts.service.services import appeals

    system = Actor.system("测试")
    when = datetime(2022, 10, 17, 10, tzinfo=SHANGHAI)
    appeal = appeals.appeal_create(actor=system, values={
        "enterprise": world.ent_a, "collected_by": world.member_a, "channel": Appeal.Channel.VISIT,
        "category": Appeal.Category.LOGISTICS, "kind": Appeal.Kind.COORDINATION, "title": "货车通行证办理难",
        "collected_at": datetime(2022, 9, 30, 10, tzinfo=SHANGHAI), "contact_phone": "13700001111",
        "contact_consent": True})
    appeals.appeal_accept(appeal=appeal, actor=system, at=when)
    appeals.appeal_assign(appeal=appeal, department=world.department, actor=system, at=when)
    return appeal


def kwargs_for(name, world, cast):
    from fourfirsts.service.services import links

    appeal = appeal_a(world)
    if name == "service:department_link":
        __, token = links.link_create(appeal=appeal, actor=Actor.system("测试"))
        return {"token": token}
    if name == "service:department_link_file":
        from django.core.files.uploadedfile import SimpleUploadedFile

        from fourfirsts.core import attachments

        __, token = links.link_create(appeal=appeal, actor=Actor.system("测试"))
        att = attachments.attach(owner=appeal, upload=SimpleUploadedFile("现场照片.pdf", b"%PDF-1.4 x"),
                                 actor=Actor.system("测试"))
        return {"token": token, "file_token": att.token}
    if name == "service:link_revoke":
        link, __ = links.link_create(appeal=appeal, actor=Actor.system("测试"))
        return {"pk": appeal.pk, "link_pk": link.pk}
    return {"pk": appeal.pk}
