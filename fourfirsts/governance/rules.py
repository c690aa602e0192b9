"""第一责任's settings (rules.md §2): EST-1 deadlines, INS-1 and ORG-1…3.
Read with rules.value(key, on=day)."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import rules

FIRST_DAYS = rules.register(
    "governance.establishment_first_days", _("承诺书、调查表时限（工作日）"), 5,
    help=_("登记后多少个工作日内提交支持党建工作承诺书和党员情况调查表（EST-1）"), minimum=1, maximum=60)
STEP_DAYS = rules.register(
    "governance.establishment_step_days", _("建立党组织各后续步骤时限（工作日）"), 20,
    help=_("请示批复、转接关系、成立大会各步骤在上一步骤后多少个工作日内完成（EST-1）"), minimum=1, maximum=120)
INSTRUCTOR_MAX = rules.register(
    "governance.instructor_max_associations", _("指导员联系商协会上限"), 5,
    help=_("一名指导员同时联系的商协会超过此数时提示（INS-1）"), minimum=1, maximum=50)
INSTRUCTOR_TERM_YEARS = rules.register(
    "governance.instructor_term_years", _("指导员任期（年）"), 2,
    help=_("指导员任期年数，自选派之日起算（INS-1）"), minimum=1, maximum=10)
TERM_REMIND_DAYS = rules.register(
    "governance.instructor_remind_days", _("指导员任期届满提前提醒（天）"), 30,
    help=_("指导员任期届满前多少天提醒商协会党委"), minimum=1, maximum=365)
CONTACT_DAYS = rules.register(
    "governance.contact_days", _("指导员联系周期（天）"), 7,
    help=_("指导员每隔多少天至少联系一次所联系的商协会（INS-1，每周）"), minimum=1, maximum=90)
OWN_BRANCH_MINIMUM = rules.register(
    "governance.own_branch_minimum", _("单独组建党支部的正式党员数"), 3,
    help=_("正式党员达到此数应单独组建党支部（ORG-1）"), minimum=1, maximum=50)
COMMITTEE_MINIMUM = rules.register(
    "governance.committee_minimum", _("设支部委员会的正式党员数"), 7,
    help=_("正式党员达到此数应设立支部委员会（ORG-3）"), minimum=1, maximum=100)
TERM_WARN_MONTHS = rules.register(
    "governance.term_warn_months", _("党组织换届提前提醒（月）"), 3,
    help=_("党组织届满前多少个月提醒换届（ORG-3）"), minimum=1, maximum=12)

JOINT_MAX_UNITS = rules.register(
    "governance.joint_max_units", _("联合党支部覆盖单位上限"), 5,
    help=_("联合党支部覆盖的单位超过此数时提示（ORG-1）"), minimum=1, maximum=50)
BRANCH_MAX_MEMBERS = rules.register(
    "governance.branch_max_members", _("党支部党员人数上限"), 50,
    help=_("党支部、联合党支部党员超过此数宜设党总支（ORG-2）"), minimum=1, maximum=500)
GENERAL_BRANCH_MAX_MEMBERS = rules.register(
    "governance.general_branch_max_members", _("党总支党员人数上限"), 100,
    help=_("党总支党员超过此数宜设党委，党委党员应不少于此数（ORG-2）"), minimum=1, maximum=5000)
HONOUR_WARN_DAYS = rules.register(
    "governance.honour_warn_days", _("荣誉到期提前提示（天）"), 90,
    help=_("荣誉有效期在多少天内届满时提示"), minimum=1, maximum=730)


def value(rule, on=None):
    return rules.value(rule.key, on=on)


def reader(*chosen):
    """value(rule, on) for many days from one query: lists read each rule's
    history once instead of once per row."""
    from fourfirsts.core.models import SettingValue

    history: dict[str, list] = {r.key: [] for r in chosen}
    for key, since, raw in (SettingValue.objects.filter(key__in=history).order_by("effective_from", "id")
                            .values_list("key", "effective_from", "value")):
        history[key].append((since, raw))

    def read(rule, on):
        found = rule.default
        for since, raw in history[rule.key]:
            if since <= on:
                found = raw
        return found

    return read
