"""The membership workbook sheets: 入党申请 (one row per development, its
step 1.1), 积极分子考察 (reviews) and 发展步骤 (every later step). Import
replays through the services, so every DEV rule holds for imported history:
reviews are written before the steps, and steps in their 编号 order (a step's
编号 is its application's followed by the step number, so an export replays
in order). Recorded rows are history: an import does not change them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fourfirsts.core.sheets import Col, Sheet, register
from fourfirsts.membership import services, workflow
from fourfirsts.membership.models import Development, Review, StepRecord
from fourfirsts.registry.models import Person


def _unchangeable(instance):
    raise ValidationError(_("已导入的发展党员记录不能通过导入修改：%(ref)s") % {"ref": instance.ref})


def _save_development(*, actor, values, instance):
    if instance is not None:
        _unchangeable(instance)
    return services.development_apply(
        actor=actor, person=values["person"], party_org=values["party_org"], applied_on=values["applied_on"],
        note=values.get("note") or "", ref=values.get("ref"), is_entrepreneur=values.get("is_entrepreneur"))


def _save_review(*, actor, values, instance):
    if instance is not None:
        _unchangeable(instance)
    return services.review_record(actor=actor, development=values["development"], reviewed_on=values["reviewed_on"],
                                  note=values.get("note") or "", ref=values.get("ref"))


def _people(text: str) -> list[Person]:
    refs = [r.strip() for r in (text or "").replace(",", "、").replace("，", "、").split("、") if r.strip()]
    found = {p.ref: p for p in Person.objects.filter(ref__in=refs)}
    missing = [r for r in refs if r not in found]
    if missing:
        raise ValidationError({"people_refs": _("找不到编号为“%(refs)s”的人员") % {"refs": "、".join(missing)}})
    return [found[r] for r in refs]


FACTS = ("development", "code", "done_on", "people_refs", "training_days", "training_hours", "voters_entitled",
         "voters_present", "votes_yes", "notice_from", "notice_to", "delay_reason", "extension_months",
         "extension_reason")


def _save_step(*, actor, values, instance):
    code, dev = values["code"], values["development"]
    if instance is None and code == "1.1":
        # The application wrote its 1.1; a row of the file adds its note and who acted.
        instance = dev.steps.filter(code="1.1").first()
    if instance is not None:
        if any(k in values and (values[k] or None) != (getattr(instance, k) or None) for k in FACTS):
            _unchangeable(instance)
        return services.step_annotate(actor=actor, record=instance, note=values.get("note") or "",
                                      acted_by=values.get("actor_person"))
    fields = ("training_days", "training_hours", "voters_entitled", "voters_present", "votes_yes", "notice_from",
              "notice_to")
    record = services.step_record(
        actor=actor, development=dev, code=code, done_on=values["done_on"], note=values.get("note") or "",
        acted_by=values.get("actor_person"), people=_people(values.get("people_refs", "")),
        delay_reason=values.get("delay_reason") or "", ref=values.get("ref"),
        **{f: values.get(f) for f in fields})
    if values.get("extension_months"):
        services.probation_extend(actor=actor, development=dev, months=values["extension_months"],
                                  reason=values.get("extension_reason") or "")
        record.development.refresh_from_db()
    return record


register(Sheet(
    name="入党申请", model=Development, order=500, app="membership",
    columns=(
        Col("申请人", "person", "ref", required=True, ref="人员"),
        Col("党组织", "party_org", "ref", required=True, ref="党组织"),
        Col("申请日期", "applied_on", "date", required=True, help="步骤 1.1 递交入党申请书的日期"),
        Col("民营经济人士", "is_entrepreneur", "bool", help="申请时的标记；不填则取人员信息中的标记"),
    ),
    save=_save_development,
    help="每人一行：入党申请（步骤 1.1）。申请人须年满 18 岁（DEV-1）。发展阶段由“发展步骤”推算，不能直接填写。",
))

register(Sheet(
    name="积极分子考察", model=Review, order=505, app="membership",
    queryset=lambda scope: Review.objects.visible_to(scope),
    columns=(
        Col("入党申请", "development", "ref", required=True, ref="入党申请"),
        Col("考察日期", "reviewed_on", "date", required=True),
        Col("考察意见", "note"),
    ),
    save=_save_review,
    help="入党积极分子每 6 个月至少考察一次（DEV-3），在“发展步骤”之前导入。",
))

register(Sheet(
    name="发展步骤", model=StepRecord, order=510, app="membership",
    queryset=lambda scope: StepRecord.objects.visible_to(scope).select_related("development"),
    columns=(
        Col("入党申请", "development", "ref", required=True, ref="入党申请"),
        Col("步骤", "code", "choice", required=True,
            choices={s.code: f"{s.code} {s.label}" for s in workflow.STEPS}),
        Col("日期", "done_on", "date", required=True),
        Col("办理人", "actor_person", "ref", ref="人员"),
        Col("说明", "note"),
        Col("相关人员", "people_refs", help="2.5 培养联系人、3.9 入党介绍人的人员编号，以“、”分隔"),
        Col("培训天数", "training_days", "int"),
        Col("培训学时", "training_hours", "int"),
        Col("有表决权的党员数", "voters_entitled", "int"),
        Col("到会有表决权的党员数", "voters_present", "int"),
        Col("赞成票数", "votes_yes", "int"),
        Col("公示开始", "notice_from", "date"),
        Col("公示结束", "notice_to", "date"),
        Col("超过期限的理由", "delay_reason"),
        Col("延长预备期（月）", "extension_months", "int", help="仅 5.23 行：支部大会决定延长预备期的月数"),
        Col("延长理由", "extension_reason"),
    ),
    save=_save_step,
    help="步骤 1.2 至 5.25，按顺序逐步导入，每一步都按 DEV-1 至 DEV-8 检查；1.1 由“入党申请”写入，"
         "此表中的 1.1 行只补充说明和办理人。已导入的步骤只能修改说明和办理人。",
))
