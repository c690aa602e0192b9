"""Access expectations of the service app's policy pages (merged into
tests/test_access_matrix.py)."""

from datetime import date

from tests.access_codes import ADMINS, DOMAIN, ORG_READERS, every, only, roles  # noqa: F401

NOTICE_WRITERS = ["committee", "secretary_a", "secretary_b", "member_a"]

EXPECT: dict[str, dict[str, int]] = {
    "service:policy_list": roles(200, DOMAIN, 403),
    "service:policy_create": roles(200, ["committee"], 403),
    "service:policy_detail": roles(200, DOMAIN, 403),
    "service:policy_edit": roles(200, ["committee"], 403),
    "service:policy_notice_create": roles(200, NOTICE_WRITERS, 403),
    "service:policy_notice_bulk": roles(200, NOTICE_WRITERS, 403),
}


def kwargs_for(name, world, cast):
    from fourfirsts.core.actors import Actor
    from fourfirsts.service.services import policies

    if name in ("service:policy_list", "service:policy_create"):
        return {}
    policy = policies.policy_save(actor=Actor.system(), values={
        "title": "关于支持民营经济高质量发展的若干措施", "issuer": "娄底市人民政府",
        "document_number": "娄政发〔2022〕5号", "issued_on": date(2022, 3, 1), "industries": "C,F"})
    return {"pk": policy.pk}
