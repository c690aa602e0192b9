"""The API's registry endpoints: associations, party orgs, enterprises and
people, read-only, with the registry pages' roles, scope and masking.

Roles as on the pages (registry/views.py READERS): the committee, leaders,
instructors and secretaries; everyone else gets a 403. Lists mask every
phone; a detail shows a phone as its page shows it to the reader (and logs a
full one); a 身份证 number is always masked — the API offers no unmasking."""

from datetime import date
from typing import Literal

from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from fourfirsts.api import paging
from fourfirsts.api.common import Id, RecordOut, visible_or_404
from fourfirsts.core import audit
from fourfirsts.core.crypto import mask_id_number, mask_phone
from fourfirsts.core.views import require_role
from fourfirsts.registry import access
from fourfirsts.registry.models import (
    INDUSTRY_SECTIONS,
    Association,
    AssociationStatus,
    Enterprise,
    EnterpriseMembership,
    PartyMembership,
    PartyOrg,
    Person,
    active_on,
    today,
)
from fourfirsts.registry.views import READERS

router = Router(tags=[_("组织")])

STATUS_LABELS = dict(AssociationStatus.Status.choices)


def one_of(values):
    """A query parameter taking one of these codes (inlined in the schema, unlike an Enum)."""
    return Literal[tuple(values)]


class Search(Schema):
    q: str | None = Field(None, max_length=100, description=_("名称或拼音首字母"))


class Dated(Schema):
    since: date
    until: date | None = None


# --- associations --------------------------------------------------------------------------


class AssociationFilter(Search):
    kind: one_of(Association.Kind.values) | None = Field(None, description=_("类别"))
    status: one_of(AssociationStatus.Status.values) | None = Field(None, description=_("今天的状态"))


class AssociationOut(RecordOut):
    ref: str
    name: str
    kind: str
    kind_label: str
    registration_number: str
    founded_on: date | None
    supervising_body: str
    address: str
    contact_name: str
    contact_phone: str = Field(description=_("列表中总是遮盖"))
    status: str | None = Field(description=_("今天的状态"))
    status_label: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_contact_phone(obj):
        return mask_phone(obj.contact_phone)

    @staticmethod
    def resolve_status(obj):
        return obj.current_status or None

    @staticmethod
    def resolve_status_label(obj):
        return str(STATUS_LABELS.get(obj.current_status, ""))


class StatusOut(Schema):
    status: str
    status_label: str
    since: date

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class CoveringOrgOut(Dated):
    party_org_id: int
    party_org_name: str


class ShownContactPhone(Schema):
    """An organisation's contact phone as the detail page shows it to this reader."""

    contact_phone: str = Field(description=_("登记表的维护者看到完整号码（记入安全日志），其他人看到遮盖号码"))
    contact_phone_full: bool

    @staticmethod
    def resolve_contact_phone(obj):
        return obj.shown_contact_phone

    @staticmethod
    def resolve_contact_phone_full(obj):
        return obj.shown_contact_phone_full


class AssociationDetailOut(ShownContactPhone, AssociationOut):
    statuses: list[StatusOut] = Field(description=_("状态记录，新的在前"))
    coverages: list[CoveringOrgOut] = Field(description=_("覆盖它的党组织"))

    @staticmethod
    def resolve_statuses(obj):
        return list(obj.statuses.order_by("-since", "-id"))

    @staticmethod
    def resolve_coverages(obj):
        return list(obj.coverages.annotate(party_org_name=F("party_org__name")).order_by("since", "id"))


def _current_status():
    latest = AssociationStatus.objects.filter(association=OuterRef("pk"), since__lte=today())
    return Subquery(latest.order_by("-since", "-id").values("status")[:1])


def _associations():
    return Association.objects.annotate(current_status=_current_status())


def _contact_phone(request, obj) -> None:
    """An organisation's contact phone as its page shows it: in full, and
    logged, for those who keep the record; masked for everyone else."""
    full = bool(obj.contact_phone) and access.can_write(request.user, obj)
    if full:
        audit.log(audit.Kind.UNMASKED_VIEW, user=request.user, request=request, target=obj.ref,
                  field="contact_phone")
    obj.shown_contact_phone = obj.contact_phone if full else mask_phone(obj.contact_phone)
    obj.shown_contact_phone_full = full


@router.get("/associations", response=paging.page_of(AssociationOut), summary=_("商协会列表"))
def association_list(request, page: Query[paging.PageIn], filters: Query[AssociationFilter]):
    require_role(request, *READERS)
    qs = _associations().visible_to(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(current_status=filters.status)
    return paging.page(qs.search(filters.q), page, deleted_model=Association, user=request.user)


@router.get("/associations/{association_id}", response=AssociationDetailOut, summary=_("商协会详情"))
def association_detail(request, association_id: int):
    require_role(request, *READERS)
    obj = visible_or_404(request.user, _associations(), association_id, _("商协会"))
    _contact_phone(request, obj)
    return obj


# --- party orgs ----------------------------------------------------------------------------------


class PartyOrgFilter(Search):
    kind: one_of(PartyOrg.Kind.values) | None = Field(None, description=_("类型"))
    parent: Id | None = Field(None, description=_("上级党组织的 id"))


class PartyOrgOut(RecordOut):
    ref: str
    name: str
    kind: str
    kind_label: str
    parent_id: int | None
    parent_name: str | None
    established_on: date
    dissolved_on: date | None
    secretary_id: int | None
    secretary_name: str | None
    term_end: date | None
    has_committee: bool

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()


class CoveredAssociationOut(Dated):
    association_id: int
    association_name: str


class PartyOrgDetailOut(PartyOrgOut):
    coverages: list[CoveredAssociationOut] = Field(description=_("它覆盖的商协会"))

    @staticmethod
    def resolve_coverages(obj):
        return list(obj.coverages.annotate(association_name=F("association__name")).order_by("since", "id"))


def _party_orgs():
    return PartyOrg.objects.annotate(parent_name=F("parent__name"),
                                                      secretary_name=F("secretary__name"))


@router.get("/party-orgs", response=paging.page_of(PartyOrgOut), summary=_("党组织列表"))
def party_org_list(request, page: Query[paging.PageIn], filters: Query[PartyOrgFilter]):
    require_role(request, *READERS)
    qs = _party_orgs().visible_to(request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.parent is not None:
        qs = qs.filter(parent_id=filters.parent)
    return paging.page(qs.search(filters.q), page, deleted_model=PartyOrg, user=request.user)


@router.get("/party-orgs/{party_org_id}", response=PartyOrgDetailOut, summary=_("党组织详情"))
def party_org_detail(request, party_org_id: int):
    require_role(request, *READERS)
    return visible_or_404(request.user, _party_orgs(), party_org_id, _("党组织"))


# --- enterprises ---------------------------------------------------------------------------------


class EnterpriseFilter(Search):
    industry: one_of(sorted(INDUSTRY_SECTIONS)) | None = Field(None, description=_("行业门类（国民经济行业分类门类代码）"))
    size: one_of(Enterprise.Size.values) | None = Field(None, description=_("规模"))
    association: Id | None = Field(None, description=_("今天是其会员的商协会的 id"))


class EnterpriseOut(RecordOut):
    ref: str
    name: str
    uscc: str
    industry: str
    industry_label: str
    size: str
    size_label: str
    contact_name: str
    contact_phone: str = Field(description=_("列表中总是遮盖"))

    @staticmethod
    def resolve_industry_label(obj):
        return str(INDUSTRY_SECTIONS.get(obj.industry, ""))

    @staticmethod
    def resolve_size_label(obj):
        return obj.get_size_display() if obj.size else ""

    @staticmethod
    def resolve_contact_phone(obj):
        return mask_phone(obj.contact_phone)


class MembershipOut(Dated):
    association_id: int
    association_name: str


class EnterpriseDetailOut(ShownContactPhone, EnterpriseOut):
    memberships: list[MembershipOut] = Field(description=_("所属商协会（会员关系）"))

    @staticmethod
    def resolve_memberships(obj):
        return list(obj.memberships.annotate(association_name=F("association__name")).order_by("since", "id"))


@router.get("/enterprises", response=paging.page_of(EnterpriseOut), summary=_("会员企业列表"))
def enterprise_list(request, page: Query[paging.PageIn], filters: Query[EnterpriseFilter]):
    require_role(request, *READERS)
    qs = Enterprise.objects.visible_to(request.user)
    if filters.industry:
        qs = qs.filter(industry=filters.industry)
    if filters.size:
        qs = qs.filter(size=filters.size)
    if filters.association is not None:
        current = EnterpriseMembership.objects.filter(active_on(today()), association_id=filters.association)
        qs = qs.filter(pk__in=current.values("enterprise_id"))
    return paging.page(qs.search(filters.q), page, deleted_model=Enterprise, user=request.user)


@router.get("/enterprises/{enterprise_id}", response=EnterpriseDetailOut, summary=_("会员企业详情"))
def enterprise_detail(request, enterprise_id: int):
    require_role(request, *READERS)
    obj = visible_or_404(request.user, Enterprise.objects, enterprise_id, _("会员企业"))
    _contact_phone(request, obj)
    return obj


# --- people -----------------------------------------------------------------------------------------


class PersonFilter(Search):
    party_org: Id | None = Field(None, description=_("今天的组织关系所在党组织的 id"))


class PersonOut(RecordOut):
    ref: str
    name: str
    gender: str
    gender_label: str
    birth_date: date | None
    phone: str = Field(description=_("列表中总是遮盖"))
    is_entrepreneur: bool
    development_stage: str
    development_stage_label: str

    @staticmethod
    def resolve_gender_label(obj):
        return obj.get_gender_display() if obj.gender else ""

    @staticmethod
    def resolve_phone(obj):
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_development_stage_label(obj):
        return obj.get_development_stage_display() if obj.development_stage else ""


class PartyMembershipOut(Dated):
    party_org_id: int
    party_org_name: str


class PoliticalStatusOut(Dated):
    status: str
    status_label: str

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()


class PersonDetailOut(PersonOut):
    id_number: str = Field(description=_("身份证号码，总是遮盖"))
    phone: str = Field(description=_("所在党组织的书记看到完整号码（记入安全日志），其他人看到遮盖号码"))
    phone_full: bool
    party_memberships: list[PartyMembershipOut] = Field(description=_("组织关系，新的在前"))
    political_statuses: list[PoliticalStatusOut] = Field(description=_("政治面貌，新的在前"))

    @staticmethod
    def resolve_id_number(obj):
        return mask_id_number(obj.id_number)

    @staticmethod
    def resolve_phone(obj):
        return obj.shown_phone

    @staticmethod
    def resolve_phone_full(obj):
        return obj.shown_phone_full

    @staticmethod
    def resolve_party_memberships(obj):
        return list(obj.party_memberships.annotate(party_org_name=F("party_org__name")).order_by("-since", "-id"))

    @staticmethod
    def resolve_political_statuses(obj):
        return list(obj.political_statuses.order_by("-since", "-id"))


@router.get("/people", response=paging.page_of(PersonOut), summary=_("人员列表"))
def person_list(request, page: Query[paging.PageIn], filters: Query[PersonFilter]):
    require_role(request, *READERS)
    qs = Person.objects.visible_to(request.user).defer("id_number")
    if filters.party_org is not None:
        current = PartyMembership.objects.filter(active_on(today()), party_org_id=filters.party_org)
        qs = qs.filter(pk__in=current.values("person_id"))
    return paging.page(qs.search(filters.q), page, deleted_model=Person, user=request.user)


@router.get("/people/{person_id}", response=PersonDetailOut, summary=_("人员详情"))
def person_detail(request, person_id: int):
    require_role(request, *READERS)
    person = visible_or_404(request.user, Person.objects, person_id, _("人员"))
    person.shown_phone, person.shown_phone_full = access.phone_for(request.user, person)
    if person.shown_phone_full:
        audit.log(audit.Kind.UNMASKED_VIEW, user=request.user, request=request, target=person.ref, field="phone")
    return person
