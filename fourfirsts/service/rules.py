"""The appeals' settings (rules.md §4): the working-day limit per category,
the return and redo limits, the rating window and the escalation offsets.
Read with rules.value(key, on=day)."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import rules

# Category codes are those of Appeal.Category; labels are repeated here so
# that this module needs no models at import.
CATEGORY_LABELS = {
    "logistics": _("物流运输"),
    "funding": _("资金周转"),
    "factors": _("要素保障"),
    "materials": _("原材料供应"),
    "approval": _("行政审批"),
    "enforcement": _("行政执法"),
    "tax": _("税收"),
    "social_security": _("社保"),
    "market": _("市场"),
    "technology": _("技术"),
    "legal": _("法律"),
}
DEFAULT_LIMIT = 5

for _code, _label in CATEGORY_LABELS.items():
    rules.register(
        f"service.limit.{_code}",
        _label,
        DEFAULT_LIMIT,
        help=_("该类诉求自交办起的办理时限（工作日，APL-1）"),
        minimum=1,
        maximum=60,
    )

MAX_RETURNS = rules.register(
    "service.max_returns",
    _("承办单位最多退回次数"),
    2,
    help=_("达到后由商协会党委决定重新交办"),
    minimum=0,
    maximum=10,
)
MAX_REDO = rules.register(
    "service.max_redo",
    _("不满意重办最多次数"),
    2,
    help=_("达到后由商协会党委备注办结"),
    minimum=0,
    maximum=10,
)
RATING_WINDOW = rules.register(
    "service.rating_window",
    _("回访评价期限（工作日）"),
    10,
    help=_("答复后超过该工作日数仍未评价的，按“未评价”办结"),
    minimum=1,
    maximum=60,
)
REMINDER_BEFORE = rules.register(
    "service.reminder_before",
    _("催办：到期前工作日数"),
    1,
    help=_("APL-2"),
    minimum=0,
    maximum=30,
)
NOTICE_AFTER = rules.register(
    "service.notice_after",
    _("催办通知书：逾期工作日数"),
    1,
    help=_("APL-2"),
    minimum=1,
    maximum=30,
)
CIRCULAR_AFTER = rules.register(
    "service.circular_after",
    _("通报：逾期工作日数"),
    5,
    help=_("APL-2"),
    minimum=1,
    maximum=60,
)


def limit_for(category: str, on) -> int:
    return int(rules.value(f"service.limit.{category}", on=on))

NO_CONTACT_DAYS = rules.register(
    "service.no_contact_days",
    _("结对联系：多少天无联系即列入提醒"),
    30,
    help=_("结对的会员与企业超过该天数没有走访或联系记录的，列入“未联系”名单"),
    minimum=1,
    maximum=365,
)
LINK_DAYS = rules.register(
    "service.link_days",
    _("承办单位办理链接有效天数"),
    15,
    help=_("免登录办理链接自生成起的有效天数，可随时撤销"),
    minimum=1,
    maximum=90,
)
INTAKE_PER_IP_HOUR = rules.register(
    "service.intake_per_ip_hour",
    _("营商码：每个网络地址每小时最多提交"),
    10,
    help=_("超过后提示稍后再试"),
    minimum=1,
    maximum=1000,
)
INTAKE_PER_ENTERPRISE_DAY = rules.register(
    "service.intake_per_enterprise_day",
    _("营商码：每家企业每天最多提交"),
    20,
    help=_("超过后提示次日再提交或拨打热线"),
    minimum=1,
    maximum=1000,
)
