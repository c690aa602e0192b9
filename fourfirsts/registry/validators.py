"""Identifier checks shared by the forms, the services and the workbook, so
each rule is written once. Each returns the normalised value or raises a
ValidationError whose message names the value and what is wrong with it."""

import re
import unicodedata
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric, uscc

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A landline with its area code (010, 0738 …), an optional extension.
LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


def check_uscc(value: str) -> str:
    value = (value or "").strip().upper()
    try:
        return uscc.validate(value)
    except stdnum_errors.InvalidLength:
        raise ValidationError(_("统一社会信用代码应为18位：%(value)s") % {"value": value}) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(_("统一社会信用代码校验位不正确：%(value)s") % {"value": value}) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(_("统一社会信用代码格式不正确：%(value)s") % {"value": value}) from None


def check_id_number(value: str, birth_date: date | None = None) -> str:
    value = (value or "").strip().upper()
    try:
        value = ric.validate(value)
    except stdnum_errors.InvalidLength:
        raise ValidationError(_("身份证号码应为18位：%(value)s") % {"value": _masked(value)}) from None
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(_("身份证号码校验位不正确：%(value)s") % {"value": _masked(value)}) from None
    except stdnum_errors.InvalidComponent:
        # python-stdnum's area table lags behind re-drawn districts (娄底's 4313xx
        # codes are missing), so an unknown area code alone is accepted.
        _check_without_area(value)
    except stdnum_errors.ValidationError:
        raise ValidationError(_("身份证号码格式不正确：%(value)s") % {"value": _masked(value)}) from None
    if birth_date and _birth_date(value) != birth_date:
        raise ValidationError(
            _("身份证号码中的出生日期与出生日期%(date)s不一致") % {"date": f"{birth_date:%Y-%m-%d}"}
        ) from None
    return value


def _birth_date(value: str) -> date | None:
    try:
        return date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def _check_without_area(value: str) -> None:
    if _birth_date(value) is None:
        raise ValidationError(_("身份证号码中的出生日期不正确：%(value)s") % {"value": _masked(value)})
    if ric.calc_check_digit(value) != value[-1]:
        raise ValidationError(_("身份证号码校验位不正确：%(value)s") % {"value": _masked(value)})


def check_mobile(value: str) -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if not MOBILE.match(value):
        raise ValidationError(_("手机号码应为以1开头的11位数字：%(value)s") % {"value": value})
    return value


def normalise_phone(value: str) -> str:
    """Full-width digits to ASCII; spaces, brackets and dashes tidied: "（0738）822 1234" → "0738-8221234"."""
    value = unicodedata.normalize("NFKC", value or "").strip()
    value = re.sub(r"[\s\u00a0]", "", value)
    value = re.sub(r"^\((0\d{2,3})\)", r"\1-", value)
    return re.sub(r"[—–－]", "-", value)


def check_phone(value: str, label: str) -> str:
    """A mobile number or a landline with its area code, for contact details
    given by an enterprise; `label` names the field in the message."""
    value = normalise_phone(value)
    if MOBILE.match(value) or LANDLINE.match(value):
        return value
    raise ValidationError(
        _("%(field)s格式不正确：请填写11位手机号码（如 13812345678），或带区号的固定电话（如 0738-8221234）")
        % {"field": label}
    )


def check_period(since: date | None, until: date | None, label: str = "") -> None:
    if since and until and until < since:
        raise ValidationError(
            _("%(label)s截止日期%(until)s早于起始日期%(since)s")
            % {"label": label, "until": f"{until:%Y-%m-%d}", "since": f"{since:%Y-%m-%d}"}
        )


def _masked(value: str) -> str:
    # Error messages are shown and logged: never echo a full 身份证 number.
    return value[:3] + "*" * max(0, len(value) - 7) + value[-4:] if len(value) > 7 else "***"
