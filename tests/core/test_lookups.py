"""`__among`: the rows `__in` gives, sent as one parameter on PostgreSQL."""

import pytest
from django.db import connection

from fourfirsts.core.models import WorkdaySchedule


@pytest.fixture
def years(db):
    return [WorkdaySchedule.objects.create(year=y).pk for y in (2091, 2092, 2093, 2094)]


@pytest.mark.parametrize("picked", [[], [0], [0, 2], [0, 0, 3, None], [0, 1, 2, 3]])
def test_among_finds_what_in_finds(years, picked):
    ids = [years[i] if i is not None else None for i in picked]
    among = set(WorkdaySchedule.objects.filter(pk__among=ids).values_list("year", flat=True))
    assert among == set(WorkdaySchedule.objects.filter(pk__in=ids).values_list("year", flat=True))
    assert among == {2091 + i for i in picked if i is not None}


def test_a_long_list_is_one_parameter_on_postgresql(years):
    ids = [*years, *range(10**9, 10**9 + 5000)]
    sql, params = WorkdaySchedule.objects.filter(pk__among=ids).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and len(params) == 1
    else:
        assert len(params) == len(ids)
    assert WorkdaySchedule.objects.filter(pk__among=ids).count() == 4


def test_among_takes_values_not_a_subquery(years):
    with pytest.raises(TypeError, match="__among"):
        list(WorkdaySchedule.objects.filter(pk__among=WorkdaySchedule.objects.values("pk")))


@pytest.mark.django_db
def test_a_foreign_key_takes_ids_or_records():
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    first, second = ContentType.objects.order_by("pk")[:2]
    by_in = set(Permission.objects.filter(content_type__in=[first, second]).values_list("pk", flat=True))
    assert by_in  # Django's own models have permissions
    assert set(Permission.objects.filter(content_type__among=[first, second.pk]).values_list("pk", flat=True)) == by_in
    assert set(Permission.objects.filter(content_type_id__among=[first.pk, second.pk])
               .values_list("pk", flat=True)) == by_in
