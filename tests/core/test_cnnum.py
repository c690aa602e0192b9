from decimal import Decimal

import pytest

from fourfirsts.core import cnnum

BY_STYLE = {
    "approximate count": cnnum.approx_count,
    "money": cnnum.money,
    "approximate money": cnnum.approx_money,
}

# The spec table: style, input, text.
SPEC = [
    ("approximate count", 173, "170余"),
    ("approximate count", 170, "170"),
    ("approximate count", 99, "99"),
    ("approximate count", 1_234, "1200余"),
    ("money", 8_500, "8500元"),
    ("money", 60_000, "6万元"),
    ("money", 65_000, "6.5万元"),
    ("money", 12_345, "1.23万元"),
    ("money", 99_999_999, "9999.99万元"),
    ("money", 100_000_000, "1亿元"),
    ("money", 127_000_000, "1.27亿元"),
    ("approximate money", 90_000, "9万元"),
    ("approximate money", 93_500, "9万余元"),
    ("approximate money", 127_500_000, "1.27亿余元"),
]


@pytest.mark.parametrize(("style", "value", "text"), SPEC, ids=[f"{s} {v}" for s, v, _ in SPEC])
def test_spec_table(style, value, text):
    assert BY_STYLE[style](value) == text


@pytest.mark.parametrize(
    ("style", "value", "text"), SPEC[4:], ids=[f"{s} {v}" for s, v, _ in SPEC[4:]]
)
def test_money_rows_same_as_decimal(style, value, text):
    assert BY_STYLE[style](Decimal(value)) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (100, "100"), (1_000, "1000"), (1_001, "1000余"), (99_999, "99000余")],
)
def test_approx_count_more(value, text):
    assert cnnum.approx_count(value) == text


def test_approx_count_refuses_fractions():
    with pytest.raises(ValueError, match="数量必须是整数"):
        cnnum.approx_count(Decimal("1.5"))


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [(621, "件", "621件"), (0, "名", "0名"), (Decimal("12.50"), "小时", "12.5小时")],
)
def test_exact(value, unit, text):
    assert cnnum.exact(value, unit) == text


@pytest.mark.parametrize(
    ("function", "amount", "text"),
    [
        (cnnum.money, 0, "0元"),
        (cnnum.money, 9_999, "9999元"),
        (cnnum.money, 10_000, "1万元"),
        (cnnum.money, 10_001, "1万元"),
        (cnnum.money, Decimal("99999999.99"), "9999.99万元"),
        (cnnum.approx_money, 9_999, "9999元"),
        (cnnum.approx_money, 10_000, "1万元"),
        (cnnum.approx_money, 10_001, "1万余元"),
        (cnnum.approx_money, 99_999_999, "9999万余元"),
        (cnnum.approx_money, 100_000_000, "1亿元"),
        (cnnum.approx_money, 127_000_000, "1.27亿元"),
    ],
)
def test_boundaries(function, amount, text):
    assert function(amount) == text


@pytest.mark.parametrize(
    ("function", "amount", "text"),
    [
        (cnnum.money, Decimal("8500.50"), "8500.5元"),
        (cnnum.money, Decimal("8500.456"), "8500.45元"),
        (cnnum.money, Decimal("8500.00"), "8500元"),
        (cnnum.money, Decimal("0.05"), "0.05元"),
        (cnnum.money, Decimal("12345.67"), "1.23万元"),
        (cnnum.money, Decimal("-0"), "0元"),
        (cnnum.approx_money, Decimal("8500.50"), "8500余元"),
        (cnnum.approx_money, Decimal("8500.00"), "8500元"),
        (cnnum.approx_money, Decimal("90000.01"), "9万余元"),
    ],
)
def test_decimal_with_fen(function, amount, text):
    assert function(amount) == text


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: cnnum.money(-5), "金额不能为负数：-5"),
        (lambda: cnnum.approx_money(Decimal("-0.01")), "金额不能为负数：-0.01"),
        (lambda: cnnum.approx_count(-1), "数量不能为负数：-1"),
        (lambda: cnnum.exact(-1, "件"), "数值不能为负数：-1"),
        (lambda: cnnum.percent(-1, 3), "分子不能为负数：-1"),
        (lambda: cnnum.percent(1, -3), "分母不能为负数：-3"),
        (lambda: cnnum.STYLES["percent"](Decimal("-1"), "%"), "百分比不能为负数：-1"),
    ],
    ids=["money", "approx_money", "approx_count", "exact", "numerator", "denominator", "style"],
)
def test_negatives_refused(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_floats_refused():
    with pytest.raises(TypeError):
        cnnum.money(8500.0)


@pytest.mark.parametrize(
    ("numerator", "denominator", "text"),
    [
        (1, 3, "33.3%"),
        (2, 3, "66.7%"),
        (1, 16, "6.3%"),  # 6.25: half up, not half even
        (0, 5, "0.0%"),
        (5, 5, "100.0%"),
        (1, 0, "—"),
        (0, 0, "—"),
    ],
)
def test_percent(numerator, denominator, text):
    assert cnnum.percent(numerator, denominator) == text


def test_styles_names():
    assert set(cnnum.STYLES) == {"exact", "approx_count", "money", "approx_money", "percent"}


@pytest.mark.parametrize(
    ("style", "value", "unit", "text"),
    [
        ("exact", 621, "件", "621件"),
        ("approx_count", 173, "名", "170余名"),
        ("approx_count", 170, "名", "170名"),
        ("money", 127_000_000, "元", "1.27亿元"),
        ("money", 65_000, "", "6.5万元"),
        ("approx_money", 93_500, "元", "9万余元"),
        ("percent", Decimal("33.3"), "%", "33.3%"),
        ("percent", 50, "%", "50.0%"),
        ("percent", None, "%", "—"),
    ],
)
def test_styles_dispatch(style, value, unit, text):
    assert cnnum.STYLES[style](value, unit) == text


def test_percent_value_is_the_number_behind_the_percent_text():
    from decimal import Decimal

    assert cnnum.percent_value(1, 3) == Decimal("33.3")
    assert cnnum.percent_value(1, 16) == Decimal("6.3")  # half up, as the text
    assert cnnum.percent_value(5, 0) is None
    assert cnnum.percent(1, 16) == "6.3%"
