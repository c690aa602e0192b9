"""Relief policies: the committee keeps them (industries checked against GB/T
4754 sections), everyone in the domain reads them, and notices record who
told which enterprise, when and how."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fourfirsts.core.actors import Actor
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import EnterpriseMembership
from fourfirsts.service.models import Policy, PolicyNotice
from fourfirsts.service.services import policies as services
from tests.conftest import _uscc

SYSTEM = Actor.system("测试")


def make_policy(title="关于支持民营经济高质量发展的若干措施", **values):
    return services.policy_save(actor=SYSTEM, values={
        "title": title, "issuer": values.pop("issuer", "娄底市人民政府"),
        "issued_on": values.pop("issued_on", date(2022, 3, 1)), **values})


def test_the_committee_adds_a_policy_and_industries_are_normalised(world, cast, client_for):
    response = client_for(cast.committee).post(reverse("service:policy_create"), {
        "title": "稳岗返还政策", "issuer": "娄底市人力资源和社会保障局", "document_number": "娄人社发〔2022〕8号",
        "issued_on": "2022-04-01", "effective_from": "2022-04-01", "effective_until": "2022-12-31",
        "industries": "c，f g", "summary": "中小微企业返还失业保险费"})
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = Policy.objects.get()
    assert policy.industries == "C,F,G"
    page = client_for(cast.handler).get(reverse("service:policy_detail", args=[policy.pk])).content.decode()
    assert "制造业" in page and "批发和零售业" in page and "娄人社发〔2022〕8号" in page


def test_a_wrong_industry_or_dates_are_refused_naming_the_field(world, cast, client_for):
    response = client_for(cast.committee).post(reverse("service:policy_create"), {
        "title": "稳岗返还政策", "issuer": "市人社局", "issued_on": "2022-04-01", "industries": "C,Z"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "适用行业“Z”不是国民经济行业门类字母" in page and "稳岗返还政策" in page
    assert not Policy.objects.exists()
    with pytest.raises(ValidationError) as e:
        make_policy(effective_from=date(2022, 5, 1), effective_until=date(2022, 4, 1))
    assert "effective_until" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        services.policy_save(actor=Actor.of(cast.secretary_a), values={
            "title": "x", "issuer": "y", "issued_on": date(2022, 1, 1)})


def test_the_policy_list_searches_and_filters(world, cast, client_for):
    make_policy("制造业技改补贴", document_number="娄工信发〔2022〕3号", industries="C",
                effective_from=date(2022, 1, 1), effective_until=date(2022, 12, 31))
    make_policy("物流降本十条", issuer="娄底市交通运输局", industries="G", effective_from=date(2023, 1, 1))
    make_policy("普惠金融支持", industries="")
    client = client_for(cast.member_a)
    url = reverse("service:policy_list")
    page = client.get(url, {"q": "娄工信发"}).content.decode()
    assert "制造业技改补贴" in page and "物流降本十条" not in page
    page = client.get(url, {"q": "交通运输局"}).content.decode()
    assert "物流降本十条" in page and "制造业技改补贴" not in page
    page = client.get(url, {"on": "2022-06-30"}).content.decode()
    assert "制造业技改补贴" in page and "普惠金融支持" in page and "物流降本十条" not in page
    page = client.get(url, {"industry": "G"}).content.decode()
    assert "物流降本十条" in page and "普惠金融支持" in page and "制造业技改补贴" not in page


def test_notices_by_role(world, cast, client_for):
    policy = make_policy()
    # A member records their own telling: told_by is the member.
    client = client_for(cast.member_a)
    response = client.post(reverse("service:policy_notice_create", args=[policy.pk]), {
        "enterprise": world.ent_b.pk, "told_on": "2022-03-10", "channel": "wechat", "note": "转发政策原文"})
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = PolicyNotice.objects.get()
    assert (notice.told_by, notice.enterprise, notice.channel) == (world.member_a, world.ent_b, "wechat")
    # The same enterprise, the same day: refused, input kept.
    response = client.post(reverse("service:policy_notice_create", args=[policy.pk]), {
        "enterprise": world.ent_b.pk, "told_on": "2022-03-10", "channel": "phone", "note": "电话再告知"})
    assert response.status_code == 200 and "已登记过" in response.content.decode()
    assert "电话再告知" in response.content.decode()
    # Before the policy was issued, or in the future: refused.
    with pytest.raises(ValidationError) as e:
        services.policy_notice_create(actor=Actor.of(cast.member_a), values={
            "policy": policy, "enterprise": world.ent_a, "told_by": world.member_a, "told_on": date(2022, 2, 1),
            "channel": "phone"})
    assert "told_on" in e.value.message_dict
    with pytest.raises(ValidationError):
        services.policy_notice_create(actor=Actor.of(cast.member_a), values={
            "policy": policy, "enterprise": world.ent_a, "told_by": world.member_a,
            "told_on": date.today() + timedelta(days=2), "channel": "phone"})
    # A member records only their own telling; secretary B not for A's enterprise.
    with pytest.raises(ValidationError) as e:
        services.policy_notice_create(actor=Actor.of(cast.member_a), values={
            "policy": policy, "enterprise": world.ent_a, "told_by": world.person_a, "told_on": date(2022, 3, 11),
            "channel": "phone"})
    assert "told_by" in e.value.message_dict
    with pytest.raises(ValidationError) as e:
        services.policy_notice_create(actor=Actor.of(cast.secretary_b), values={
            "policy": policy, "enterprise": world.ent_a, "told_by": world.person_b, "told_on": date(2022, 3, 11),
            "channel": "phone"})
    assert "enterprise" in e.value.message_dict
    with pytest.raises(PermissionDenied):
        services.policy_notice_create(actor=Actor.of(cast.leader), values={
            "policy": policy, "enterprise": world.ent_a, "told_on": date(2022, 3, 11), "channel": "phone"})
    # What each reads on the policy page.
    page = client_for(cast.secretary_b).get(reverse("service:policy_detail", args=[policy.pk])).content.decode()
    assert "娄底浙商物流有限公司" in page
    page = client_for(cast.secretary_a).get(reverse("service:policy_detail", args=[policy.pk])).content.decode()
    assert "娄底浙商物流有限公司" not in page


def test_a_bulk_notice_after_a_briefing_is_all_or_nothing(world, cast, client_for):
    policy = make_policy()
    second = reg.enterprise_save(actor=SYSTEM, values={"name": "安徽商会会员二号公司", "uscc": _uscc(501)})
    reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership,
                        values={"enterprise": second, "association": world.assoc_a, "since": date(2020, 1, 1)})
    client = client_for(cast.secretary_a)
    url = reverse("service:policy_notice_bulk", args=[policy.pk])
    page = client.get(url, {"association": world.assoc_a.pk}).content.decode()
    assert "湖南安徽建材有限公司" in page and "安徽商会会员二号公司" in page and "娄底浙商物流有限公司" not in page
    services.policy_notice_create(actor=SYSTEM, values={"policy": policy, "enterprise": second,
                                                        "told_on": date(2022, 3, 20), "channel": "meeting"})
    data = {"association": world.assoc_a.pk, "enterprises": [world.ent_a.pk, second.pk],
            "told_by": world.person_a.pk, "told_on": "2022-03-20", "channel": "meeting", "note": "政策宣讲会",
            "_save": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "安徽商会会员二号公司：" in response.content.decode()
    assert PolicyNotice.objects.count() == 1
    response = client.post(url, {**data, "told_on": "2022-03-21"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PolicyNotice.objects.filter(told_on=date(2022, 3, 21), told_by=world.person_a).count() == 2
    # Secretary B cannot list or tell A's enterprises.
    page = client_for(cast.secretary_b).get(url, {"association": world.assoc_a.pk}).content.decode()
    assert "湖南安徽建材有限公司" not in page


def test_policy_pages_make_the_same_queries_at_2_and_20_rows(world, cast, client_for,
                                                             django_assert_max_num_queries):
    client = client_for(cast.committee)
    target = make_policy("目标政策", issued_on=date(2021, 1, 1))
    client.get(reverse("service:policy_list"))  # the first request of a session does some once-only work
    counts = []
    for n, start in ((2, 0), (18, 2)):
        for i in range(start, start + n):
            make_policy(f"政策{i:02d}", industries="C", issued_on=date(2022, 1, 1) + timedelta(days=i))
            ent = reg.enterprise_save(actor=SYSTEM, values={"name": f"告知企业{i:02d}", "uscc": _uscc(600 + i)})
            services.policy_notice_create(actor=SYSTEM, values={
                "policy": target, "enterprise": ent, "told_on": date(2022, 3, 1), "channel": "sms"})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("service:policy_list")).status_code == 200
            assert client.get(reverse("service:policy_detail", args=[target.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    with django_assert_max_num_queries(12):
        client.get(reverse("service:policy_list"))
    with django_assert_max_num_queries(12):
        client.get(reverse("service:policy_detail", args=[target.pk]))
