"""The benchmark data generator (fourfirsts/bench/generate.py): city scale
written into the empty test database is valid for every figure and page,
refuses a database that already holds data, and is the same for the same seed."""

import io
import random
from datetime import date, datetime, timedelta

import pytest

from fourfirsts.accounts.models import User
from fourfirsts.bench import gen_base, gen_names, gen_registry, generate
from fourfirsts.core import figures, searchkeys, workdays
from fourfirsts.registry.models import Association
from fourfirsts.service.models import Appeal
from fourfirsts.volunteering.models import ActivityKind

TODAY = gen_base.REFERENCE_DAY + timedelta(days=1)  # the day after the data's last day, whatever today is


@pytest.mark.django_db(transaction=False)
def test_city_scale_fills_an_empty_database_that_every_figure_and_page_can_read(client_for):
    ActivityKind.objects.all().delete()  # as `flush` leaves it: the data migration's kinds are gone too
    out = io.StringIO()
    rows = generate.generate(scale="city", seed=7, out=out)

    assert ActivityKind.objects.filter(ref=ActivityKind.CIVILITY).exists()  # put back before the activities
    assert 90 <= rows["registry.Association"] <= 110
    assert rows["service.Appeal"] > 2_500  # about 600 a year over five years
    assert "完成" in out.getvalue() and "agenda.Attendance" in out.getvalue()

    # A second run refuses: the database is no longer empty, and it says what holds rows.
    with pytest.raises(generate.NotEmpty, match="商协会"):
        generate.generate(scale="city", seed=7, out=io.StringIO())

    # The same seed gives the same rows, without writing; another seed other ones.
    again = generate.digests("city", seed=7)
    for model in (Association, Appeal):
        assert again[model._meta.label] == generate.key_digest(model)
    assert generate.digests("city", seed=8)[Appeal._meta.label] != again[Appeal._meta.label]

    # Every figure computes for each of the five years; the main ones count something.
    results = {(f.id, year): f.evaluate(None, year, TODAY).value
               for year in gen_base.YEARS for f in figures.all_figures()}
    last = gen_base.LAST_FULL_YEAR
    assert [fid for fid in ("F01", "F05", "F06", "F08", "F12") if not results[(fid, last)] > 0] == []
    assert [year for year in gen_base.YEARS if not results[("F16", year)] > 0] == []

    committee = User.objects.get(username="committee")
    assert committee.check_password(generate.PASSWORD)
    client = client_for(committee)
    assert client.get("/reports/").status_code == 200
    assert client.get("/service/appeals/").status_code == 200
    assert client_for(User.objects.get(username="secretary")).get("/service/appeals/").status_code == 200


def test_generated_names_carry_the_search_keys_the_app_computes():
    world = gen_registry.World(generate.SCALES["city"], seed=3).build()
    samples = [a.parts for a in world.associations] + [o.parts for o in world.orgs] + [
        p.parts for p in world.people[:200]]
    wrong = [parts for parts in samples
             if gen_names.keys(parts)["search_key"] != searchkeys.search_key("".join(parts))]
    assert wrong == []
    # Sort keys are built part by part: only a phrase across two parts can read otherwise.
    differ = [parts for parts in samples if gen_names.sort_key(parts) != searchkeys.sort_key("".join(parts))]
    assert len(differ) <= len(samples) // 10


def test_the_fast_calendar_counts_working_days_as_core_workdays_does():
    cal = gen_base.Calendar()
    rng = random.Random(5)
    for _ in range(300):
        day = date(2021, 1, 1) + timedelta(days=rng.randrange(5 * 365))
        later = day + timedelta(days=rng.randrange(60))
        n = rng.randrange(15)
        assigned = datetime(day.year, day.month, day.day, rng.randrange(24), tzinfo=workdays.SHANGHAI)
        assert cal.is_workday(day) == workdays.is_workday(day)
        assert cal.add(day, n) == workdays.add_workdays(day, n)
        assert cal.elapsed(day, later) == workdays.workdays_elapsed(day, later)
        assert cal.between(day, later) == workdays.workdays_between(day, later)
        assert cal.due_at(assigned, n) == workdays.due_at(assigned, n)
