"""第一身份: membership development. A `Development` per applicant (the
application, step 1.1, and where the person stands), a `StepRecord` per step
done (date, who acted, note, documents, the people it names), `Review` rows
for the six-monthly reviews of an activist, and `Reminder` rows so each
reminder goes out once.

Visibility: committee and leaders see all; a secretary the developments of
their orgs (and the orgs below); a member their own. Writes go through
`services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.models import Record
from fourfirsts.membership import workflow
from fourfirsts.registry.models import PartyOrg, Person, new_ref


def _scope_q(user, prefix: str = "") -> Q | None:
    """None: everything; else the Q a user's scope allows."""
    scope = scope_of(user)
    if scope.sees_all:
        return None
    q = Q(pk__in=[])
    if scope.has(Role.SECRETARY) and scope.secretary_of_org_ids:
        q |= Q(**{f"{prefix}party_org_id__in": scope.secretary_of_org_ids})
    if scope.has(Role.MEMBER, Role.SECRETARY) and scope.person_id:
        q |= Q(**{f"{prefix}person_id": scope.person_id})
    return q


class DevelopmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = _scope_q(user)
        return self if q is None else self.filter(q)

    def at_stage_on(self, day):
        """Annotated with `stage_on`: the stage each development had reached on the day."""
        from django.db.models import Case, CharField, Exists, OuterRef, Value, When

        def done(code):
            return Exists(StepRecord.objects.filter(development=OuterRef("pk"), code=code, done_on__lte=day))

        return self.filter(applied_on__lte=day).annotate(stage_on=Case(
            When(done("5.24"), then=Value(workflow.FULL)),
            When(done("4.17"), then=Value(workflow.PROBATIONARY)),
            When(done("3.7"), then=Value(workflow.CANDIDATE)),
            When(done("2.3"), then=Value(workflow.ACTIVIST)),
            default=Value(workflow.APPLICANT), output_field=CharField()))


class Development(Record):
    """One person's application and its development (入党申请 → 正式党员)."""

    class Stage(models.TextChoices):
        APPLICANT = workflow.APPLICANT, _("入党申请人")
        ACTIVIST = workflow.ACTIVIST, _("入党积极分子")
        CANDIDATE = workflow.CANDIDATE, _("发展对象")
        PROBATIONARY = workflow.PROBATIONARY, _("预备党员")
        FULL = workflow.FULL, _("正式党员")

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    person = models.ForeignKey(Person, verbose_name=_("申请人"), on_delete=models.PROTECT,
                               related_name="developments")
    party_org = models.ForeignKey(PartyOrg, verbose_name=_("党组织"), on_delete=models.PROTECT,
                                  related_name="developments")
    applied_on = models.DateField(_("申请日期"), db_index=True)
    is_entrepreneur = models.BooleanField(_("民营经济人士"), default=False,
                                          help_text=_("申请时人员信息中的“民营经济人士”标记"))
    stage = models.CharField(_("发展阶段"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT)
    last_code = models.CharField(_("最近完成的步骤"), max_length=5, default="1.1")
    extension_months = models.PositiveSmallIntegerField(_("延长预备期（月）"), default=0)
    extension_reason = models.TextField(_("延长预备期的理由"), blank=True)

    objects = DevelopmentQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-applied_on", "-id"]
        verbose_name = _("入党申请")
        constraints = [models.UniqueConstraint(fields=["person"], name="one_development_per_person")]

    def __str__(self):
        return f"{self.person} · {self.get_stage_display()}"


class StepQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = _scope_q(user, "development__")
        return self if q is None else self.filter(q)


class StepRecord(Record):
    """A step done: when, who acted (a user, or a named person), note, and the
    facts the step carries (people named, training, votes, notice, reason)."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    development = models.ForeignKey(Development, on_delete=models.CASCADE, related_name="steps")
    code = models.CharField(_("步骤"), max_length=5, choices=[(s.code, s.label) for s in workflow.STEPS])
    done_on = models.DateField(_("日期"))
    actor_user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    actor_person = models.ForeignKey(Person, verbose_name=_("办理人"), null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(_("办理人"), max_length=150, blank=True)
    note = models.TextField(_("说明"), blank=True)
    people = models.ManyToManyField(Person, verbose_name=_("相关人员"), blank=True, related_name="+")
    training_days = models.PositiveSmallIntegerField(_("培训天数"), null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField(_("培训学时"), null=True, blank=True)
    voters_entitled = models.PositiveSmallIntegerField(_("有表决权的党员数"), null=True, blank=True)
    voters_present = models.PositiveSmallIntegerField(_("到会有表决权的党员数"), null=True, blank=True)
    votes_yes = models.PositiveSmallIntegerField(_("赞成票数"), null=True, blank=True)
    notice_from = models.DateField(_("公示开始"), null=True, blank=True)
    notice_to = models.DateField(_("公示结束"), null=True, blank=True)
    delay_reason = models.TextField(_("超过期限的理由"), blank=True)
    # The people's 编号 as the workbook shows them (kept with `people` by the service).
    people_refs = models.CharField(_("相关人员编号"), max_length=200, blank=True, editable=False)
    # On 5.23: the branch meeting's decision to extend probation (DEV-7), copied from the development.
    extension_months = models.PositiveSmallIntegerField(_("延长预备期（月）"), null=True, blank=True)
    extension_reason = models.TextField(_("延长理由"), blank=True)

    objects = StepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["development_id", "done_on", "id"]
        constraints = [models.UniqueConstraint(fields=["development", "code"], name="one_record_per_step")]

    def __str__(self):
        return f"{self.code} {self.get_code_display()}"

    @property
    def step(self) -> workflow.Step:
        return workflow.step(self.code)


class Review(Record):
    """A six-monthly review of an activist (DEV-3)."""

    ref = models.CharField(_("编号"), max_length=40, unique=True, default=new_ref)
    development = models.ForeignKey(Development, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("考察日期"))
    note = models.TextField(_("考察意见"), blank=True)
    actor_label = models.CharField(_("办理人"), max_length=150, blank=True)

    objects = StepQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["development_id", "reviewed_on", "id"]


class Reminder(models.Model):
    """A reminder sent, so the daily job sends each one once."""

    development = models.ForeignKey(Development, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=20)
    due_on = models.DateField()
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["development", "kind", "due_on"], name="reminder_once")]
