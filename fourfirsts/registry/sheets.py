"""The registry's workbook sheets (docs/workbook.md is generated from these)."""

from fourfirsts.core import crypto
from fourfirsts.core.sheets import Col, Sheet, register
from fourfirsts.registry import services, validators
from fourfirsts.registry.models import (
    INDUSTRY_SECTIONS,
    Association,
    AssociationStatus,
    CommitteeSeat,
    Coverage,
    Department,
    Enterprise,
    EnterpriseMembership,
    InstructorAssignment,
    PartyGroup,
    PartyGroupMembership,
    PartyMembership,
    PartyOrg,
    Person,
    PoliticalStatus,
    Post,
    PublicOffice,
)


def labels(choices) -> dict[str, str]:
    return {code: str(label) for code, label in choices}


SINCE = Col("起始日期", "since", "date", required=True)
UNTIL = Col("截止日期", "until", "date")


def _by(model, field):
    def find(value):
        return model.objects.filter(**{field: value}).first() if value else None

    return find


def _by_id_number(value):
    if not value or "*" in value:
        return None
    return Person.objects.filter(id_hash=crypto.get_cipher().lookup_hash(value)).first()


def _linked(model, via):
    """Rows of a link table whose parent record is visible in the scope."""

    def rows(scope):
        parent = model._meta.get_field(via).related_model
        return model.objects.filter(**{f"{via}__in": parent.objects.visible_to(scope)})

    return rows


def _dated(model):
    def save(*, actor, values, instance):
        return services.dated_link_save(actor=actor, model=model, values=values, instance=instance)

    return save


register(Sheet(
    name="承办单位", model=Department, order=10, app="registry",
    columns=(
        Col("名称", "name", required=True),
        Col("简称", "short_name"),
        Col("联系人", "contact_name"),
        Col("联系电话", "contact_phone", "phone"),
    ),
    save=lambda *, actor, values, instance: services.department_save(actor=actor, values=values, department=instance),
    help="处理诉求的政府部门。",
))

register(Sheet(
    name="商协会", model=Association, order=20, app="registry",
    natural_key="registration_number", find_natural=_by(Association, "registration_number"),
    columns=(
        Col("名称", "name", required=True),
        Col("类别", "kind", "choice", required=True, choices=labels(Association.Kind.choices)),
        Col("登记证号", "registration_number", help="统一社会信用代码或登记证号；没有编号的行按它匹配"),
        Col("成立日期", "founded_on", "date"),
        Col("业务主管单位", "supervising_body"),
        Col("地址", "address"),
        Col("联系人", "contact_name"),
        Col("联系电话", "contact_phone", "phone"),
    ),
    save=lambda *, actor, values, instance: services.association_save(
        actor=actor, values=values, association=instance),
))

register(Sheet(
    name="商协会状态", model=AssociationStatus, order=30, app="registry",
    queryset=_linked(AssociationStatus, "association"),
    columns=(
        Col("商协会", "association", "ref", required=True, ref="商协会"),
        Col("状态", "status", "choice", required=True, choices=labels(AssociationStatus.Status.choices)),
        Col("起始日期", "since", "date", required=True),
    ),
    save=lambda *, actor, values, instance: services.association_status_save(
        actor=actor, values=values, instance=instance),
    help="状态自起始日期起生效，直到下一条记录。",
))

register(Sheet(
    name="人员", model=Person, order=40, app="registry",
    natural_key="id_number", find_natural=_by_id_number,
    columns=(
        Col("姓名", "name", required=True),
        Col("性别", "gender", "choice", choices=labels(Person.Gender.choices)),
        Col("出生日期", "birth_date", "date"),
        Col("身份证号码", "id_number", "id_number", check=validators.check_id_number, help="导出时按权限脱敏；导入脱敏号码不会改变已存号码"),
        Col("手机号码", "phone", "phone"),
        Col("民营经济人士", "is_entrepreneur", "bool"),
    ),
    save=lambda *, actor, values, instance: services.person_save(actor=actor, values=values, person=instance),
))

register(Sheet(
    name="党组织", model=PartyOrg, order=50, app="registry", parent_field="parent",
    columns=(
        Col("名称", "name", required=True),
        Col("类型", "kind", "choice", required=True, choices=labels(PartyOrg.Kind.choices)),
        Col("上级党组织", "parent", "ref", ref="党组织"),
        Col("成立日期", "established_on", "date", required=True),
        Col("撤销日期", "dissolved_on", "date"),
        Col("书记", "secretary", "ref", ref="人员"),
        Col("届满日期", "term_end", "date"),
        Col("设支部委员会", "has_committee", "bool"),
    ),
    save=lambda *, actor, values, instance: services.party_org_save(actor=actor, values=values, org=instance),
))

register(Sheet(
    name="党组织覆盖", model=Coverage, order=60, app="registry",
    queryset=_linked(Coverage, "association"),
    columns=(
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        Col("商协会", "association", "ref", required=True, ref="商协会"),
        SINCE, UNTIL,
    ),
    save=lambda *, actor, values, instance: services.coverage_save(actor=actor, values=values, coverage=instance),
    help="一个党组织可覆盖多个商协会（联合组建）。",
))

register(Sheet(
    name="支部委员", model=CommitteeSeat, order=70, app="registry",
    queryset=_linked(CommitteeSeat, "party_org"),
    columns=(
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        Col("人员", "person", "ref", required=True, ref="人员"),
        Col("职务", "post", required=True),
        SINCE, UNTIL,
    ),
    save=_dated(CommitteeSeat),
))

register(Sheet(
    name="党小组", model=PartyGroup, order=80, app="registry",
    queryset=_linked(PartyGroup, "party_org"),
    columns=(
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        Col("名称", "name", required=True),
        Col("成立日期", "established_on", "date", required=True),
        Col("撤销日期", "dissolved_on", "date"),
    ),
    save=lambda *, actor, values, instance: services.party_group_save(actor=actor, values=values, group=instance),
))

register(Sheet(
    name="党小组成员", model=PartyGroupMembership, order=90, app="registry",
    queryset=lambda scope: PartyGroupMembership.objects.filter(
        party_group__party_org__in=PartyOrg.objects.visible_to(scope)),
    columns=(
        Col("党小组", "party_group", "ref", required=True, ref="党小组"),
        Col("人员", "person", "ref", required=True, ref="人员"),
        SINCE, UNTIL,
    ),
    save=_dated(PartyGroupMembership),
))

register(Sheet(
    name="会员企业", model=Enterprise, order=100, app="registry",
    natural_key="uscc", find_natural=_by(Enterprise, "uscc"),
    columns=(
        Col("名称", "name", required=True),
        Col("统一社会信用代码", "uscc", required=True, check=validators.check_uscc),
        Col("行业门类", "industry", "choice", choices=labels(INDUSTRY_SECTIONS.items())),
        Col("规模", "size", "choice", choices=labels(Enterprise.Size.choices)),
        Col("联系人", "contact_name"),
        Col("联系电话", "contact_phone", "phone"),
    ),
    save=lambda *, actor, values, instance: services.enterprise_save(actor=actor, values=values, enterprise=instance),
    create_many=services.enterprises_create,
))

register(Sheet(
    name="企业入会", model=EnterpriseMembership, order=110, app="registry",
    queryset=_linked(EnterpriseMembership, "association"),
    columns=(
        Col("会员企业", "enterprise", "ref", required=True, ref="会员企业"),
        Col("商协会", "association", "ref", required=True, ref="商协会"),
        Col("入会日期", "since", "date", required=True),
        Col("退会日期", "until", "date"),
    ),
    save=_dated(EnterpriseMembership),
))

register(Sheet(
    name="组织关系", model=PartyMembership, order=120, app="registry",
    queryset=_linked(PartyMembership, "person"),
    columns=(
        Col("人员", "person", "ref", required=True, ref="人员"),
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        SINCE, UNTIL,
    ),
    save=_dated(PartyMembership),
))

register(Sheet(
    name="政治面貌", model=PoliticalStatus, order=130, app="registry",
    # The pipeline's rows travel as the 发展步骤 that write them, not as rows here.
    queryset=lambda scope: _linked(PoliticalStatus, "person")(scope).exclude(source=PoliticalStatus.Source.PIPELINE),
    columns=(
        Col("人员", "person", "ref", required=True, ref="人员"),
        Col("政治面貌", "status", "choice", required=True, choices=labels(PoliticalStatus.Status.choices)),
        SINCE, UNTIL,
        Col("来源", "source", "choice", required=True, choices=labels(PoliticalStatus.Source.choices),
            help="中共预备党员、中共党员只能是“系统前入党记录”；发展党员流程写入的由“发展步骤”表导入"),
    ),
    save=lambda *, actor, values, instance: services.political_status_save(
        actor=actor, values=values, instance=instance),
))

register(Sheet(
    name="职务", model=Post, order=140, app="registry",
    queryset=_linked(Post, "person"),
    columns=(
        Col("人员", "person", "ref", required=True, ref="人员"),
        Col("会员企业", "enterprise", "ref", ref="会员企业"),
        Col("商协会", "association", "ref", ref="商协会"),
        Col("职务", "title", required=True),
        SINCE, UNTIL,
    ),
    save=_dated(Post),
))

register(Sheet(
    name="公职", model=PublicOffice, order=150, app="registry",
    queryset=_linked(PublicOffice, "person"),
    columns=(
        Col("人员", "person", "ref", required=True, ref="人员"),
        Col("职务", "title", required=True),
        Col("市领导", "is_city_leader", "bool", help="市委书记、市长等可现场交办诉求的市领导"),
        SINCE, UNTIL,
    ),
    save=_dated(PublicOffice),
))

register(Sheet(
    name="指导员选派", model=InstructorAssignment, order=160, app="registry",
    columns=(
        Col("指导员", "person", "ref", required=True, ref="人员"),
        Col("商协会", "association", "ref", required=True, ref="商协会"),
        Col("党组织", "party_org", "ref", ref="党组织"),
        Col("派出单位", "source_unit"),
        Col("职务", "post"),
        SINCE, UNTIL,
    ),
    save=lambda *, actor, values, instance: services.instructor_assign(
        actor=actor, values=values, assignment=instance),
))
