"""Signed department links: the committee makes one for an assigned appeal
(the raw token shown once, only its SHA-256 stored), lists and revokes them;
the department opens /service/d/<token>/ without an account and signs,
handles, asks for an extension, returns or replies — for that appeal only,
while the link is valid."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from fourfirsts.core.actors import Actor
from fourfirsts.core.models import SecurityEvent
from fourfirsts.core.workflow import WorkflowError
from fourfirsts.service.models import Appeal, DepartmentLink
from fourfirsts.service.services import appeals as services
from fourfirsts.service.services import links
from fourfirsts.service.workflow import APPEAL_WORKFLOW
from tests.service.conftest import do

SYSTEM = Actor.system("测试")


@pytest.fixture
def assigned(world, cast, new_appeal, advance):
    return advance(new_appeal(title="货车通行证办理难"), "assigned")


@pytest.fixture
def link_of(cast):
    def make(appeal):
        return links.link_create(appeal=appeal, actor=Actor.of(cast.committee))

    return make


def post(client, token, appeal, action, **data):
    appeal = Appeal.objects.get(pk=appeal.pk)
    return client.post(reverse("service:department_link", args=[token]), {
        "action": action, "appeal": appeal.pk, "seen_state": appeal.state,
        "seen_updated": appeal.updated_at.isoformat(), **data})


def test_the_committee_makes_a_link_shown_once_and_stores_only_its_hash(cast, assigned, client_for):
    client = client_for(cast.committee)
    response = client.post(reverse("service:link_create", args=[assigned.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    url = re.search(r'value="(http://testserver/service/d/([^/"]+)/)"', page)
    token = url.group(2)
    link = DepartmentLink.objects.get()
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in link.token_hash and (link.appeal, link.department) == (assigned, assigned.department)
    assert abs(link.expires_at - (link.created_at + timedelta(days=15))) < timedelta(seconds=5)
    # Listed on the appeal page afterwards, without the token.
    page = client.get(reverse("service:appeal_detail", args=[assigned.pk])).content.decode()
    assert "娄底市交通运输局 · 生成于" in page and token not in page


@pytest.mark.parametrize("who", ["leader", "instructor", "secretary_a", "member_a", "handler"])
def test_only_the_committee_makes_or_revokes_links(who, cast, assigned, link_of, client_for):
    link, __ = link_of(assigned)
    client = client_for(getattr(cast, who))
    assert client.post(reverse("service:link_create", args=[assigned.pk])).status_code == 403
    assert client.post(reverse("service:link_revoke", args=[assigned.pk, link.pk])).status_code == 403
    link.refresh_from_db()
    assert link.revoked_at is None and DepartmentLink.objects.count() == 1


def test_no_link_before_assignment(cast, new_appeal, client_for):
    appeal = new_appeal()
    response = client_for(cast.committee).post(reverse("service:link_create", args=[appeal.pk]), follow=True)
    assert "只有已交办、尚在承办单位办理中的诉求可以生成办理链接（当前状态：已收集）" in response.content.decode()
    assert not DepartmentLink.objects.exists()


def test_the_department_acts_through_the_link_without_an_account(cast, world, assigned, link_of, client,
                                                                 client_for):
    link, token = link_of(assigned)
    url = reverse("service:department_link", args=[token])
    # No menu even for someone signed in who opens it.
    assert 'id="menu"' not in client_for(cast.committee).get(url).content.decode()
    client.logout()
    page = client.get(url).content.decode()
    assert "货车通行证办理难" in page and 'id="menu"' not in page
    assert set(re.findall(r'id="action-([a-z_]+)"', page)) == {"sign", "return"}
    steps = [("sign", {}), ("handle", {"note": "已联系企业"}),
             ("request_extension", {"days": 3, "reason": "需要省厅协调"})]
    for action, data in steps:
        assert post(client, token, assigned, action, **data).status_code == 302
    assigned.refresh_from_db()
    do("approve_extension", assigned, Actor.of(cast.committee), world)
    assert post(client, token, assigned, "reply", reply="通行证已办结").status_code == 302
    assigned.refresh_from_db()
    assert (assigned.state, assigned.reply, assigned.extension_days) == ("replied", "通行证已办结", 3)
    events = list(APPEAL_WORKFLOW.events(assigned).filter(actor_kind="signed_link"))
    assert [e.action for e in events] == ["sign", "handle", "request_extension", "reply"]
    assert {e.actor_label for e in events} == {"市交通局（办理链接）"}
    link.refresh_from_db()
    assert link.last_used_at is not None
    # Replied: nothing left for the department.
    assert 'id="no-actions"' in client.get(url).content.decode()


def test_a_return_through_the_link_needs_reason_and_basis(assigned, link_of, client):
    __, token = link_of(assigned)
    response = post(client, token, assigned, "return", reason="不属于本单位职责", basis="")
    assert "请填写退回依据" in response.content.decode() and "不属于本单位职责" in response.content.decode()
    response = post(client, token, assigned, "return", reason="不属于本单位职责", basis="三定方案")
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert (assigned.state, assigned.return_basis) == ("returned", "三定方案")


def test_the_link_cannot_do_the_committees_steps(assigned, link_of, client):
    __, token = link_of(assigned)
    for action in ("accept", "approve_extension", "rate", "close", "reassign"):
        assert post(client, token, assigned, action).status_code == 400
    assigned.refresh_from_db()
    assert assigned.state == "assigned"


def test_a_link_is_good_for_its_own_appeal_only(cast, world, assigned, new_appeal, advance, link_of, client):
    other = advance(new_appeal(title="用地指标协调"), "assigned")
    __, token = link_of(assigned)
    page = client.get(reverse("service:department_link", args=[token])).content.decode()
    assert "用地指标协调" not in page
    response = client.post(reverse("service:department_link", args=[token]), {
        "action": "sign", "appeal": other.pk, "seen_state": "assigned", "seen_updated": other.updated_at.isoformat()})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.state == "assigned"
    # Nor through the services directly.
    link = DepartmentLink.objects.get()
    with pytest.raises(WorkflowError, match="此办理链接不能用于该诉求的“签收”"):
        services.appeal_sign(appeal=other, actor=links.actor_for(link), link=link)
    with pytest.raises(WorkflowError):
        services.appeal_sign(appeal=other, actor=links.actor_for(link))


def test_after_reassignment_to_another_department_the_old_link_stops(cast, world, assigned, link_of, client):
    __, token = link_of(assigned)
    do("return", assigned, Actor.of(cast.handler), world)
    services.appeal_reassign(appeal=assigned, department=world.other_department, actor=Actor.of(cast.committee))
    response = post(client, token, assigned, "sign")
    assert response.status_code == 410
    assert "该诉求已不由贵单位办理" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == "assigned"
    # Nor can the old department still read it (the new department's timeline, the phone).
    page = client.get(reverse("service:department_link", args=[token]))
    assert page.status_code == 410 and assigned.title not in page.content.decode()


def test_expired_revoked_and_unknown_links(cast, assigned, link_of, client, client_for):
    link, token = link_of(assigned)
    url = reverse("service:department_link", args=[token])
    with time_machine.travel(timezone.now() + timedelta(days=16)):
        response = client.get(url)
        assert response.status_code == 410
        assert "该办理链接已于" in response.content.decode() and "过期" in response.content.decode()
        assert post(client, token, assigned, "sign").status_code == 410
    unknown = client.get(reverse("service:department_link", args=["not-a-token"]))
    assert unknown.status_code == 404 and "办理链接无效" in unknown.content.decode()
    committee = client_for(cast.committee)
    assert committee.post(reverse("service:link_revoke", args=[assigned.pk, link.pk])).status_code == 302
    client.logout()
    response = client.get(url)
    assert response.status_code == 410 and "该办理链接已被撤销" in response.content.decode()
    assigned.refresh_from_db()
    assert assigned.state == "assigned"
    page = client_for(cast.committee).get(reverse("service:appeal_detail", args=[assigned.pk])).content.decode()
    assert "已撤销" in page


def test_the_link_shows_the_phone_on_request_when_the_enterprise_consented(world, cast, advance, link_of, client):
    appeal = services.appeal_create(actor=SYSTEM, values={
        "enterprise": world.ent_a, "channel": "business_code", "category": "tax", "kind": "report",
        "title": "发票额度不足", "collected_at": timezone.now(), "contact_name": "刘会计",
        "contact_phone": "13755556666", "contact_consent": True})
    advance(appeal, "assigned")
    __, token = link_of(appeal)
    url = reverse("service:department_link", args=[token])
    assert "137****6666" in client.get(url).content.decode()
    response = client.post(url, {"action": "reveal_phone", "appeal": appeal.pk})
    assert "13755556666" in response.content.decode()
    event = SecurityEvent.objects.get(kind="unmasked_view")
    assert (event.username, event.target, event.detail["field"]) == ("市交通局（办理链接）", appeal.ref, "contact_phone")


def test_the_link_page_conflict_keeps_the_text(cast, world, assigned, link_of, client):
    __, token = link_of(assigned)
    seen = Appeal.objects.get(pk=assigned.pk)
    do("sign", assigned, Actor.of(cast.handler), world)
    response = client.post(reverse("service:department_link", args=[token]), {
        "action": "sign", "appeal": assigned.pk, "seen_state": seen.state,
        "seen_updated": seen.updated_at.isoformat(), "note": "收到，马上办"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "该诉求已被他人处理为“已签收”，您的操作未执行" in page and "收到，马上办" in page


def test_the_link_page_queries_do_not_grow(cast, world, assigned, link_of, client, django_assert_max_num_queries):
    __, token = link_of(assigned)
    url = reverse("service:department_link", args=[token])
    client.get(url)
    with django_assert_max_num_queries(12):
        client.get(url)


def test_the_department_reads_the_appeals_files_and_no_other(assigned, new_appeal, link_of, client, settings,
                                                             tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fourfirsts.core import attachments

    settings.MEDIA_ROOT = tmp_path
    system = Actor.system("测试")
    own = attachments.attach(owner=assigned, upload=SimpleUploadedFile("证明.pdf", b"%PDF-1.4 own"), actor=system)
    other = attachments.attach(owner=new_appeal(title="别的诉求"),
                               upload=SimpleUploadedFile("别人的.pdf", b"%PDF-1.4 other"), actor=system)
    __, token = link_of(assigned)
    page = client.get(reverse("service:department_link", args=[token])).content.decode()
    assert "证明.pdf" in page and "别人的.pdf" not in page
    got = client.get(reverse("service:department_link_file", args=[token, own.token]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 own"
    assert client.get(reverse("service:department_link_file", args=[token, other.token])).status_code == 404
