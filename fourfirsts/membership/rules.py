"""The development intervals of rules.md §3 (DEV-1 … DEV-8), as dated settings.
Read with rules.value(key, on=day), the day the rule applies to."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import rules

for _key, _label, _default, _min, _max in (
    ("min_age", _("申请入党最低年龄（DEV-1）"), 18, 16, 30),
    ("talk_months", _("收到申请后谈话时限（月，DEV-2）"), 1, 1, 6),
    ("activist_months", _("积极分子培养最短期限（月，DEV-3）"), 12, 1, 36),
    ("review_months", _("积极分子考察间隔（月，DEV-3）"), 6, 1, 12),
    ("contacts_max", _("培养联系人最多人数（DEV-3）"), 2, 1, 5),
    ("training_days", _("集中培训最少天数（DEV-4）"), 3, 1, 30),
    ("training_hours", _("集中培训最少学时（DEV-4）"), 24, 1, 200),
    ("meeting_months", _("预审后召开支部大会时限（月，DEV-5）"), 1, 1, 6),
    ("approval_months", _("上级党委审批时限（月，DEV-6）"), 3, 1, 12),
    ("approval_max_months", _("有理由时审批的最长期限（月，DEV-6）"), 6, 1, 12),
    ("oath_months", _("审批后入党宣誓时限（月，DEV-6）"), 1, 1, 6),
    ("probation_months", _("预备期（月，DEV-7）"), 12, 6, 24),
    ("extension_min", _("延长预备期最少月数（DEV-7）"), 6, 1, 12),
    ("extension_max", _("延长预备期最多月数（DEV-7）"), 12, 1, 24),
    ("full_months", _("预备期满后转正审批时限（月，DEV-7）"), 3, 1, 12),
    ("notice_workdays", _("公示最少工作日（DEV-8）"), 5, 1, 30),
    ("remind_days", _("提前提醒天数"), 7, 0, 60),
):
    rules.register(f"membership.{_key}", _label, _default, minimum=_min, maximum=_max)


def value(name: str, on):
    return rules.value(f"membership.{name}", on=on)


def snapshot():
    """value(name, on) for every membership rule from one query: a run that
    reads the rules for many developments (the reminders) reads them once."""
    from fourfirsts.core.models import SettingValue

    rows: dict[str, list] = {}
    for key, day, v in (SettingValue.objects.filter(key__startswith="membership.")
                        .order_by("effective_from", "id").values_list("key", "effective_from", "value")):
        rows.setdefault(key, []).append((day, v))

    def read(name: str, on):
        key = f"membership.{name}"
        found = rules.get_rule(key).default
        for day, v in rows.get(key, ()):
            if day <= on:
                found = v
        return found

    return read
