"""The membership pages: the board by stage, a person's development with its
25 steps, and the forms that record an application, the next step, a review
and an extension of probation. Lists start from `visible_to(user)`; one
development comes through `access`; writes go through `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fourfirsts.core import attachments
from fourfirsts.core.access import get_visible_or_404, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Attachment
from fourfirsts.core.views import require_role
from fourfirsts.membership import access, forms, services, todo, workflow
from fourfirsts.membership.models import Development, StepRecord
from fourfirsts.registry.models import PartyOrg, Person

PER_STAGE = 30
DUE_CHOICES = {todo.OVERDUE: gettext_lazy("步骤已逾期"), todo.SOON: gettext_lazy("步骤30天内到期")}


def _form_page(request, form, title, cancel_url, dev=None, multipart=False):
    return render(request, "membership/form.html", {"page_title": title, "form": form, "cancel_url": cancel_url,
                                                    "dev": dev, "multipart": multipart})


@login_required
def board(request):
    """Counts and people per stage; the entrepreneurs' applications per year.
    `?due=overdue|soon` keeps the developments with a step overdue or due soon
    (the to-do panel's links)."""
    require_role(request, *access.READERS)
    qs = Development.objects.visible_to(request.user)
    scope = scope_of(request.user)
    orgs = PartyOrg.objects.all() if scope.sees_all else PartyOrg.objects.filter(pk__in=scope.secretary_of_org_ids)
    flt = forms.BoardFilter(request.GET, orgs=orgs if scope.sees_all or scope.secretary_of_org_ids else None,
                            due_choices=DUE_CHOICES.items())
    qs = flt.apply(qs)
    due = flt.cleaned_data.get("due", "") if flt.is_valid() else ""
    if due:
        qs = qs.filter(pk__in=todo.due(qs, timezone.localdate())[due])
    counts = dict(qs.values_list("stage").annotate(n=Count("id")).order_by())
    stages = []
    for code, label in workflow.STAGES:
        rows = list(qs.filter(stage=code).select_related("person", "party_org")
                    .order_by("-applied_on", "-id")[: PER_STAGE + 1])
        stages.append({"code": code, "label": label, "count": counts.get(code, 0), "rows": rows[:PER_STAGE],
                       "more": len(rows) > PER_STAGE})
    per_year = list(qs.filter(is_entrepreneur=True).annotate(year=ExtractYear("applied_on"))
                    .values("year").annotate(n=Count("id")).order_by("-year"))
    return render(request, "membership/board.html", {
        "page_title": _("发展党员"), "stages": stages, "per_year": per_year, "filter": flt,
        "can_apply": access.can_apply(request.user),
    })


@login_required
def development_detail(request, pk):
    require_role(request, *access.READERS)
    dev = access.get_development_for_user(request.user, pk)
    records = {r.code: r for r in dev.steps.select_related("actor_user", "actor_person").prefetch_related("people")}
    files: dict[int, list] = {}
    ct = ContentType.objects.get_for_model(StepRecord)
    for att in Attachment.objects.filter(content_type=ct, object_id__in=[r.pk for r in records.values()]):
        files.setdefault(att.object_id, []).append(att)
    today = timezone.localdate()
    rows = services.plan(dev, records, today)
    for row in rows:
        row["files"] = files.get(row["record"].pk, []) if row["record"] else []
    following = services.next_step(records)
    actor = Actor.of(request.user)
    return render(request, "membership/development_detail.html", {
        "page_title": _("%(name)s 的发展党员记录") % {"name": dev.person.name}, "dev": dev,
        "groups": [{"label": workflow.STAGE_GROUPS[g], "rows": [r for r in rows if r["step"].group == g]}
                   for g in sorted(workflow.STAGE_GROUPS)],
        "reviews": list(dev.reviews.all()), "next": following,
        "can_record": following is not None and services.can_record(actor, dev.party_org, following.code),
        "can_review": "2.3" in records and "3.7" not in records and services.can_record(actor, dev.party_org),
        "can_extend": not services.extension_refusal(dev, records) and services.can_record(actor, dev.party_org),
        "probation_end": services.probation_end(dev, records),
    })


@login_required
def person_development(request, pk):
    """From a registry person's page: their development, or the form to record
    their application; a 404 when there is neither for this user."""
    require_role(request, *access.READERS)
    person = get_visible_or_404(Person.objects.only("id"), request.user, pk=pk)
    dev = Development.objects.visible_to(request.user).filter(person=person).only("id").first()
    if dev is not None:
        return redirect("membership:development_detail", dev.pk)
    if access.can_apply(request.user) and not Development.objects.filter(person=person).exists():
        return redirect(f"{reverse('membership:development_create')}?person={person.pk}")
    raise Http404(_("记录不存在或无权查看"))


@login_required
@require_http_methods(["GET", "POST"])
def development_create(request):
    require_role(request, *access.READERS)
    if not access.can_apply(request.user):
        raise PermissionDenied(_("您的角色无权登记入党申请"))
    initial = {"person": request.GET["person"]} if request.GET.get("person", "").isdigit() else {}
    form = forms.ApplyForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                dev = services.development_apply(actor=Actor.of(request.user), person=data["person"],
                                                 party_org=data["party_org"], applied_on=data["applied_on"],
                                                 note=data["note"] or "")
                attachments.attach_all(owner=dev.steps.get(code="1.1"), uploads=form.cleaned_data.get("attachment"),
                                       actor=Actor.of(request.user))
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("入党申请已登记"))
            return redirect("membership:development_detail", dev.pk)
    return _form_page(request, form, _("登记入党申请"), reverse("membership:board"), multipart=True)


@login_required
@require_http_methods(["GET", "POST"])
def step_create(request, pk):
    require_role(request, *access.READERS)
    dev = access.get_development_for_user(request.user, pk)
    records = services.records_of(dev)
    step = services.next_step(records)
    detail = reverse("membership:development_detail", args=[dev.pk])
    if step is None:
        messages.info(request, _("25 个步骤均已完成"))
        return redirect(detail)
    access.get_development_for_user(request.user, pk, write=True, code=step.code)
    form = forms.StepForm(request.POST or None, request.FILES or None, step=step, user=request.user)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["code"] != step.code:
            form.add_error(None, _("这份申请的下一步已变为 %(code)s %(label)s，请核对后再保存")
                           % {"code": step.code, "label": step.label})
        else:
            try:
                with transaction.atomic():
                    record = services.step_record(actor=Actor.of(request.user), development=dev, code=step.code,
                                                  **form.values())
                    attachments.attach_all(owner=record, uploads=form.cleaned_data.get("attachment"),
                                           actor=Actor.of(request.user))
            except ValidationError as e:
                form.add_service_error(e)
            else:
                messages.success(request, _("已记录：%(code)s %(label)s") % {"code": step.code, "label": step.label})
                return redirect(detail)
    title = _("%(name)s：%(code)s %(label)s") % {"name": dev.person.name, "code": step.code, "label": step.label}
    return _form_page(request, form, title, detail, dev=dev, multipart=True)


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request, pk):
    require_role(request, *access.READERS)
    dev = access.get_development_for_user(request.user, pk, write=True, code="2.6")
    form = forms.ReviewForm(request.POST or None)
    detail = reverse("membership:development_detail", args=[dev.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.review_record(actor=Actor.of(request.user), development=dev, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("考察记录已保存"))
            return redirect(detail)
    return _form_page(request, form, _("%(name)s：积极分子考察") % {"name": dev.person.name}, detail, dev=dev)


@login_required
@require_http_methods(["GET", "POST"])
def probation_extend(request, pk):
    require_role(request, *access.READERS)
    dev = access.get_development_for_user(request.user, pk, write=True, code="5.23")
    form = forms.ExtendForm(request.POST or None)
    detail = reverse("membership:development_detail", args=[dev.pk])
    if request.method == "POST" and form.is_valid():
        try:
            services.probation_extend(actor=Actor.of(request.user), development=dev, **form.cleaned_data)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("预备期已延长"))
            return redirect(detail)
    return _form_page(request, form, _("%(name)s：延长预备期") % {"name": dev.person.name}, detail, dev=dev)


