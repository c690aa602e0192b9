"""The registry through the API: what each role sees, masking as on the
pages, the list filters, cursor paging and sync with tombstones."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from fourfirsts.core.models import SecurityEvent
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import (
    AssociationStatus,
    Enterprise,
    EnterpriseMembership,
    PartyMembership,
)
from tests.conftest import SYSTEM, _uscc, make_association, make_person

pytestmark = pytest.mark.django_db


def names(response):
    assert response.status_code == 200, response.content
    return sorted(item["name"] for item in response.json()["items"])


# --- scope and roles -----------------------------------------------------------------------------


def test_a_secretary_lists_only_their_own_association_and_gets_404_for_another(api, cast, world):
    assert names(api(cast.committee).get("/registry/associations")) == sorted(
        [world.assoc_a.name, world.assoc_b.name, world.assoc_c.name])
    assert names(api(cast.secretary_a).get("/registry/associations")) == [world.assoc_a.name]
    response = api(cast.secretary_a).get(f"/registry/associations/{world.assoc_b.pk}")
    assert response.status_code == 404
    assert "商协会不存在或不在您的范围内" in response.json()["error"]["message"]


def test_each_list_holds_what_the_pages_show_the_secretary(api, cast, world):
    secretary = api(cast.secretary_a)
    assert names(secretary.get("/registry/party-orgs")) == [world.org_a.name]
    assert names(secretary.get("/registry/enterprises")) == [world.ent_a.name]
    assert names(secretary.get("/registry/people")) == sorted([world.person_a.name, world.member_a.name])


def test_roles_without_registry_pages_get_403_with_the_pages_message(api, cast, world):
    for user in (cast.member_a, cast.handler, cast.sysadmin):
        response = api(user).get("/registry/people")
        assert response.status_code == 403
        assert response.json()["error"]["message"] == "您的角色无权访问此页面"


# --- masking ----------------------------------------------------------------------------------


def test_lists_mask_every_phone(api, cast, world):
    people = api(cast.secretary_a).get("/registry/people").json()["items"]
    assert {p["name"]: p["phone"] for p in people} == {"张安徽": "138****1111", "王会员": "139****2222"}
    assert "id_number" not in people[0]
    enterprises = api(cast.committee).get("/registry/enterprises").json()["items"]
    assert {e["name"]: e["contact_phone"] for e in enterprises}[world.ent_a.name] == "138****5678"


def test_a_secretary_sees_their_members_phone_in_full_and_the_view_is_logged(api, cast, world):
    body = api(cast.secretary_a).get(f"/registry/people/{world.member_a.pk}").json()
    assert (body["phone"], body["phone_full"]) == ("13900002222", True)
    assert body["id_number"].startswith("431") and body["id_number"].count("*") == 11
    assert SecurityEvent.objects.filter(kind="unmasked_view", user=cast.secretary_a, target=world.member_a.ref,
                                        detail__field="phone").count() == 1


def test_others_see_the_phone_masked_and_nothing_is_logged(api, cast, world):
    for user in (cast.committee, cast.leader, cast.instructor):
        body = api(user).get(f"/registry/people/{world.member_a.pk}").json()
        assert (body["phone"], body["phone_full"]) == ("139****2222", False)
    assert not SecurityEvent.objects.filter(kind="unmasked_view").exists()


def test_the_id_number_is_masked_even_for_holders_of_the_full_data_permission(api, cast, world):
    cast.committee.user_permissions.add(Permission.objects.get(codename="view_full_personal_data"))
    body = api(cast.committee).get(f"/registry/people/{world.person_a.pk}").json()
    assert body["id_number"] == "430" + "*" * 11 + world.person_a.id_number[-4:]
    assert body["id_number"] != world.person_a.id_number


def test_an_enterprise_contact_phone_is_full_only_for_those_who_keep_the_record(api, cast, world):
    for user, shown in ((cast.committee, "13812345678"), (cast.secretary_a, "13812345678"),
                        (cast.instructor, "138****5678"), (cast.leader, "138****5678")):
        body = api(user).get(f"/registry/enterprises/{world.ent_a.pk}").json()
        assert (body["contact_phone"], body["contact_phone_full"]) == (shown, shown == "13812345678")
    assert [m["association_name"] for m in body["memberships"]] == [world.assoc_a.name]


# --- filters ------------------------------------------------------------------------------------


def test_associations_filter_by_todays_status_kind_and_name(api, cast, world):
    reg.association_status_set(actor=SYSTEM, association=world.assoc_c,
                               status=AssociationStatus.Status.DEREGISTERED, since=date(2021, 1, 1))
    committee = api(cast.committee)
    assert names(committee.get("/registry/associations", status="deregistered")) == [world.assoc_c.name]
    assert names(committee.get("/registry/associations", status="active")) == sorted(
        [world.assoc_a.name, world.assoc_b.name])
    assert names(committee.get("/registry/associations", kind="industry")) == []
    assert names(committee.get("/registry/associations", q="浙江")) == [world.assoc_b.name]
    detail = committee.get(f"/registry/associations/{world.assoc_c.pk}").json()
    assert (detail["status"], detail["status_label"]) == ("deregistered", "注销")
    assert [s["status"] for s in detail["statuses"]] == ["deregistered", "active"]


def test_enterprises_filter_by_association_industry_and_size(api, cast, world):
    committee = api(cast.committee)
    assert names(committee.get("/registry/enterprises", association=world.assoc_b.pk)) == [world.ent_b.name]
    assert names(committee.get("/registry/enterprises", industry="C")) == [world.ent_a.name]
    assert names(committee.get("/registry/enterprises", size="small")) == [world.ent_a.name]


def test_party_orgs_and_people_filter_by_kind_parent_and_org(api, cast, world):
    committee = api(cast.committee)
    assert names(committee.get("/registry/party-orgs", kind="party_committee")) == [world.committee_org.name]
    assert names(committee.get("/registry/party-orgs", parent=world.committee_org.pk)) == sorted(
        [world.org_a.name, world.org_b.name])
    assert names(committee.get("/registry/people", party_org=world.org_b.pk)) == [world.person_b.name]
    org = committee.get(f"/registry/party-orgs/{world.org_a.pk}").json()
    assert (org["parent_name"], [c["association_name"] for c in org["coverages"]]) == (
        world.committee_org.name, [world.assoc_a.name])


def test_a_filter_value_that_does_not_exist_is_a_400_naming_the_field(api, cast, world):
    response = api(cast.committee).get("/registry/associations", status="closed")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"status": ["不是允许的取值"]}
    response = api(cast.committee).get("/registry/people", party_org="甲")
    assert response.json()["error"]["fields"] == {"party_org": ["应为整数"]}


# --- paging and sync ----------------------------------------------------------------------------


def test_the_cursor_walks_every_visible_record_once(api, cast, world):
    for n in range(5):
        make_association(f"娄底市第{n}商会")
    seen, cursor = [], None
    for _page in range(10):
        query = {"limit": 3, **({"cursor": cursor} if cursor else {})}
        body = api(cast.committee).get("/registry/associations", **query).json()
        seen += [item["id"] for item in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == 8 and len(set(seen)) == 8
    bad = api(cast.committee).get("/registry/associations", cursor="不是游标")
    assert bad.status_code == 400


def test_updated_since_returns_what_changed_and_the_tombstones_of_what_was_deleted(api, cast, world):
    doomed = reg.enterprise_save(actor=SYSTEM, values={"name": "将注销的企业", "uscc": _uscc(9)})
    doomed_id = doomed.pk
    since = timezone.now()
    reg.enterprise_save(actor=SYSTEM, values={"contact_name": "刘经理"}, enterprise=world.ent_b)
    reg.record_delete(actor=SYSTEM, obj=doomed)
    body = api(cast.committee).get("/registry/enterprises", updated_since=since.isoformat()).json()
    assert [item["name"] for item in body["items"]] == [world.ent_b.name]
    assert [(d["id"], d["ref"]) for d in body["deleted"]] == [(str(doomed_id), doomed.ref)]
    assert not Enterprise.objects.filter(pk=doomed_id).exists()
    # Out of reach of a scope check, a deleted record's 编号 goes to federation-wide readers alone.
    body = api(cast.secretary_a).get("/registry/enterprises", updated_since=since.isoformat()).json()
    assert [(d["id"], d["ref"]) for d in body["deleted"]] == [(str(doomed_id), "")]


# --- query counts ------------------------------------------------------------------------------


def _grow(world, n):
    """n more people in org A and n more enterprises of association A, each with a phone."""
    for i in range(n):
        person = make_person(f"党员{i}", phone=f"1370000{i:04d}")
        reg.dated_link_save(actor=SYSTEM, model=PartyMembership,
                            values={"person": person, "party_org": world.org_a, "since": date(2020, 1, 1)})
        ent = reg.enterprise_save(actor=SYSTEM, values={"name": f"企业{i}", "uscc": _uscc(100 + i),
                                                        "contact_phone": "13912345678"})
        reg.dated_link_save(actor=SYSTEM, model=EnterpriseMembership,
                            values={"enterprise": ent, "association": world.assoc_a, "since": date(2020, 1, 1)})
        make_association(f"新商会{i}")
        reg.party_org_save(actor=SYSTEM, values={"name": f"新支部{i}", "kind": "branch",
                                                 "parent": world.committee_org, "established_on": date(2020, 1, 1)})


@pytest.mark.parametrize("rows", [2, 20])
@pytest.mark.parametrize("path", ["/registry/associations", "/registry/party-orgs", "/registry/enterprises",
                                  "/registry/people"])
def test_a_list_costs_the_same_queries_at_2_and_at_20_rows(api, cast, world, django_assert_max_num_queries,
                                                             rows, path):
    _grow(world, rows)
    # The secretary's own scope where it grows with the rows; the committee's elsewhere.
    # (token, scope, list, tombstones; a secretary's scope costs two more).
    secretary = path in ("/registry/enterprises", "/registry/people")
    caller = api(cast.secretary_a if secretary else cast.committee)
    caller.get(path)  # the token's first use writes last_used_at
    with django_assert_max_num_queries(8 if secretary else 6):
        response = caller.get(path, updated_since="2000-01-01T00:00:00+08:00")
    assert len(response.json()["items"]) >= rows
