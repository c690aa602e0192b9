"""Dated settings: a change applies from its date on; past days keep the old value."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fourfirsts.core import rules
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import SecurityEvent, SettingValue

pytestmark = pytest.mark.django_db

KEY = "testing.reply_days"


@pytest.fixture(autouse=True)
def registry(monkeypatch):
    """A private copy of the registry: rules a test registers vanish after it."""
    monkeypatch.setattr(rules, "_rules", dict(rules._rules))


@pytest.fixture
def rule():
    return rules.register(
        KEY, "测试答复期限（工作日）", 5, help="诉求交办后答复的期限", minimum=1, maximum=30
    )


def change(raw, effective_from, note=""):
    return rules.setting_change(
        key=KEY, raw=raw, effective_from=effective_from, actor=Actor.system("测试"), note=note
    )


def test_registration_takes_the_type_and_app_from_the_default_and_key(rule):
    assert (rule.type, rule.app, rule.default) == (int, "testing", 5)
    assert rules.get_rule(KEY) is rule and rule in rules.all_rules()


def test_the_default_applies_until_a_change_takes_effect(rule):
    assert rules.value(KEY, on=date(2026, 1, 1)) == 5
    change("7", date(2026, 4, 1), note="党委会决定")
    assert rules.value(KEY, on=date(2026, 3, 31)) == 5
    assert rules.value(KEY, on=date(2026, 4, 1)) == 7
    assert rules.value(KEY, on=date(2027, 1, 1)) == 7
    change(10, date(2026, 7, 1))
    assert [rules.value(KEY, on=date(2026, m, 15)) for m in (3, 4, 7)] == [5, 7, 10]
    assert rules.current_values(on=date(2026, 5, 1))[KEY] == 7
    assert rules.current_values(on=date(2026, 8, 1))[KEY] == 10


def test_a_second_change_on_the_same_day_replaces_the_first(rule):
    change("7", date(2026, 4, 1))
    change("8", date(2026, 4, 1), note="更正")
    row = SettingValue.objects.get(key=KEY)
    assert row.value == 8 and row.note == "更正" and row.changed_by == "测试"
    assert rules.value(KEY, on=date(2026, 4, 1)) == 8


def test_every_change_is_in_the_security_log(rule):
    change("7", date(2026, 4, 1))
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.SETTING_CHANGE)
    assert event.target == KEY and event.detail == {"value": 7, "effective_from": "2026-04-01"}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("五", "“测试答复期限（工作日）”应为整数：五"),
        ("5.5", "“测试答复期限（工作日）”应为整数：5.5"),
        ("0", "“测试答复期限（工作日）”不能小于 1：0"),
        ("31", "“测试答复期限（工作日）”不能大于 30：31"),
    ],
)
def test_bad_input_is_a_chinese_validation_error_and_stores_nothing(rule, raw, message):
    with pytest.raises(ValidationError) as exc:
        change(raw, date(2026, 4, 1))
    assert exc.value.messages == [message]
    assert not SettingValue.objects.exists()
    assert not SecurityEvent.objects.exists()


def test_an_unregistered_key_is_refused():
    with pytest.raises(KeyError):
        rules.setting_change(
            key="testing.nope", raw="1", effective_from=date(2026, 1, 1), actor=Actor.system()
        )
    with pytest.raises(KeyError):
        rules.value("testing.nope", on=date(2026, 1, 1))


def test_bool_and_float_rules():
    flag = rules.register("testing.flag", "测试开关", False)
    ratio = rules.register("testing.ratio", "测试比例", 0.5, minimum=0.0, maximum=1.0)
    for raw in ("是", "1", "true", "on", True):
        assert flag.parse(raw) is True
    for raw in ("否", "0", "", False):
        assert flag.parse(raw) is False
    assert ratio.parse(" 0.25 ") == 0.25
    with pytest.raises(ValidationError, match="应为数字"):
        ratio.parse("一半")


def test_nonsense_numbers_and_yes_no_words_are_refused():
    flag = rules.register("testing.flag", "测试开关", False)
    ratio = rules.register("testing.ratio", "测试比例", 0.5, minimum=0.0, maximum=1.0)
    with pytest.raises(ValidationError):
        ratio.parse("nan")
    with pytest.raises(ValidationError):
        flag.parse("也许")


def test_the_idle_days_rule_is_registered_within_bounds():
    idle = rules.get_rule("accounts.idle_days")
    assert idle.default == 90 and idle.minimum <= 90 <= idle.maximum
