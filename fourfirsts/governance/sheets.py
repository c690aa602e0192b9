"""第一责任's sheets (docs/workbook.md is generated from these). Rows name the
registry's 商协会, 党组织, 人员 and 指导员选派 by 编号; saves go through
`services`. Coverage has no sheet: it is computed from 党组织覆盖 and
指导员选派."""

from fourfirsts.core.sheets import Col, Sheet, register
from fourfirsts.governance import services
from fourfirsts.governance.models import (
    Assessment,
    AssessmentScore,
    Charter,
    CharterClause,
    Checklist,
    ChecklistItem,
    Clause,
    Establishment,
    EstablishmentStep,
    Honour,
    InstructorLog,
    Support,
)
from fourfirsts.registry.models import PartyOrg


def labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


register(Sheet(
    name="荣誉", model=Honour, order=600, app="governance",
    columns=(
        Col("荣誉类别", "kind", "choice", required=True, choices=labels(Honour.Kind.choices)),
        Col("荣誉名称", "title", help="其他荣誉必填"),
        Col("级别", "level", "choice", required=True, choices=labels(Honour.Level.choices)),
        Col("商协会", "association", "ref", ref="商协会", help="“四好”商会必填"),
        Col("党组织", "party_org", "ref", ref="党组织", help="标杆示范党组织必填；与商协会只填一个"),
        Col("周期", "cycle"),
        Col("阶段", "stage", "choice", required=True, choices=labels(Honour.Stage.choices)),
        Col("认定日期", "recognised_on", "date", help="阶段为认定时必填"),
        Col("有效期至", "valid_until", "date", help="空白表示撤销前一直有效"),
        Col("撤销日期", "revoked_on", "date"),
        Col("备注", "notes"),
    ),
    save=lambda *, actor, values, instance: services.honour_save(actor=actor, values=values, honour=instance),
    help="年末有效（已认定、未到期、未撤销）的荣誉计入“标杆示范党组织”“四好”商会等指标。",
))

register(Sheet(
    name="同步建立", model=Establishment, order=610, app="governance",
    columns=(
        Col("商协会", "association", "ref", required=True, ref="商协会"),
        Col("登记日期", "registered_on", "date", required=True),
        Col("拟建党组织名称", "org_name", required=True),
        Col("拟建党组织类型", "org_kind", "choice", required=True, choices=labels(PartyOrg.Kind.choices)),
        Col("上级党组织", "parent", "ref", ref="党组织"),
        Col("建立的党组织", "party_org", "ref", ref="党组织", help="已成立的填写；空白时登记成立大会步骤会新建党组织"),
    ),
    save=lambda *, actor, values, instance: services.establishment_save(actor=actor, values=values,
                                                                         instance=instance),
    help="同步筹备同步建立：各步骤时限按工作日自登记日期起算。",
))

register(Sheet(
    name="同步建立步骤", model=EstablishmentStep, order=615, app="governance",
    queryset=lambda scope: EstablishmentStep.objects.filter(establishment__in=Establishment.objects.visible_to(scope)),
    columns=(
        Col("同步建立", "establishment", "ref", required=True, ref="同步建立"),
        Col("步骤", "step", "choice", required=True, choices=labels(EstablishmentStep.Step.choices)),
        Col("完成日期", "done_on", "date", required=True),
        Col("说明", "notes"),
    ),
    save=lambda *, actor, values, instance: services.establishment_step_save(actor=actor, values=values,
                                                                              instance=instance),
    help="请示与批复、转接组织关系、成立大会与选举须按顺序登记。",
))

register(Sheet(
    name="章程", model=Charter, order=620, app="governance",
    columns=(
        Col("商协会", "association", "ref", required=True, ref="商协会"),
        Col("版本", "version", required=True),
        Col("核准日期", "approved_on", "date", required=True),
    ),
    save=lambda *, actor, values, instance: services.charter_save(actor=actor, values=values, charter=instance),
    help="商协会在某日的现行章程是当日及以前核准的最新版本。",
))

register(Sheet(
    name="章程条款", model=CharterClause, order=625, app="governance",
    queryset=lambda scope: CharterClause.objects.filter(charter__in=Charter.objects.visible_to(scope)),
    columns=(
        Col("章程", "charter", "ref", required=True, ref="章程"),
        Col("条款", "clause", "choice", required=True, choices=labels(Clause.choices)),
        Col("依据", "evidence", required=True, help="章程中的条文位置或原文"),
    ),
    save=lambda *, actor, values, instance: services.charter_clause_save(actor=actor, values=values,
                                                                          instance=instance),
    help="前四项为必备条款，全部登记的章程计入党建进章程率。",
))

register(Sheet(
    name="指导员工作记录", model=InstructorLog, order=630, app="governance",
    columns=(
        Col("指导员选派", "assignment", "ref", required=True, ref="指导员选派"),
        Col("方式", "kind", "choice", required=True, choices=labels(InstructorLog.Kind.choices)),
        Col("日期", "held_on", "date", required=True),
        Col("记录", "notes"),
    ),
    save=lambda *, actor, values, instance: services.instructor_log_save(actor=actor, values=values, log=instance),
    help="每周联系、每月实地走访；日期须在任期内。",
))

register(Sheet(
    name="考核清单", model=Checklist, order=640, app="governance",
    columns=(
        Col("名称", "name", required=True),
        Col("年度", "year", "int", required=True),
    ),
    save=lambda *, actor, values, instance: services.checklist_save(actor=actor, values=values, checklist=instance),
))

register(Sheet(
    name="考核项目", model=ChecklistItem, order=645, app="governance",
    queryset=lambda scope: ChecklistItem.objects.filter(checklist__in=Checklist.objects.visible_to(scope)),
    columns=(
        Col("考核清单", "checklist", "ref", required=True, ref="考核清单"),
        Col("考核项目", "name", required=True),
        Col("分值", "weight", "decimal", required=True),
        Col("排序", "order", "int"),
    ),
    save=lambda *, actor, values, instance: services.checklist_item_save(actor=actor, values=values,
                                                                          instance=instance),
))

register(Sheet(
    name="规范化考核", model=Assessment, order=650, app="governance",
    columns=(
        Col("考核清单", "checklist", "ref", required=True, ref="考核清单"),
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        Col("考核日期", "assessed_on", "date", required=True),
    ),
    save=lambda *, actor, values, instance: services.assessment_save(actor=actor, values=values, scores={},
                                                                      assessment=instance),
))

register(Sheet(
    name="考核得分", model=AssessmentScore, order=655, app="governance",
    queryset=lambda scope: AssessmentScore.objects.filter(assessment__in=Assessment.objects.visible_to(scope)),
    columns=(
        Col("规范化考核", "assessment", "ref", required=True, ref="规范化考核"),
        Col("考核项目", "item", "ref", required=True, ref="考核项目"),
        Col("得分", "score", "decimal", required=True, help="0 到该项分值"),
        Col("佐证", "evidence"),
    ),
    save=lambda *, actor, values, instance: services.assessment_score_save(actor=actor, values=values,
                                                                            instance=instance),
))

register(Sheet(
    name="双支撑", model=Support, order=660, app="governance",
    columns=(
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        Col("类别", "kind", "choice", required=True, choices=labels(Support.Kind.choices)),
        Col("金额", "amount", "decimal", help="元；经费支持必填"),
        Col("人数", "people", "int"),
        Col("选派人员", "person", "ref", ref="人员"),
        Col("用途", "purpose", required=True),
        Col("日期", "given_on", "date", required=True),
        Col("支持方", "given_by", "text", required=True),
    ),
    save=lambda *, actor, values, instance: services.support_save(actor=actor, values=values, support=instance),
))
