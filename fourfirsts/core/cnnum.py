"""Chinese number display for the annual report.

The rules, in the report's house style:

* Counts. ``exact`` prints the number and its unit: 621 件 → "621件".
  ``approx_count`` keeps the two leading digits and zeros the rest, truncating
  (never rounding up, so the report never claims more than happened) and adding
  "余" when something nonzero was dropped: 173 → "170余", 170 → "170".
  Numbers below 100 are exact.
* Money, in yuan, as ``int`` or ``Decimal``; floats are refused because binary
  fractions misstate fen. Below 1万 it is shown in 元, from 1万 in 万元, from 1亿
  in 亿元, with at most two decimals, truncated, trailing zeros dropped:
  12345 → "1.23万元". ``approx_money`` truncates to whole 元 below 1万, whole 万
  below 1亿 and two decimals of 亿 above, with "余" before 元 when something was
  dropped: 93500 → "9万余元".
* Percentages have one decimal, rounded half up (the only rounding here);
  a zero denominator shows "—".
* Negative values raise ValueError: nothing the report counts can be negative.

``STYLES`` maps the figure registry's style names to ``display(value, unit)``.
"""

from collections.abc import Callable
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, localcontext

from django.utils.translation import gettext as _

DASH = "—"
ONE = Decimal(1)
CENT = Decimal("0.01")
TENTH = Decimal("0.1")


def _checked(value, what: str) -> Decimal:
    """`value` as a finite, non-negative Decimal."""
    # bool is an int, but True is never a count or an amount.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise TypeError(_("%(what)s必须是整数或 Decimal：%(value)r") % {"what": what, "value": value})
    number = Decimal(value)
    if not number.is_finite():
        raise ValueError(_("%(what)s无效：%(value)s") % {"what": what, "value": value})
    if number < 0:
        raise ValueError(_("%(what)s不能为负数：%(value)s") % {"what": what, "value": value})
    return number.copy_abs()  # Decimal("-0") would otherwise print as "-0"


def _count(value) -> int:
    number = _checked(value, _("数量"))
    if number != number.to_integral_value():
        raise ValueError(_("数量必须是整数：%(value)s") % {"value": value})
    return int(number)


def _trim(number: Decimal) -> str:
    """Fixed-point text without trailing fractional zeros: 6.50 → "6.5", 6.00 → "6"."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _truncate(number: Decimal, step: Decimal) -> Decimal:
    return number.quantize(step, rounding=ROUND_DOWN)


def _scale(amount: Decimal) -> tuple[int, str]:
    """The power of ten an amount is divided by, and the word for it."""
    if amount >= 100_000_000:
        return 8, _("亿")
    if amount >= 10_000:
        return 4, _("万")
    return 0, ""


def exact(value: int, unit: str) -> str:
    number = _trim(_checked(value, _("数值")))
    return f"{number}{unit}"


def approx_count(value: int) -> str:
    count = _count(value)
    if count < 100:
        return str(count)
    step = 10 ** (len(str(count)) - 2)
    kept = count // step * step
    return str(kept) if kept == count else _("%(number)s余") % {"number": kept}


def money(amount) -> str:
    value = _checked(amount, _("金额"))
    shift, word = _scale(value)
    # scaleb moves the decimal point exactly, where division could round.
    number = _trim(_truncate(value.scaleb(-shift), CENT))
    return _("%(number)s%(scale)s元") % {"number": number, "scale": word}


def approx_money(amount) -> str:
    value = _checked(amount, _("金额"))
    shift, word = _scale(value)
    scaled = value.scaleb(-shift)
    kept = _truncate(scaled, CENT if shift == 8 else ONE)
    if kept == scaled:
        return _("%(number)s%(scale)s元") % {"number": _trim(kept), "scale": word}
    return _("%(number)s%(scale)s余元") % {"number": _trim(kept), "scale": word}


def _percent_text(value: Decimal) -> str:
    return f"{value.quantize(TENTH, rounding=ROUND_HALF_UP):f}%"


def percent_value(numerator, denominator) -> Decimal | None:
    """numerator ÷ denominator as a percentage with one decimal (half up), the
    value a rate figure holds; None when the denominator is zero."""
    top = _checked(numerator, _("分子"))
    bottom = _checked(denominator, _("分母"))
    if bottom == 0:
        return None
    # Enough precision that the quotient's own rounding cannot fake a tie at .x5.
    with localcontext(prec=60):
        ratio = top * 100 / bottom
    return ratio.quantize(TENTH, rounding=ROUND_HALF_UP)


def percent(numerator, denominator) -> str:
    value = percent_value(numerator, denominator)
    return DASH if value is None else _percent_text(value)


def _display_percent(value, unit: str) -> str:
    # A figure whose denominator was zero has no percentage to show.
    if value is None:
        return DASH
    return _percent_text(_checked(value, _("百分比")))


STYLES: dict[str, Callable[[object, str], str]] = {
    "exact": exact,
    "approx_count": lambda value, unit: approx_count(value) + unit,
    "money": lambda value, unit: money(value),
    "approx_money": lambda value, unit: approx_money(value),
    "percent": _display_percent,
}
