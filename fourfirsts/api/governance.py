"""The API's 第一责任 endpoints, read-only: coverage (两个覆盖) as
governance/coverage.py computes it, and honours. Roles and scope as on the
governance pages: coverage for the committee, leaders, instructors and
secretaries (their own associations); honours also for members (their own
org's)."""

import re
from datetime import date
from typing import Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from fourfirsts.api import errors, paging
from fourfirsts.api.common import RecordOut, visible_or_404
from fourfirsts.core import cnnum
from fourfirsts.core.views import require_role
from fourfirsts.governance import access, coverage, services
from fourfirsts.governance.models import Honour
from fourfirsts.registry.models import Association

router = Router(tags=[_("第一责任")])
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- coverage ------------------------------------------------------------------------------------


class CoverageIn(Schema):
    day: date | None = Field(None, description=_("统计日期（YYYY-MM-DD），默认今天；某年 F21、F22 的值"
                                                 "即该年报告日（12 月 31 日，当年为今天）的覆盖率"))

    @field_validator("day", mode="before")
    @classmethod
    def iso_day(cls, value):
        """YYYY-MM-DD only: pydantic would also read a number as a timestamp."""
        if value is not None and not (isinstance(value, str) and ISO_DAY.fullmatch(value)):
            raise PydanticCustomError("date_parsing", str(errors.PYDANTIC_WORDS["date_parsing"]))
        return value


class OrgRef(Schema):
    id: int
    name: str


class AssociationCoverageOut(Schema):
    association_id: int
    association_name: str
    kind: Literal[coverage.OWN, coverage.JOINT, coverage.INSTRUCTOR, coverage.NONE] = Field(
        description=_("own 单独组建，joint 联合组建，instructor 仅选派指导员，none 未覆盖"))
    kind_label: str
    party_orgs: list[OrgRef]
    instructor_count: int


class RateOut(Schema):
    figure: str = Field(description=_("对应的指标编号"))
    numerator: int
    denominator: int
    value: float | None = Field(description=_("百分比，保留一位小数；无在运行的商协会时为 null"))
    display: str


class StatisticOut(Schema):
    key: str
    label: str
    value: int


class CoverageOut(Schema):
    day: date
    org_coverage: RateOut = Field(description=_("组织覆盖率（F21）"))
    work_coverage: RateOut = Field(description=_("工作覆盖率（F22）"))
    statistics: list[StatisticOut] = Field(description=_("党组织统计表"))
    associations: list[AssociationCoverageOut] = Field(description=_("当日在运行的各商协会，按名称拼音排序"))


def _rate(figure_id, numerator, denominator) -> dict:
    return {"figure": figure_id, "numerator": numerator, "denominator": denominator,
            "value": _number(cnnum.percent_value(numerator, denominator)), "display": cnnum.percent(numerator, denominator)}


def _number(value):
    return None if value is None else float(value)


@router.get("/coverage", response=CoverageOut, summary=_("两个覆盖"),
            description=_("在您范围内、当日在运行的商协会的覆盖方式、覆盖率与党组织统计表；不分页（与页面相同，一次返回全部商协会）。"))
def coverage_view(request, params: Query[CoverageIn]):
    require_role(request, *access.READERS)
    day = params.day or timezone.localdate()
    associations = Association.objects.visible_to(request.user)
    rows = coverage.coverage_on(associations, day)
    counts = coverage.rates(rows)
    stats = coverage.statistics(associations, day)
    return {
        "day": day,
        "org_coverage": _rate("F21", counts["org_covered"], counts["units"]),
        "work_coverage": _rate("F22", counts["work_covered"], counts["units"]),
        "statistics": [{"key": key, "label": str(label), "value": stats[key]}
                       for key, label in coverage.statistics_labels(day).items()],
        "associations": [{"association_id": r.association.pk, "association_name": r.association.name,
                          "kind": r.kind, "kind_label": str(r.label),
                          "party_orgs": [{"id": o.pk, "name": o.name} for o in r.orgs],
                          "instructor_count": len(r.instructor_ids)} for r in rows],
    }


# --- honours ---------------------------------------------------------------------------------------


class HonourFilter(Schema):
    kind: Literal[tuple(Honour.Kind.values)] | None = Field(None, description=_("荣誉类别"))
    level: Literal[tuple(Honour.Level.values)] | None = Field(None, description=_("级别"))
    stage: Literal[tuple(Honour.Stage.values)] | None = Field(None, description=_("阶段"))
    expiring: bool = Field(False, description=_("只要即将到期的（仍有效，有效期在提醒天数内结束）"))


class HonourOut(RecordOut):
    ref: str
    kind: str
    kind_label: str
    title: str = Field(description=_("荣誉名称；未填写时为荣誉类别"))
    level: str
    level_label: str
    association_id: int | None
    association_name: str | None
    party_org_id: int | None
    party_org_name: str | None
    cycle: str
    stage: str
    stage_label: str
    recognised_on: date | None
    valid_until: date | None = Field(description=_("空：撤销前一直有效"))
    revoked_on: date | None
    notes: str

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_title(obj):
        return str(obj)

    @staticmethod
    def resolve_level_label(obj):
        return obj.get_level_display()

    @staticmethod
    def resolve_association_name(obj):
        return obj.association.name if obj.association_id else None

    @staticmethod
    def resolve_party_org_name(obj):
        return obj.party_org.name if obj.party_org_id else None

    @staticmethod
    def resolve_stage_label(obj):
        return obj.get_stage_display()


@router.get("/honours", response=paging.page_of(HonourOut), summary=_("荣誉列表"))
def honour_list(request, page: Query[paging.PageIn], filters: Query[HonourFilter]):
    require_role(request, *access.HONOUR_READERS)
    qs = Honour.objects.visible_to(request.user).select_related("association", "party_org")
    for key in ("kind", "level", "stage"):
        if getattr(filters, key):
            qs = qs.filter(**{key: getattr(filters, key)})
    if filters.expiring:
        qs = qs.filter(pk__in=services.honours_expiring(Honour.objects.all(), timezone.localdate()).values("pk"))
    return paging.page(qs, page, deleted_model=Honour, user=request.user)


@router.get("/honours/{honour_id}", response=HonourOut, summary=_("荣誉详情"))
def honour_detail(request, honour_id: int):
    access.require_reader(request.user, access.HONOUR_READERS)
    return visible_or_404(request.user, Honour.objects.select_related("association", "party_org"), honour_id,
                          _("荣誉"))
