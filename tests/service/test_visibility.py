"""Who sees which appeals, and the enterprises a handler sees through them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from fourfirsts.core.access import scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.registry.models import Enterprise
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals as services
from tests.service.conftest import at


@pytest.fixture
def two(cast, world, new_appeal, advance):
    a = advance(new_appeal(enterprise=world.ent_a, collected_by=world.member_a, title="A"), "assigned")
    b = new_appeal(enterprise=world.ent_b, title="B")
    b = advance(b, "accepted")
    services.appeal_assign(appeal=b, department=world.other_department, actor=Actor.of(cast.committee), at=at(2022, 10, 17))
    return a, b


EXPECTED = {
    "committee": {"A", "B"},
    "leader": {"A", "B"},
    "instructor": {"A"},
    "secretary_a": {"A"},
    "secretary_b": {"B"},
    "member_a": {"A"},
    "handler": {"A"},
    "sysadmin": set(),
    "secadmin": set(),
    "auditadmin": set(),
    "anonymous": set(),
}


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_visible_to_each_cast_member(who, cast, two, django_assert_num_queries):
    user = cast.all()[who]
    scope_of(user)  # computed once per request, before the list
    with django_assert_num_queries(0 if not EXPECTED[who] and scope_of(user).is_empty else 1):
        rows = list(Appeal.objects.visible_to(user).select_related("enterprise", "department"))
        titles = {r.title for r in rows}
        [(r.enterprise.name, r.department and r.department.name) for r in rows]
    assert titles == EXPECTED[who]


@pytest.mark.parametrize("who", sorted(EXPECTED))
def test_get_appeal_for_user(who, cast, two):
    user = cast.all()[who]
    a, _b = two
    if "A" in EXPECTED[who]:
        assert services.get_appeal_for_user(user, a.pk) == a
    else:
        with pytest.raises(Http404):
            services.get_appeal_for_user(user, a.pk)
    if who in ("committee", "leader", "handler"):
        assert services.get_appeal_for_user(user, a.pk, write=True) == a
    elif "A" in EXPECTED[who]:  # may read, may not act: a 403
        with pytest.raises(PermissionDenied):
            services.get_appeal_for_user(user, a.pk, write=True)
    else:  # outside the scope: a 404, never confirming it exists
        with pytest.raises(Http404):
            services.get_appeal_for_user(user, a.pk, write=True)


def test_a_handler_sees_the_enterprises_of_their_appeals(cast, world, two, handler_other):
    assert set(Enterprise.objects.visible_to(cast.handler)) == {world.ent_a}
    assert set(Enterprise.objects.visible_to(handler_other)) == {world.ent_b}


def test_a_handler_of_another_department_cannot_fetch_for_writing(cast, two, handler_other):
    a, b = two
    with pytest.raises(Http404):
        services.get_appeal_for_user(handler_other, a.pk, write=True)
    assert services.get_appeal_for_user(handler_other, b.pk, write=True) == b
