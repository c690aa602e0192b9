"""The 第一责任 pages: coverage (两个覆盖) with the statistics table, honours,
synchronous establishment, charters, instructors (assignments, logs, INS-1
compliance), org checks, standardisation checklists with assessments, and
support.

Lists start from `visible_to(user)` or from the registry's; single records
come through `governance.access` (outside scope 404); writes go through
`services`. Each page is one generic template fed with rows built here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fourfirsts.core import attachments, cnnum, figure_cache
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Attachment
from fourfirsts.core.paging import PAGE_SIZE, keyset
from fourfirsts.core.views import require_role
from fourfirsts.governance import (
    access,
    charters,
    coverage,
    forms,
    instructors,
    orgchecks,
    rules,
    services,
    todo,
)
from fourfirsts.governance.models import (
    REQUIRED_CLAUSES,
    Assessment,
    Checklist,
    Clause,
    Establishment,
    EstablishmentStep,
    Honour,
    InstructorLog,
    Support,
)
from fourfirsts.registry.models import Association, InstructorAssignment, PartyOrg

READERS = access.READERS
COMMITTEE = (Role.COMMITTEE,)
NAV = (
    (gettext_lazy("两个覆盖"), "governance:coverage", READERS),
    (gettext_lazy("荣誉"), "governance:honour_list", access.HONOUR_READERS),
    (gettext_lazy("同步建立"), "governance:establishment_list", READERS),
    (gettext_lazy("党建进章程"), "governance:charter_list", READERS),
    (gettext_lazy("指导员"), "governance:instructor_list", READERS),
    (gettext_lazy("指导员工作记录"), "governance:log_list", READERS),
    (gettext_lazy("组织设置检查"), "governance:org_checks", READERS),
    (gettext_lazy("规范化考核"), "governance:checklist_list", READERS),
    (gettext_lazy("双支撑"), "governance:support_list", READERS),
)


def _nav(request) -> list[dict]:
    scope = scope_of(request.user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [{"label": label, "url": reverse(name), "active": name == current}
            for label, name, roles in NAV if scope.has(*roles)]


def _page(request, title, **context):
    context.setdefault("nav", _nav(request))
    return render(request, "governance/page.html", {"page_title": title, **context})


def _form_page(request, form, title, cancel_url):
    return render(request, "governance/form.html", {"page_title": title, "form": form, "cancel_url": cancel_url,
                                                    "nav": _nav(request)})


def _table(columns, rows, title="", pages=None):
    """A table of the page; `pages`, a Paginator page, when it shows one page of its rows."""
    return {"title": title, "columns": columns, "rows": rows, "pages": pages}


def _row(cells, url="", warn=False):
    return {"cells": cells, "url": url, "warn": warn}


def _files_of(model, owners):
    """The files of several records of one model, in one query."""
    return list(Attachment.objects.filter(content_type=ContentType.objects.get_for_model(model),
                                          object_id__in=[o.pk for o in owners]).order_by("id"))


def _create_action(request, name, label, roles=COMMITTEE, *args):
    return [{"url": reverse(name, args=args), "label": label}] if scope_of(request.user).has(*roles) else []


def _save_form(request, form, save, done_url_of, message):
    """Run the service in a transaction with the form's files; on error keep the input."""
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = save(form)
                if "attachment" in form.fields:
                    attachments.attach_all(owner=saved, uploads=form.cleaned_data.get("attachment"),
                                           actor=Actor.of(request.user), purpose="evidence")
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, message)
            return redirect(done_url_of(saved))
    return None


def _pct(n, d):
    return cnnum.percent(n, d)


# --- coverage ----------------------------------------------------------------------------------------


COVERAGE_PAGE_SIZE = 100


@login_required
def coverage_view(request):
    require_role(request, *READERS)
    flt = forms.CoverageFilter(request.GET)
    day = flt.day_or_today()
    counts, stats, rows = figure_cache.remember("governance.coverage", request.user, day,
                                                lambda: _coverage(request.user, day))
    if flt.is_valid() and flt.cleaned_data.get("uncovered"):
        rows = [row for row in rows if row[2]]
    # Thousands of associations at province scale: a page of them at a time.
    shown = Paginator(rows, COVERAGE_PAGE_SIZE).get_page(request.GET.get("page"))
    return _page(request, _("两个覆盖"), filter=flt, items=[
        (_("日期"), day.isoformat()),
        (_("在运行的商协会"), counts["units"]),
        (_("组织覆盖率"), _pct(counts["org_covered"], counts["units"])),
        (_("工作覆盖率"), _pct(counts["work_covered"], counts["units"])),
    ], tables=[
        _table([_("统计项"), _("数量")], [_row([str(label), stats[key]]) for key, label in
                                           coverage.statistics_labels(day).items()], _("党组织统计表")),
        _table([_("商协会"), _("覆盖方式"), _("党组织"), _("指导员人数")],
               [_row(cells, reverse("registry:association_detail", args=[pk]), warn=uncovered)
                for pk, cells, uncovered in shown], _("各商协会覆盖情况"), pages=shown),
    ])


def _coverage(user, day):
    """The page's numbers for the associations the user sees (thousands at
    province scale: computed once per change of the data, then cached)."""
    associations = Association.objects.visible_to(user)
    rows = coverage.coverage_on(associations, day)
    table = [(r.association.pk, [r.association.name, str(r.label), "、".join(o.name for o in r.orgs),
                                 len(r.instructor_ids)], r.kind == coverage.NONE) for r in rows]
    return coverage.rates(rows), coverage.statistics(associations, day), table


# --- honours ------------------------------------------------------------------------------------------


@login_required
def honour_list(request):
    require_role(request, *access.HONOUR_READERS)
    flt = forms.HonourFilter(request.GET)
    qs = Honour.objects.visible_to(request.user).select_related("association", "party_org")
    today = timezone.localdate()
    if flt.is_valid():
        for key in ("kind", "level"):
            if flt.cleaned_data.get(key):
                qs = qs.filter(**{key: flt.cleaned_data[key]})
        if flt.cleaned_data.get("expiring"):  # the to-do panel's link
            qs = services.honours_expiring(qs, today)
    page = keyset(request, qs.filter(recognised_on__isnull=False), "recognised_on")
    rows = page.rows
    pending = list(qs.filter(recognised_on__isnull=True).order_by("-created_at", "-id")[:PAGE_SIZE])
    expiring = {h.pk for h in services.honours_expiring(Honour.objects.filter(pk__in=[r.pk for r in rows]), today)}

    def cells(h):
        return _row([str(h), h.holder.name if h.holder else "", h.get_level_display(), h.get_stage_display(),
                     h.cycle, h.recognised_on, h.valid_until or _("撤销前有效"),
                     _("即将到期") if h.pk in expiring else ""],
                    reverse("governance:honour_detail", args=[h.pk]), warn=h.pk in expiring)
    columns = [_("荣誉"), _("获得者"), _("级别"), _("阶段"), _("周期"), _("认定日期"), _("有效期至"), _("提示")]
    return _page(request, _("荣誉"), filter=flt, page=page,
                 actions=_create_action(request, "governance:honour_create", _("登记荣誉")),
                 tables=[_table(columns, [cells(h) for h in pending], _("申报中")),
                         _table(columns, [cells(h) for h in rows], _("已认定"))])


@login_required
def honour_detail(request, pk):
    h = access.get_honour_for_user(request.user, pk)
    return _page(request, str(h), actions=_create_action(request, "governance:honour_edit", _("修改"), COMMITTEE, h.pk),
                 items=[(_("荣誉类别"), h.get_kind_display()), (_("获得者"), h.holder.name if h.holder else ""),
                        (_("级别"), h.get_level_display()), (_("阶段"), h.get_stage_display()),
                        (_("周期"), h.cycle), (_("认定日期"), h.recognised_on),
                        (_("有效期至"), h.valid_until or _("撤销前有效")), (_("撤销日期"), h.revoked_on),
                        (_("备注"), h.notes)])


@login_required
@require_http_methods(["GET", "POST"])
def honour_edit(request, pk=None):
    honour = access.get_honour_for_user(request.user, pk, write=True) if pk else None
    if honour is None and not access.is_committee(request.user):
        raise PermissionDenied(_("只有商协会党委可以登记荣誉"))
    form = forms.HonourForm(request.POST or None, instance=honour, user=request.user)
    done = _save_form(request, form, lambda f: services.honour_save(
        actor=Actor.of(request.user), values=f.values(), honour=honour),
        lambda h: reverse("governance:honour_detail", args=[h.pk]), _("荣誉已保存"))
    return done or _form_page(request, form, _("修改荣誉") if honour else _("登记荣誉"),
                              reverse("governance:honour_list"))


# --- establishment -----------------------------------------------------------------------------------


@login_required
def establishment_list(request):
    require_role(request, *READERS)
    flt = forms.EstablishmentFilter(request.GET)
    qs = Establishment.objects.visible_to(request.user).select_related("association", "party_org")
    today = timezone.localdate()
    if flt.is_valid() and flt.cleaned_data.get("due"):  # the to-do panel's links
        qs = qs.filter(pk__in=todo.establishments_due(qs, today)[flt.cleaned_data["due"]])
    page = keyset(request, qs.prefetch_related("steps"), "registered_on")
    rows = page.rows
    read = rules.reader(rules.FIRST_DAYS, rules.STEP_DAYS)
    out = []
    for e in rows:
        states = services.step_states(e, e.steps.all(), read)
        done = sum(s.done is not None for s in states)
        nxt = next((s for s in states if s.done is None), None)
        out.append(_row([e.association.name, e.org_name, e.registered_on, f"{done}/{len(states)}",
                         nxt.label if nxt else _("已成立"), nxt.due_on if nxt else e.party_org.established_on
                         if e.party_org else "", _("已超期") if nxt and nxt.overdue(today) else ""],
                        reverse("governance:establishment_detail", args=[e.pk]), warn=bool(nxt and nxt.overdue(today))))
    return _page(request, _("同步筹备同步建立"), page=page, filter=flt,
                 actions=_create_action(request, "governance:establishment_create", _("登记筹备")),
                 tables=[_table([_("商协会"), _("拟建党组织"), _("登记日期"), _("进度"), _("下一步"), _("时限"), _("提示")],
                                out)])


@login_required
@require_http_methods(["GET", "POST"])
def establishment_create(request):
    if not access.is_committee(request.user):
        raise PermissionDenied(_("只有商协会党委可以登记筹备"))
    form = forms.EstablishmentForm(request.POST or None, user=request.user)
    done = _save_form(request, form, lambda f: services.establishment_create(
        actor=Actor.of(request.user), values=f.values()),
        lambda e: reverse("governance:establishment_detail", args=[e.pk]), _("筹备记录已保存"))
    return done or _form_page(request, form, _("登记筹备"), reverse("governance:establishment_list"))


@login_required
@require_http_methods(["GET", "POST"])
def establishment_detail(request, pk):
    est = access.get_establishment_for_user(request.user, pk)
    can_write = access.is_committee(request.user)
    form = forms.StepForm(request.POST or None, request.FILES or None) if can_write else None
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied(_("只有商协会党委可以记录步骤"))
        if form.is_valid():
            try:
                with transaction.atomic():
                    step = services.establishment_step_record(
                        actor=Actor.of(request.user), establishment=est, step=form.cleaned_data["step"],
                        done_on=form.cleaned_data["done_on"], notes=form.cleaned_data["notes"])
                    attachments.attach_all(owner=step, uploads=form.cleaned_data.get("attachment"),
                                           actor=Actor.of(request.user), purpose="evidence")
            except ValidationError as e:
                forms.ServiceForm.add_service_error(form, e)
            else:
                messages.success(request, _("步骤已记录"))
                return redirect("governance:establishment_detail", est.pk)
    states = services.step_states(est)
    today = timezone.localdate()
    return _page(request, est.org_name, items=[
        (_("商协会"), est.association.name), (_("登记日期"), est.registered_on),
        (_("拟建党组织类型"), est.get_org_kind_display()), (_("建立的党组织"), est.party_org.name if est.party_org else ""),
    ], tables=[_table([_("步骤"), _("时限"), _("完成日期"), _("说明"), _("提示")], [
        _row([s.label, s.due_on, s.done.done_on if s.done else "", s.done.notes if s.done else "",
              _("逾期完成") if s.late else (_("已超期") if s.overdue(today) else "")], warn=s.late or s.overdue(today))
        for s in states])], form=form, form_title=_("记录步骤"),
        files=_files_of(EstablishmentStep, [s.done for s in states if s.done]))


# --- charters --------------------------------------------------------------------------------------------


@login_required
def charter_list(request):
    require_role(request, *READERS)
    flt = forms.DayFilter(request.GET)
    day = flt.day_or_today()
    rows = charters.compliance_on(Association.objects.visible_to(request.user), day)
    done = sum(r.complete for r in rows)
    return _page(request, _("党建进章程"), filter=flt,
                 actions=_create_action(request, "governance:charter_create", _("登记章程")),
                 items=[(_("日期"), day.isoformat()), (_("党建进章程率"), _pct(done, len(rows))),
                        (_("缺少条款的商协会"), len(rows) - done)],
                 tables=[_table([_("商协会"), _("现行章程"), _("核准日期"), _("缺少条款")], [
                     _row([r.association.name, r.charter.version if r.charter else _("未登记"),
                           r.charter.approved_on if r.charter else "", "、".join(str(c.label) for c in r.missing)],
                          reverse("governance:charter_detail", args=[r.charter.pk]) if r.charter else "",
                          warn=not r.complete) for r in rows])])


@login_required
def charter_detail(request, pk):
    charter = access.get_charter_for_user(request.user, pk)
    ticked = dict(charter.clauses.values_list("clause", "evidence"))
    return _page(request, str(charter),
                 actions=_create_action(request, "governance:charter_edit", _("修改"), COMMITTEE, charter.pk),
                 items=[(_("商协会"), charter.association.name), (_("版本"), charter.version),
                        (_("核准日期"), charter.approved_on)],
                 tables=[_table([_("条款"), _("必备"), _("依据")], [
                     _row([label, _("是") if value in REQUIRED_CLAUSES else _("否"), ticked.get(value, "")],
                          warn=value in REQUIRED_CLAUSES and value not in ticked)
                     for value, label in Clause.choices])],
                 files=attachments.attachments_of(charter))


@login_required
@require_http_methods(["GET", "POST"])
def charter_edit(request, pk=None):
    charter = access.get_charter_for_user(request.user, pk, write=True) if pk else None
    if charter is None and not access.is_committee(request.user):
        raise PermissionDenied(_("只有商协会党委可以登记章程"))
    form = forms.CharterForm(request.POST or None, request.FILES or None, instance=charter, user=request.user)
    done = _save_form(request, form, lambda f: services.charter_save(
        actor=Actor.of(request.user), values=f.values(), clauses=f.clauses(), charter=charter),
        lambda c: reverse("governance:charter_detail", args=[c.pk]), _("章程已保存"))
    return done or _form_page(request, form, _("修改章程") if charter else _("登记章程"),
                              reverse("governance:charter_list"))


# --- instructors -------------------------------------------------------------------------------------------


@login_required
def instructor_list(request):
    require_role(request, *READERS)
    flt = forms.PeriodFilter(request.GET)
    first, last = flt.period()
    assignments = InstructorAssignment.objects.visible_to(request.user)
    if flt.ending_only():  # the to-do panel's link
        assignments = assignments.filter(pk__in=todo.instructor_terms_ending(assignments, timezone.localdate()))
    rows = instructors.compliance(assignments, first, last)
    over = instructors.overloaded(last)
    per = instructors.rates_by_instructor(rows)
    total = instructors.totals(rows)
    read = rules.reader(rules.INSTRUCTOR_TERM_YEARS)
    warnings = [_("%(name)s 联系 %(n)s 家商协会，超过建议上限") % {"name": p.name, "n": over[p.pk]}
                for p, _r in per if p.pk in over]
    return _page(request, _("党建工作指导员"), filter=flt, warnings=warnings, items=[
        (_("期间"), f"{first} — {last}"),
        (_("每周联系落实率"), _pct(total.contacts_met, total.contacts_required)),
        (_("每月走访落实率"), _pct(total.visits_met, total.visits_required)),
    ], actions=_create_action(request, "governance:assignment_create", _("选派指导员")),
                 tables=[
                     _table([_("指导员"), _("每周联系"), _("联系落实率"), _("每月走访"), _("走访落实率")],
                            [_row([p.name, f"{r.contacts_met}/{r.contacts_required}",
                                   _pct(r.contacts_met, r.contacts_required), f"{r.visits_met}/{r.visits_required}",
                                   _pct(r.visits_met, r.visits_required)], warn=p.pk in over) for p, r in per],
                            _("INS-1 每周联系、每月走访落实情况")),
                     _table([_("指导员"), _("商协会"), _("任期"), _("届满日期"), _("联系（周）"), _("走访（月）")], [
                         _row([r.assignment.person.name, r.assignment.association.name,
                               f"{r.assignment.since} — {r.assignment.until or ''}", services.term_end(r.assignment, read),
                               f"{r.contacts_met}/{r.contacts_required}", f"{r.visits_met}/{r.visits_required}"],
                              warn=r.met < r.required) for r in rows], _("选派记录")),
                 ])


@login_required
@require_http_methods(["GET", "POST"])
def assignment_create(request):
    if not access.is_committee(request.user):
        raise PermissionDenied(_("只有商协会党委可以选派指导员"))
    form = forms.AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved, warning = services.instructor_assign(actor=Actor.of(request.user), values=form.values())
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("指导员已选派"))
            if warning:
                messages.warning(request, warning)
            return redirect("governance:instructor_list")
    return _form_page(request, form, _("选派指导员"), reverse("governance:instructor_list"))


@login_required
def log_list(request):
    require_role(request, *READERS)
    qs = InstructorLog.objects.visible_to(request.user).select_related("assignment__person", "assignment__association")
    page = keyset(request, qs, "held_on")
    rows = page.rows
    return _page(request, _("指导员工作记录"), page=page,
                 actions=_create_action(request, "governance:log_create", _("记录工作"), (Role.COMMITTEE, Role.INSTRUCTOR)),
                 tables=[_table([_("日期"), _("指导员"), _("商协会"), _("方式"), _("记录")], [
                     _row([r.held_on, r.assignment.person.name, r.assignment.association.name, r.get_kind_display(),
                           r.notes], reverse("governance:log_edit", args=[r.pk])
                          if access.can_edit_log(request.user, r) else "") for r in rows])],
                 files=_files_of(InstructorLog, rows))


@login_required
@require_http_methods(["GET", "POST"])
def log_edit(request, pk=None):
    log = access.get_log_for_user(request.user, pk, write=True) if pk else None
    if log is None and not access.can_log(request.user):
        raise PermissionDenied(_("只有指导员和商协会党委可以记录指导工作"))
    form = forms.LogForm(request.POST or None, request.FILES or None, instance=log, user=request.user)
    done = _save_form(request, form, lambda f: services.instructor_log_save(
        actor=Actor.of(request.user), values=f.values(), log=log),
        lambda saved: reverse("governance:log_list"), _("工作记录已保存"))
    return done or _form_page(request, form, _("修改工作记录") if log else _("记录工作"),
                              reverse("governance:log_list"))


# --- org checks -------------------------------------------------------------------------------------------------


@login_required
def org_checks(request):
    require_role(request, *READERS)
    flt = forms.OrgCheckFilter(request.GET)
    day = flt.day_or_today()
    orgs = PartyOrg.objects.visible_to(request.user)
    if request.GET.get("org", "").isdigit():  # one org's checks (the link on the org's page)
        orgs = orgs.filter(pk=int(request.GET["org"]))
    rows = orgchecks.check(orgs, day)
    roll = orgchecks.rollup(rows)
    texts = orgchecks.labels(day)
    finding = flt.cleaned_data.get("finding") if flt.is_valid() else ""
    if finding:  # the orgs with that finding (the to-do panel's links); the summary stays whole
        rows = [c for c in rows if finding in c.findings]
    return _page(request, _("组织设置检查"), filter=flt, tables=[
        _table([_("检查项"), _("党组织数")], [_row([str(texts[k]), n]) for k, n in roll.items()], _("汇总")),
        _table([_("党组织"), _("类型"), _("党员"), _("正式党员"), _("覆盖单位"), _("问题")], [
            _row([c.org.name, c.org.get_kind_display(), c.members, c.full_members, c.units,
                  "；".join(str(m) for m in c.messages)],
                 reverse("registry:party_org_detail", args=[c.org.pk]), warn=bool(c.findings)) for c in rows],
            _("各党组织")),
    ])


# --- standardisation -------------------------------------------------------------------------------------------


@login_required
def checklist_list(request):
    require_role(request, *READERS)
    rows = Checklist.objects.visible_to(request.user).annotate(n=Count("items", distinct=True),
                                                                 total=Sum("items__weight"))
    return _page(request, _("规范化考核"),
                 actions=_create_action(request, "governance:checklist_create", _("新建考核清单")),
                 tables=[_table([_("名称"), _("年度"), _("项目数"), _("总分")], [
                     _row([c.name, c.year, c.n, c.total], reverse("governance:checklist_detail", args=[c.pk]))
                     for c in rows.order_by("-year", "id")[:PAGE_SIZE]])])


@login_required
@require_http_methods(["GET", "POST"])
def checklist_edit(request, pk=None):
    checklist = access.get_checklist_for_user(request.user, pk, write=True) if pk else None
    if checklist is None and not access.is_committee(request.user):
        raise PermissionDenied(_("只有商协会党委可以制定考核清单"))
    form = forms.ChecklistForm(request.POST or None, instance=checklist, user=request.user)
    done = _save_form(request, form, lambda f: services.checklist_save(
        actor=Actor.of(request.user), values=f.values(), items=f.cleaned_data["items"], checklist=checklist),
        lambda c: reverse("governance:checklist_detail", args=[c.pk]), _("考核清单已保存"))
    return done or _form_page(request, form, _("修改考核清单") if checklist else _("新建考核清单"),
                              reverse("governance:checklist_list"))


@login_required
def checklist_detail(request, pk):
    checklist = access.get_checklist_for_user(request.user, pk)
    # Ranks are over every assessment of the checklist; a reader sees only the rows in scope.
    visible = set(Assessment.objects.visible_to(request.user).filter(checklist=checklist).values_list("pk", flat=True))
    ranked = [r for r in services.ranking(checklist, Assessment.objects.all()) if r[1].pk in visible]
    actions = _create_action(request, "governance:checklist_edit", _("修改"), COMMITTEE, checklist.pk)
    actions += _create_action(request, "governance:assessment_create", _("登记考核"), COMMITTEE, checklist.pk)
    return _page(request, str(checklist), actions=actions, tables=[
        _table([_("考核项目"), _("分值")], [_row([i.name, i.weight]) for i in checklist.items.all()], _("考核项目")),
        _table([_("名次"), _("党组织"), _("总分"), _("考核日期")],
               [_row([r, a.party_org.name, t, a.assessed_on]) for r, a, t in ranked], _("排名")),
    ])


@login_required
@require_http_methods(["GET", "POST"])
def assessment_create(request, pk):
    checklist = access.get_checklist_for_user(request.user, pk, write=True)
    form = forms.AssessmentForm(request.POST or None, checklist=checklist)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(actor=Actor.of(request.user), values={
                "checklist": checklist, "party_org": form.cleaned_data["party_org"],
                "assessed_on": form.cleaned_data["assessed_on"]}, scores=form.scores())
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("考核结果已保存"))
            return redirect("governance:checklist_detail", checklist.pk)
    return _form_page(request, form, _("登记考核：%(name)s") % {"name": checklist},
                      reverse("governance:checklist_detail", args=[checklist.pk]))


# --- support -------------------------------------------------------------------------------------------------------


@login_required
def support_list(request):
    require_role(request, *READERS)
    qs = Support.objects.visible_to(request.user).select_related("party_org", "person")
    page = keyset(request, qs, "given_on")
    rows = page.rows
    can_edit = access.is_committee(request.user)
    return _page(request, _("双支撑"), page=page,
                 actions=_create_action(request, "governance:support_create", _("登记支持")),
                 tables=[_table([_("日期"), _("党组织"), _("类别"), _("金额（元）"), _("人员"), _("用途"), _("支持方")], [
                     _row([s.given_on, s.party_org.name, s.get_kind_display(), s.amount,
                           s.person.name if s.person else s.people, s.purpose, s.given_by],
                          reverse("governance:support_edit", args=[s.pk]) if can_edit else "") for s in rows])])


@login_required
@require_http_methods(["GET", "POST"])
def support_edit(request, pk=None):
    support = access.get_support_for_user(request.user, pk, write=True) if pk else None
    if support is None and not access.is_committee(request.user):
        raise PermissionDenied(_("只有商协会党委可以登记双支撑"))
    form = forms.SupportForm(request.POST or None, instance=support, user=request.user)
    done = _save_form(request, form, lambda f: services.support_save(
        actor=Actor.of(request.user), values=f.values(), support=support),
        lambda s: reverse("governance:support_list"), _("支持记录已保存"))
    return done or _form_page(request, form, _("修改支持记录") if support else _("登记支持"),
                              reverse("governance:support_list"))

