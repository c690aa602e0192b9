"""The volunteering sheets (docs/workbook.md is generated from these). Rows
name the registry's 党组织, 商协会, 会员企业 and 人员 by 编号; saves go through
`services` with the record's own date as history time. Re-importing the
帮扶项目 sheet with new 状态, 进展情况, jobs and incomes updates the projects
(the bulk progress update)."""

from fourfirsts.core.sheets import Col, Sheet, register
from fourfirsts.volunteering import services
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    PairingEnterprise,
    Participation,
    Payment,
    Project,
    Village,
    WeakYears,
)


def labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


register(Sheet(
    name="志愿活动类型", model=ActivityKind, order=400, app="volunteering", natural_key="name",
    find_natural=lambda value: ActivityKind.objects.filter(name=value).first(),
    columns=(
        Col("名称", "name", required=True),
        Col("排序", "order", "int"),
        Col("启用", "active", "bool"),
    ),
    save=lambda *, actor, values, instance: services.activity_kind_save(actor=actor, values=values,
                                                                         instance=instance),
    help="编号是类型的代码：文明劝导 civility_persuasion、弯腰行动 bend_down 等预置类型的代码不变，"
         "指标按代码统计；其他表可用名称引用类型。",
))

register(Sheet(
    name="志愿活动", model=Activity, order=410, app="volunteering",
    columns=(
        Col("类型", "kind", "ref", required=True, ref="志愿活动类型", help="类型代码或名称"),
        Col("主题", "title", required=True),
        Col("党组织", "party_org", "ref", ref="党组织"),
        Col("商协会", "association", "ref", ref="商协会"),
        Col("日期", "held_on", "date", required=True),
        Col("地点", "place"),
        Col("活动内容", "description"),
        Col("每人服务时长", "hours", "decimal", help="小时"),
    ),
    save=lambda *, actor, values, instance: services.activity_save(actor=actor, values=values, activity=instance),
    help="党组织和商协会至少填一个。",
))

register(Sheet(
    name="志愿服务时长", model=Participation, order=420, app="volunteering",
    columns=(
        Col("志愿活动", "activity", "ref", required=True, ref="志愿活动"),
        Col("人员", "person", "ref", required=True, ref="人员"),
        Col("服务时长", "hours", "decimal", required=True, help="小时，大于0，同一人同一天合计不超过24"),
        Col("说明", "note"),
        Col("状态", "status", "choice", choices=labels(Participation.Status.choices)),
        Col("未通过原因", "reason"),
        Col("确认日期", "decided_on", "date"),
    ),
    save=lambda *, actor, values, instance: services.participation_save(actor=actor, values=values,
                                                                         instance=instance),
    help="只有“已确认”的时长计入志愿服务时长。",
))

register(Sheet(
    name="村庄", model=Village, order=430, app="volunteering",
    columns=(
        Col("省", "province", required=True),
        Col("市", "city", required=True),
        Col("县（市、区）", "county", required=True),
        Col("乡镇（街道）", "township", required=True),
        Col("村", "name", required=True),
    ),
    save=lambda *, actor, values, instance: services.village_save(actor=actor, values=values, village=instance),
))

register(Sheet(
    name="薄弱村认定", model=WeakYears, order=435, app="volunteering",
    columns=(
        Col("村庄", "village", "ref", required=True, ref="村庄"),
        Col("起始年份", "since_year", "int", required=True),
        Col("截止年份", "until_year", "int", help="空白表示至今"),
    ),
    save=lambda *, actor, values, instance: services.weak_years_save(actor=actor, values=values, instance=instance),
    help="村庄被列为薄弱村的年份（含首尾）；“帮扶薄弱村”按首次结对当年是否为薄弱村统计。",
))

register(Sheet(
    name="结对帮扶", model=Pairing, order=440, app="volunteering",
    columns=(
        Col("村庄", "village", "ref", required=True, ref="村庄"),
        Col("结对方式", "way", "choice", required=True, choices=labels(Pairing.Way.choices)),
        Col("商协会", "association", "ref", required=True, ref="商协会"),
        Col("企业", "enterprise", "ref", ref="会员企业", help="一企帮一村的企业，多企帮一村的牵头企业"),
        Col("结对日期", "paired_on", "date", required=True),
        Col("说明", "note"),
    ),
    save=lambda *, actor, values, instance: services.pairing_save(actor=actor, values=values, pairing=instance),
))

register(Sheet(
    name="结对帮扶企业", model=PairingEnterprise, order=445, app="volunteering",
    columns=(
        Col("结对帮扶", "pairing", "ref", required=True, ref="结对帮扶"),
        Col("企业", "enterprise", "ref", required=True, ref="会员企业"),
    ),
    save=lambda *, actor, values, instance: services.pairing_enterprise_save(actor=actor, values=values,
                                                                              instance=instance),
    help="多企帮一村中牵头企业以外的企业。",
))

register(Sheet(
    name="帮扶项目", model=Project, order=450, app="volunteering",
    columns=(
        Col("结对帮扶", "pairing", "ref", required=True, ref="结对帮扶"),
        Col("实施企业", "enterprise", "ref", ref="会员企业"),
        Col("项目名称", "name", required=True),
        Col("项目类别", "klass", "choice", required=True, choices=labels(Project.Klass.choices)),
        Col("帮扶类型", "tag", "choice", required=True, choices=labels(Project.Tag.choices)),
        Col("项目内容", "content"),
        Col("计划投资", "planned_funds", "decimal", help="元"),
        Col("捐赠物资折价", "goods_value", "decimal", help="元，不计入帮扶资金"),
        Col("带动固定就业", "jobs_fixed", "int"),
        Col("带动临时就业", "jobs_temporary", "int"),
        Col("受益农户", "households", "int"),
        Col("村集体增收", "income_increase", "decimal", help="元"),
        Col("利益联结方式", "benefit_link", "choice", choices=labels(Project.Link.choices)),
        Col("开始日期", "starts_on", "date", required=True),
        Col("结束日期", "ends_on", "date"),
        Col("状态", "status", "choice", required=True, choices=labels(Project.Status.choices)),
        Col("进展情况", "progress"),
        Col("派驻村支部党员", "posted_member", "ref", ref="人员"),
    ),
    save=lambda *, actor, values, instance: services.project_save(actor=actor, values=values, project=instance),
    help="导入已有编号的行即更新项目进展（状态、进展情况、就业、增收等）；到位资金见“项目资金到位”。",
))

register(Sheet(
    name="项目资金到位", model=Payment, order=460, app="volunteering",
    columns=(
        Col("帮扶项目", "project", "ref", required=True, ref="帮扶项目"),
        Col("到位日期", "paid_on", "date", required=True),
        Col("到位金额", "amount", "decimal", required=True, help="元"),
        Col("说明", "note"),
    ),
    save=lambda *, actor, values, instance: services.payment_save(actor=actor, values=values, instance=instance),
    help="按到位日期累计“投入帮扶资金”。",
))

register(Sheet(
    name="捐赠", model=Donation, order=470, app="volunteering",
    columns=(
        Col("类型", "kind", "choice", required=True, choices=labels(Donation.Kind.choices)),
        Col("捐赠方类型", "donor_kind", "choice", required=True, choices=labels(Donation.DonorKind.choices)),
        Col("捐赠企业", "donor_enterprise", "ref", ref="会员企业"),
        Col("捐赠人", "donor_person", "ref", ref="人员"),
        Col("捐赠商协会", "donor_association", "ref", ref="商协会"),
        Col("受助对象", "recipient", required=True, help="概括描述，不写个人信息"),
        Col("捐款金额", "amount", "decimal", help="元"),
        Col("物资折价", "goods_value", "decimal", help="元"),
        Col("捐赠日期", "donated_on", "date", required=True),
        Col("组织党组织", "party_org", "ref", ref="党组织"),
        Col("组织商协会", "association", "ref", ref="商协会"),
        Col("说明", "note"),
    ),
    save=lambda *, actor, values, instance: services.donation_save(actor=actor, values=values, donation=instance),
))
