"""The agenda's settings (rules.md §1): FT-2's limit, the 三会一课
frequencies and the lecture series' name. Read with rules.value(key, on=day)."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import rules

TIMELY_DAYS = rules.register(
    "agenda.timely_days",
    _("第一议题学习时限（日历天）"),
    7,
    help=_("推送的第一议题应在发布后多少个日历天内学习（FT-2）"),
    minimum=1,
    maximum=90,
)

# Months per required slot (1 = monthly, 3 = quarterly, 12 = yearly, 0 = not required).
FREQUENCY_DEFAULTS = {
    "general_meeting": (3, _("支部党员大会：每几个月至少一次")),
    "committee_meeting": (1, _("支委会/党委会：每几个月至少一次")),
    "group_meeting": (1, _("党小组会：每几个月至少一次")),
    "party_lecture": (3, _("党课：每几个月至少一次")),
    "theme_day": (1, _("主题党日：每几个月一次")),
    "life_meeting": (12, _("组织生活会：每几个月至少一次")),
    "member_review": (12, _("民主评议党员：每几个月至少一次")),
}
for _kind, (_months, _label) in FREQUENCY_DEFAULTS.items():
    rules.register(
        f"agenda.months.{_kind}",
        _label,
        _months,
        help=_("1 为每月，3 为每季度，12 为每年，0 为不要求；应能整除 12"),
        minimum=0,
        maximum=12,
    )

SECRETARY_LECTURES = rules.register(
    "agenda.secretary_lectures",
    _("书记每年讲党课次数"),
    1,
    help=_("党组织书记每年至少讲党课的次数（MTG-4）"),
    minimum=0,
    maximum=12,
)

# A stored value, not UI text: a setting's type is its default's.
LECTURE_SERIES_DEFAULT = "娄商大讲堂"
LECTURE_SERIES = rules.register(
    "agenda.lecture_series",
    _("讲座品牌名称"),
    LECTURE_SERIES_DEFAULT,
    help=_("讲座系列的名称"),
)


def months_for(kind: str, on) -> int:
    return months_in(kind, {f"agenda.months.{kind}": rules.value(f"agenda.months.{kind}", on=on)})


def months_in(kind: str, values: dict) -> int:
    """Months per slot of a kind, from rules.current_values()."""
    months = int(values[f"agenda.months.{kind}"])
    return months if months in (0, 1, 2, 3, 4, 6, 12) else FREQUENCY_DEFAULTS[kind][0]
