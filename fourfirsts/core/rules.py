"""The settings registry: each app declares its rules (name, default, type,
help) in its own `rules.py`; committee staff change them on one page. Every
change is dated, and `value(key, on=day)` gives the value in force that day,
so a past period is judged by the rules then in force."""

import math
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core import audit
from fourfirsts.core.access import Role
from fourfirsts.core.models import SettingValue


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    default: object
    type: type
    help: str = ""
    app: str = ""
    minimum: float | None = None
    maximum: float | None = None
    # Who may change it: the committee its working rules, the security admin
    # the security policy (三权分立).
    editor: str = Role.COMMITTEE

    def parse(self, raw) -> object:
        """Turn form or file input into the rule's type, or raise a clear error."""
        try:
            value = self._convert(raw)
        except (TypeError, ValueError):
            raise ValidationError(
                _("“%(label)s”应为%(type)s：%(raw)s")
                % {"label": self.label, "type": _type_name(self.type), "raw": raw}
            ) from None
        if self.minimum is not None and value < self.minimum:
            raise ValidationError(
                _("“%(label)s”不能小于 %(minimum)s：%(raw)s")
                % {"label": self.label, "minimum": self.minimum, "raw": raw}
            )
        if self.maximum is not None and value > self.maximum:
            raise ValidationError(
                _("“%(label)s”不能大于 %(maximum)s：%(raw)s")
                % {"label": self.label, "maximum": self.maximum, "raw": raw}
            )
        return value

    def _convert(self, raw):
        if self.type is bool:
            if isinstance(raw, bool):
                return raw
            word = str(raw).strip().lower()
            if word in TRUE_WORDS | FALSE_WORDS:
                return word in TRUE_WORDS
            raise ValueError(word)
        value = self.type(str(raw).strip())
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(raw)  # nan would pass every min/max check
        return value


TRUE_WORDS = {"1", "true", "是", "on", "yes"}
FALSE_WORDS = {"0", "false", "否", "off", "no", ""}


def _type_name(t: type) -> str:
    return {int: _("整数"), float: _("数字"), bool: _("是/否"), str: _("文字")}.get(t, t.__name__)


_rules: dict[str, Rule] = {}


def register(key: str, label: str, default, *, help: str = "", minimum=None, maximum=None,
             editor: str = Role.COMMITTEE) -> Rule:
    app = key.split(".", 1)[0]
    rule = Rule(key, label, default, type(default), help, app, minimum, maximum, editor)
    _rules[key] = rule
    return rule


def all_rules() -> list[Rule]:
    return sorted(_rules.values(), key=lambda r: r.key)


def editable_by(scope) -> list[Rule]:
    """The rules whose editor role the scope holds."""
    return [r for r in all_rules() if r.editor in scope.roles]


def get_rule(key: str) -> Rule:
    try:
        return _rules[key]
    except KeyError:
        raise KeyError(f"unregistered setting {key!r}") from None


def value(key: str, on: date | None = None):
    """The value in force on `on` (today when omitted)."""
    rule = get_rule(key)
    on = on or timezone.localdate()
    row = (
        SettingValue.objects.filter(key=key, effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .values_list("value", flat=True)
        .first()
    )
    return rule.default if row is None else row


def current_values(on: date | None = None) -> dict[str, object]:
    """Every rule's value in force on a day, in one query (for the settings page)."""
    on = on or timezone.localdate()
    values = {r.key: r.default for r in all_rules()}
    rows = SettingValue.objects.filter(effective_from__lte=on).order_by("key", "effective_from", "id")
    for row in rows.values("key", "value"):
        if row["key"] in values:
            values[row["key"]] = row["value"]
    return values


@transaction.atomic
def setting_change(*, key: str, raw, effective_from: date, actor, note: str = "", request=None) -> SettingValue:
    """Record a new value from a date on; past periods keep the old one."""
    rule = get_rule(key)
    if actor.kind == "user" and rule.editor not in actor.roles:
        raise PermissionDenied(_("您的角色不能修改这条规则"))
    if actor.kind == "user" and effective_from < timezone.localdate():
        # A past period keeps the rules it was judged by; only imports of
        # recorded history (the system actor) may carry earlier dates.
        raise ValidationError(_("生效日期不能早于今天：%(day)s") % {"day": effective_from.isoformat()})
    parsed = rule.parse(raw)
    row, _created = SettingValue.objects.update_or_create(
        key=key,
        effective_from=effective_from,
        defaults={"value": parsed, "changed_by": str(actor), "note": note},
    )
    audit.log(
        audit.Kind.SETTING_CHANGE,
        user=getattr(actor, "user", None),
        request=request,
        target=key,
        value=parsed,
        effective_from=effective_from.isoformat(),
    )
    return row
