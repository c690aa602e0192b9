import json
from datetime import date

from django.core.management import call_command

from fourfirsts.core import figures
from fourfirsts.registry import services
from fourfirsts.registry.models import InstructorAssignment
from tests.conftest import SYSTEM, make_person


def test_f17_counts_distinct_instructors_overlapping_the_year(world, cast):
    old = make_person("钱已离任", birth_date=date(1970, 1, 1))
    services.instructor_assign(actor=SYSTEM, values={"person": old, "association": world.assoc_b,
                                                     "since": date(2019, 1, 1), "until": date(2021, 12, 31)})
    f17 = figures.get("F17")
    assert f17.evaluate(None, 2022).value == 1  # 赵指导, twice assigned, counted once
    assert f17.evaluate(None, 2021).value == 2
    assert f17.evaluate(cast.secretary_b, 2021).value == 1  # only B's instructor is in B's scope
    assert f17.display(f17.evaluate(None, 2021)) == "2名"
    assert list(f17.records(cast.secretary_a, 2022)) == list(
        InstructorAssignment.objects.filter(association=world.assoc_a))


def test_figures_command_prints_json_with_the_documented_keys(world, capsys):
    call_command("figures", "--year", "2022", "--json")
    rows = json.loads(capsys.readouterr().out)
    f17 = next(r for r in rows if r["id"] == "F17")
    assert set(f17) == {"id", "label", "value", "unit", "display", "parts", "names", "previous", "trend"}
    assert f17["value"] == 1 and f17["display"] == "1名"
