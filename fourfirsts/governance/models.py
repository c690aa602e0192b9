"""第一责任: honours, synchronous establishment, charters (党建进章程),
instructors' logs, standardisation assessments and support (双支撑).

Coverage (两个覆盖) is never typed in: `coverage.py` computes it from the
registry's dated Coverage, PartyOrg, AssociationStatus and
InstructorAssignment rows.

Reads go through `visible_to(user)`: the committee, the leader and the system
see everything; a secretary or an instructor the rows of their party orgs and
associations; a member the honours of their own org. Every write goes
through `services`.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.models import Record
from fourfirsts.registry.models import Association, InstructorAssignment, PartyOrg, Person, new_ref

MONEY = {"max_digits": 16, "decimal_places": 2}
READERS = (Role.SECRETARY, Role.INSTRUCTOR)


class ScopedQuerySet(models.QuerySet):
    """Rows of a party org and/or an association (see the module's docstring)."""

    org_path: str | None = "party_org"
    assoc_path: str | None = "association"

    def visible_to(self, user):
        scope = scope_of(user)
        if scope.sees_all:
            return self
        parts = []
        if scope.has(*READERS):
            if self.org_path and scope.party_org_ids:
                parts.append(Q(**{f"{self.org_path}_id__in": scope.party_org_ids}))
            if self.assoc_path and scope.association_ids:
                parts.append(Q(**{f"{self.assoc_path}_id__in": scope.association_ids}))
        parts += self.extra_parts(scope)
        if not parts:
            return self.none()
        q = parts[0]
        for part in parts[1:]:
            q |= part
        return self.filter(q).distinct()

    def extra_parts(self, scope) -> list[Q]:
        return []


# --- honours ---------------------------------------------------------------------------------


class HonourQuerySet(ScopedQuerySet):
    def extra_parts(self, scope):
        """Also a member's: their own org's honours and those of the associations it covers today."""
        from fourfirsts.registry.models import Coverage, active_on, today

        if Role.MEMBER not in scope.roles or not scope.party_org_ids:
            return []
        covered = Coverage.objects.filter(active_on(today()), party_org_id__in=scope.party_org_ids)
        return [Q(party_org_id__in=scope.party_org_ids) | Q(association_id__in=covered.values("association_id"))]

    def valid_on(self, day):
        """Recognised on or before the day and neither expired nor revoked by then
        (an honour with no end date is valid until revoked)."""
        return self.filter(stage=Honour.Stage.RECOGNISED, recognised_on__lte=day).filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day)
        ).filter(Q(revoked_on__isnull=True) | Q(revoked_on__gt=day))


class Honour(Record):
    """An honour held by an association (“四好”商会) or a party org (标杆示范党组织)."""

    class Kind(models.TextChoices):
        FOUR_GOOD = "four_good", _("“四好”商会")
        BENCHMARK = "benchmark", _("标杆示范党组织")
        OTHER = "other", _("其他荣誉")

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCIAL = "provincial", _("省级")
        CITY = "city", _("市级")

    class Stage(models.TextChoices):
        DECLARED = "declared", _("申报")
        RECOMMENDED = "recommended", _("推荐")
        VETTED = "vetted", _("审核")
        JUDGED = "judged", _("评审")
        RECOGNISED = "recognised", _("认定")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    kind = models.CharField(_("荣誉类别"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("荣誉名称"), max_length=100, blank=True)
    level = models.CharField(_("级别"), max_length=20, choices=Level.choices)
    association = models.ForeignKey(Association, verbose_name=_("商协会"), null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="honours")
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("党组织"), null=True, blank=True,
                                  on_delete=models.CASCADE, related_name="honours")
    cycle = models.CharField(_("周期"), max_length=20, blank=True)
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.DECLARED)
    recognised_on = models.DateField(_("认定日期"), null=True, blank=True)
    valid_until = models.DateField(_("有效期至"), null=True, blank=True)
    revoked_on = models.DateField(_("撤销日期"), null=True, blank=True)
    notes = models.TextField(_("备注"), blank=True)

    objects = HonourQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("荣誉")
        ordering = ["-recognised_on", "id"]

    def __str__(self):
        return self.title or str(self.get_kind_display())

    @property
    def holder(self):
        return self.association or self.party_org


# --- synchronous establishment ------------------------------------------------------------------


class EstablishmentQuerySet(ScopedQuerySet):
    org_path = "party_org"


class Establishment(Record):
    """同步筹备同步建立: setting up the party org of an association in preparation."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    association = models.ForeignKey(Association, verbose_name=_("商协会"), on_delete=models.CASCADE,
                                    related_name="establishments")
    registered_on = models.DateField(_("登记日期"))
    org_name = models.CharField(_("拟建党组织名称"), max_length=200)
    org_kind = models.CharField(_("拟建党组织类型"), max_length=20, choices=PartyOrg.Kind.choices,
                                default=PartyOrg.Kind.BRANCH)
    parent = models.ForeignKey(PartyOrg, verbose_name=_("上级党组织"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("建立的党组织"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="establishments")

    objects = EstablishmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("同步建立")
        ordering = ["-registered_on", "id"]

    def __str__(self):
        return self.org_name


class EstablishmentStepQuerySet(ScopedQuerySet):
    """A step is seen by whoever sees its establishment (its association or the org founded)."""

    org_path = "establishment__party_org"
    assoc_path = "establishment__association"


class EstablishmentStep(Record):
    class Step(models.TextChoices):
        COMMITMENT = "commitment", _("支持党建工作承诺书")
        SURVEY = "survey", _("党员情况调查表")
        APPROVAL = "approval", _("请示与批复")
        TRANSFER = "transfer", _("转接组织关系")
        FOUNDING = "founding", _("成立大会与选举")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    establishment = models.ForeignKey(Establishment, on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("步骤"), max_length=20, choices=Step.choices)
    done_on = models.DateField(_("完成日期"))
    notes = models.TextField(_("说明"), blank=True)

    objects = EstablishmentStepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("同步建立步骤")
        ordering = ["done_on", "id"]
        constraints = [models.UniqueConstraint(fields=["establishment", "step"], name="establishment_step_once")]


# --- charters ---------------------------------------------------------------------------------


class Clause(models.TextChoices):
    """CH-1: what a charter states; REQUIRED ones decide compliance."""

    LEADERSHIP = "leadership", _("坚持党的全面领导")
    PARTY_ORG = "party_org", _("设立党组织")
    SUPPORT = "support", _("支持党组织开展活动")
    BODIES = "bodies", _("写明业务主管单位、登记管理机关和党建领导机关")
    MAJOR_MATTERS = "major_matters", _("重大事项党组织前置研究")
    VETTING = "vetting", _("党组织参与负责人人选审核")
    CROSS = "cross", _("书记、会长交叉任职")
    FUNDS = "funds", _("保障党组织经费和场地")


REQUIRED_CLAUSES = (Clause.LEADERSHIP, Clause.PARTY_ORG, Clause.SUPPORT, Clause.BODIES)


class CharterQuerySet(ScopedQuerySet):
    org_path = None

    def in_force_on(self, day):
        """Each association's latest charter approved on or before the day."""
        latest = (
            Charter.objects.filter(association=models.OuterRef("association"), approved_on__lte=day)
            .order_by("-approved_on", "-id").values("id")[:1]
        )
        return self.filter(id=models.Subquery(latest))


class Charter(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    association = models.ForeignKey(Association, verbose_name=_("商协会"), on_delete=models.CASCADE,
                                    related_name="charters")
    version = models.CharField(_("版本"), max_length=40)
    approved_on = models.DateField(_("核准日期"))

    objects = CharterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("章程")
        ordering = ["-approved_on", "id"]

    def __str__(self):
        return f"{self.association} {self.version}"


class CharterClause(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="clauses")
    clause = models.CharField(_("条款"), max_length=20, choices=Clause.choices)
    evidence = models.CharField(_("依据（章程条文）"), max_length=500)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("章程条款")
        ordering = ["charter_id", "clause"]
        constraints = [models.UniqueConstraint(fields=["charter", "clause"], name="charter_clause_once")]


# --- instructors' logs ---------------------------------------------------------------------------


class InstructorLogQuerySet(ScopedQuerySet):
    org_path = None
    assoc_path = "assignment__association"

    def extra_parts(self, scope):
        """An instructor also sees their own logs, wherever they were assigned."""
        if scope.person_id and Role.INSTRUCTOR in scope.roles:
            return [Q(assignment__person_id=scope.person_id)]
        return []


class InstructorLog(Record):
    class Kind(models.TextChoices):
        CONTACT = "contact", _("联系")
        VISIT = "visit", _("实地走访")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    assignment = models.ForeignKey(InstructorAssignment, verbose_name=_("选派记录"), on_delete=models.CASCADE,
                                   related_name="logs")
    kind = models.CharField(_("方式"), max_length=20, choices=Kind.choices)
    held_on = models.DateField(_("日期"))
    notes = models.TextField(_("记录"), blank=True)

    objects = InstructorLogQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指导员工作记录")
        ordering = ["-held_on", "id"]


class TermReminder(Record):
    """One reminder per assignment and term end, so the daily job never repeats itself."""

    assignment = models.ForeignKey(InstructorAssignment, on_delete=models.CASCADE, related_name="+")
    term_end = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "term_end"], name="term_reminder_once")]


# --- standardisation --------------------------------------------------------------------------------


class EveryoneQuerySet(models.QuerySet):
    def visible_to(self, user):
        scope = scope_of(user)
        return self if scope.sees_all or scope.has(*READERS) else self.none()


class Checklist(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    name = models.CharField(_("名称"), max_length=100)
    year = models.PositiveSmallIntegerField(_("年度"))

    objects = EveryoneQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规范化考核清单")
        ordering = ["-year", "id"]

    def __str__(self):
        return f"{self.year} {self.name}"


class ChecklistItem(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    checklist = models.ForeignKey(Checklist, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(_("考核项目"), max_length=200)
    weight = models.DecimalField(_("分值"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("考核项目")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class AssessmentQuerySet(ScopedQuerySet):
    assoc_path = None


class Assessment(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    checklist = models.ForeignKey(Checklist, verbose_name=_("考核清单"), on_delete=models.PROTECT,
                                  related_name="assessments")
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("党组织"), on_delete=models.CASCADE,
                                  related_name="assessments")
    assessed_on = models.DateField(_("考核日期"))

    objects = AssessmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规范化考核")
        ordering = ["-assessed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["checklist", "party_org"], name="assessment_once")]


class AssessmentScore(Record):
    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("考核项目"), on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("得分"), max_digits=6, decimal_places=2)
    evidence = models.CharField(_("佐证"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="assessment_score_once")]


# --- support (双支撑) ----------------------------------------------------------------------------------


class SupportQuerySet(ScopedQuerySet):
    assoc_path = None


class Support(Record):
    class Kind(models.TextChoices):
        FUNDS = "funds", _("经费支持")
        PEOPLE = "people", _("人员支持")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("党组织"), on_delete=models.CASCADE,
                                  related_name="supports")
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    amount = models.DecimalField(_("金额（元）"), null=True, blank=True, **MONEY)
    people = models.PositiveIntegerField(_("人数"), null=True, blank=True)
    purpose = models.CharField(_("用途"), max_length=200)
    given_on = models.DateField(_("日期"))
    given_by = models.CharField(_("支持方"), max_length=100)
    person = models.ForeignKey(Person, verbose_name=_("选派人员"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")

    objects = SupportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("双支撑")
        ordering = ["-given_on", "id"]
