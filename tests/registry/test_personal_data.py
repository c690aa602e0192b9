"""身份证 and phone numbers on the registry pages: masked unless the user may
see them, and every full view written to the security log."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from fourfirsts.accounts.models import User
from fourfirsts.core.crypto import mask_id_number, mask_phone
from fourfirsts.core.models import SecurityEvent
from fourfirsts.registry import access
from fourfirsts.registry.models import Person

pytestmark = pytest.mark.django_db



def _pages(world):
    person = world.person_a.pk
    return [
        reverse("registry:person_list"),
        reverse("registry:person_list") + "?q=zah",
        reverse("registry:person_detail", args=[person]),
        reverse("registry:person_edit", args=[person]),
        reverse("registry:person_history", args=[person]),
        reverse("registry:party_org_detail", args=[world.org_a.pk]),
        reverse("registry:association_detail", args=[world.assoc_a.pk]),
    ]


def _grant_full_data(user) -> User:
    user.user_permissions.add(Permission.objects.get(codename="view_full_personal_data"))
    return User.objects.get(pk=user.pk)  # a fresh object: no cached permissions or scope


def test_full_id_number_never_in_html_without_permission(cast, world, client_for):
    full = world.person_a.id_number
    for user in (cast.committee, cast.leader, cast.secretary_a, cast.instructor):
        client = client_for(user)
        for url in _pages(world):
            response = client.get(url)
            if response.status_code == 200:
                assert full not in response.content.decode(), (user, url)
        # the unmasking POST is refused too
        response = client.post(reverse("registry:person_id_number", args=[world.person_a.pk]))
        assert response.status_code in (403, 404)
        assert full not in response.content.decode()
    assert not SecurityEvent.objects.filter(
        kind=SecurityEvent.Kind.UNMASKED_VIEW, detail__field="id_number"
    ).exists()


def test_detail_shows_the_masked_id_number(cast, world, client_for):
    html = (
        client_for(cast.committee)
        .get(reverse("registry:person_detail", args=[world.person_a.pk]))
        .content.decode()
    )
    assert mask_id_number(world.person_a.id_number) in html
    assert "查看完整号码" not in html  # no button without the permission


def test_permission_holder_sees_full_number_after_post_and_it_is_logged(cast, world, client_for):
    committee = _grant_full_data(cast.committee)
    client = client_for(committee)
    url = reverse("registry:person_detail", args=[world.person_a.pk])
    html = client.get(url).content.decode()
    assert "查看完整号码" in html
    assert world.person_a.id_number not in html  # still masked until asked

    response = client.post(reverse("registry:person_id_number", args=[world.person_a.pk]))
    assert response.status_code == 200
    assert world.person_a.id_number in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.UNMASKED_VIEW)
    assert (event.user, event.target, event.detail) == (
        committee,
        world.person_a.ref,
        {"field": "id_number"},
    )
    # a GET does not unmask
    assert (
        client.get(reverse("registry:person_id_number", args=[world.person_a.pk])).status_code
        == 405
    )


def test_permission_does_not_reach_outside_scope(cast, world, client_for):
    secretary_b = _grant_full_data(cast.secretary_b)
    response = client_for(secretary_b).post(
        reverse("registry:person_id_number", args=[world.person_a.pk])
    )
    assert response.status_code == 404
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.UNMASKED_VIEW).exists()


def test_secretary_sees_own_members_phone_and_it_is_logged(cast, world, client_for):
    url = reverse("registry:person_detail", args=[world.member_a.pk])
    html = client_for(cast.secretary_a).get(url).content.decode()
    assert "13900002222" in html
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.UNMASKED_VIEW)
    assert (event.user, event.target, event.detail) == (
        cast.secretary_a,
        world.member_a.ref,
        {"field": "phone"},
    )
    # lists always mask
    html = client_for(cast.secretary_a).get(reverse("registry:person_list")).content.decode()
    assert "13900002222" not in html and mask_phone("13900002222") in html


def test_committee_sees_phone_masked_and_nothing_is_logged(cast, world, client_for):
    html = (
        client_for(cast.committee)
        .get(reverse("registry:person_detail", args=[world.member_a.pk]))
        .content.decode()
    )
    assert "13900002222" not in html and "139****2222" in html
    assert not SecurityEvent.objects.filter(kind=SecurityEvent.Kind.UNMASKED_VIEW).exists()


def test_phone_for_decides_once(cast, world):
    person = Person.objects.get(pk=world.member_a.pk)
    assert access.phone_for(cast.secretary_a, person) == ("13900002222", True)
    assert access.phone_for(cast.secretary_b, person) == ("139****2222", False)
    assert access.phone_for(cast.committee, person) == ("139****2222", False)
    assert access.full_phone_ids(cast.secretary_a, [world.member_a.pk, world.person_b.pk]) == {
        world.member_a.pk
    }


def test_editing_a_person_never_prefills_numbers_and_blank_keeps_them(cast, world, client_for):
    client = client_for(cast.committee)
    url = reverse("registry:person_edit", args=[world.person_a.pk])
    html = client.get(url).content.decode()
    assert world.person_a.id_number not in html and "13800001111" not in html
    response = client.post(
        url,
        {
            "name": "张安徽",
            "gender": "male",
            "birth_date": "1975-05-04",
            "is_entrepreneur": "on",
            "id_number": "",
            "phone": "",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=world.person_a.pk)
    assert person.id_number == world.person_a.id_number and person.phone == "13800001111"
    assert person.is_entrepreneur


def test_bad_id_number_is_reported_masked(cast, world, client_for):
    client = client_for(cast.committee)
    bad = world.person_a.id_number[:-1] + ("0" if world.person_a.id_number[-1] != "0" else "1")
    response = client.post(
        reverse("registry:person_create"),
        {"name": "测试人", "gender": "", "birth_date": "", "id_number": bad, "phone": ""},
    )
    html = response.content.decode()
    assert "身份证号码校验位不正确" in html
    assert not Person.objects.filter(name="测试人").exists()
    # the existing number taken by another person
    response = client.post(
        reverse("registry:person_create"),
        {
            "name": "测试人",
            "gender": "",
            "birth_date": "",
            "id_number": world.person_a.id_number,
            "phone": "",
        },
    )
    assert "该身份证号码已登记在另一人员名下" in response.content.decode()
    assert not Person.objects.filter(name="测试人").exists()
