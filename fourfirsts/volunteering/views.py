"""The 第一身份 pages: volunteer activities with their participants, a
member's own hours (我的志愿服务, made for a phone), the secretary's queue of
hours to confirm, villages with their pairings and projects, projects with
their payments, and donations.

Lists start from `visible_to(user)`; single records come through
`volunteering.access` (outside scope 404); writes go through `services`."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Min, Q, Sum
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fourfirsts.core import attachments
from fourfirsts.core.access import scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.paging import keyset
from fourfirsts.core.views import require_role
from fourfirsts.volunteering import access, forms, services
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    Participation,
    Payment,
    Project,
    Village,
)

QUEUE_SIZE = 200
NAV = (
    (gettext_lazy("志愿活动"), "volunteering:activity_list", access.ACTIVITY_READERS),
    (gettext_lazy("我的志愿服务"), "volunteering:my_hours", access.ACTIVITY_READERS),
    (gettext_lazy("时长确认"), "volunteering:confirm_queue", access.KEEPERS),
    (gettext_lazy("活动类型"), "volunteering:kind_list", access.ACTIVITY_READERS),
    (gettext_lazy("万企兴万村"), "volunteering:village_list", access.READERS),
    (gettext_lazy("帮扶项目"), "volunteering:project_list", access.READERS),
    (gettext_lazy("捐赠"), "volunteering:donation_list", access.READERS),
)


def _nav(request) -> list[dict]:
    scope = scope_of(request.user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [{"label": label, "url": reverse(name), "active": name == current}
            for label, name, roles in NAV if scope.has(*roles)]


def _render(request, template, context):
    context.setdefault("nav", _nav(request))
    return render(request, template, context)


def _form_page(request, form, title, cancel_url, multipart=False):
    return _render(request, "volunteering/form.html", {"page_title": title, "form": form, "cancel_url": cancel_url,
                                                       "multipart": multipart})


def _errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


# --- activities --------------------------------------------------------------------------------


@login_required
def activity_list(request):
    require_role(request, *access.ACTIVITY_READERS)
    flt = forms.ActivityFilter(request.GET)
    qs = Activity.objects.visible_to(request.user)
    if flt.is_valid():
        if flt.cleaned_data.get("kind"):
            qs = qs.filter(kind=flt.cleaned_data["kind"])
        if flt.cleaned_data.get("year"):
            qs = qs.filter(held_on__year=flt.cleaned_data["year"])
    qs = qs.annotate(kind_name=F("kind__name"), org_name=F("party_org__name"),
                     assoc_name=F("association__name")).with_people()
    page = keyset(request, qs, "held_on")
    rows = page.rows
    return _render(request, "volunteering/activity_list.html", {
        "page_title": _("志愿活动"), "rows": rows, "page": page, "filter": flt,
        "can_create": access.can_keep(request.user, any_=True)})


@login_required
@require_http_methods(["GET", "POST"])
def activity_detail(request, pk):
    """An activity with its participants; its keeper adds people with their hours."""
    require_role(request, *access.ACTIVITY_READERS)
    activity = access.get_activity_for_user(request.user, pk)
    can_keep = access.can_keep_activity(request.user, activity)
    form = forms.ParticipantForm(request.POST or None, user=request.user,
                                 initial={"hours": activity.hours})
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied(_("您无权修改这次志愿活动"))
        if form.is_valid():
            try:
                services.participation_report(actor=Actor.of(request.user), activity=activity,
                                              person=form.cleaned_data["person"], hours=form.cleaned_data["hours"])
            except ValidationError as e:
                _errors(form, e)
            else:
                messages.success(request, _("参加人员已登记"))
                return redirect("volunteering:activity_detail", activity.pk)
    rows = Participation.objects.visible_to(request.user).filter(activity=activity).annotate(
        person_name=F("person__name")).order_by("person__sort_key", "id")
    return _render(request, "volunteering/activity_detail.html", {
        "page_title": activity.title, "activity": activity, "rows": rows, "form": form, "can_keep": can_keep,
        "files": attachments.attachments_of(activity)})


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk=None):
    require_role(request, *access.ACTIVITY_READERS)
    activity = access.get_activity_for_user(request.user, pk, write=True) if pk else None
    if activity is None and not access.can_keep(request.user, any_=True):
        raise PermissionDenied(_("您的角色无权记录志愿活动"))
    form = forms.ActivityForm(request.POST or None, request.FILES or None, instance=activity, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.activity_save(actor=Actor.of(request.user), values=form.values(), activity=activity,
                                               participants=list(form.cleaned_data["participants"]))
                attachments.attach_all(owner=saved, uploads=form.cleaned_data.get("attachment"),
                                       actor=Actor.of(request.user), purpose="evidence", photos=True)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("志愿活动已保存"))
            return redirect("volunteering:activity_detail", saved.pk)
    cancel = reverse("volunteering:activity_detail", args=[activity.pk]) if activity else reverse(
        "volunteering:activity_list")
    title = _("编辑志愿活动：%(title)s") % {"title": activity.title} if activity else _("记录志愿活动")
    return _form_page(request, form, title, cancel, True)


@login_required
@require_http_methods(["GET", "POST"])
def my_hours(request):
    """我的志愿服务: report one's own hours (a phone form) and see them."""
    require_role(request, *access.ACTIVITY_READERS)
    person = request.user.person
    form = forms.ReportForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.participation_report(actor=Actor.of(request.user), activity=form.cleaned_data["activity"],
                                          hours=form.cleaned_data["hours"], note=form.cleaned_data["note"])
        except ValidationError as e:
            _errors(form, e)
        except PermissionDenied as e:
            form.add_error("activity", str(e))
        else:
            messages.success(request, _("已提交，待党组织书记确认"))
            return redirect("volunteering:my_hours")
    rows = (Participation.objects.filter(person=person).select_related("activity__kind")
            .order_by("-activity__held_on", "-id")[:100]) if person else []
    totals = Participation.objects.filter(person=person, status=Participation.Status.CONFIRMED).aggregate(
        hours=Sum("hours"), n=Count("id")) if person else {"hours": None, "n": 0}
    return _render(request, "volunteering/my_hours.html", {
        "page_title": _("我的志愿服务"), "form": form, "rows": rows, "person": person, "totals": totals})


@login_required
@require_http_methods(["GET", "POST"])
def confirm_queue(request):
    """Hours reported by members, waiting for their org's secretary."""
    require_role(request, *access.KEEPERS)
    error, failed = "", None
    if request.method == "POST":
        row_pk = request.POST.get("row", "")
        if not row_pk.isdigit():
            raise PermissionDenied(_("请选择要确认的记录"))
        row = access.get_participation_for_user(request.user, int(row_pk), write=True)
        actor = Actor.of(request.user)
        try:
            if request.POST.get("action") == "reject":
                services.participation_reject(actor=actor, participation=row, reason=request.POST.get("reason", ""))
                messages.success(request, _("已退回%(name)s的服务时长") % {"name": row.person.name})
            else:
                services.participation_confirm(actor=actor, participation=row)
                messages.success(request, _("已确认%(name)s的服务时长") % {"name": row.person.name})
        except ValidationError as e:
            error, failed = "；".join(e.messages), row.pk
        else:
            return redirect("volunteering:confirm_queue")
    rows = [r for r in Participation.objects.visible_to(request.user)
            .filter(status=Participation.Status.REPORTED)
            .select_related("activity__kind", "activity__party_org", "activity__association", "person")
            .only("id", "hours", "note", "created_at", "person__name", "activity__title", "activity__held_on",
                  "activity__kind__name", "activity__party_org_id", "activity__association_id",
                  "activity__party_org__name", "activity__association__name")
            .order_by("activity__held_on", "id")[:QUEUE_SIZE]
            if access.can_keep_activity(request.user, r.activity)]
    return _render(request, "volunteering/confirm_queue.html", {
        "page_title": _("待确认的服务时长"), "rows": rows, "error": error, "failed": failed,
        "reason": request.POST.get("reason", "")})


@login_required
@require_http_methods(["GET", "POST"])
def kind_list(request):
    """The activity kinds; the committee adds new ones (the seeded codes stay)."""
    require_role(request, *access.ACTIVITY_READERS)
    can_keep = access.can_keep_kinds(request.user)
    form = forms.ActivityKindForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied(_("只有商协会党委可以维护志愿活动类型"))
        if form.is_valid():
            try:
                services.activity_kind_save(actor=Actor.of(request.user), values=form.values())
            except ValidationError as e:
                form.add_service_error(e)
            else:
                messages.success(request, _("志愿活动类型已添加"))
                return redirect("volunteering:kind_list")
    return _render(request, "volunteering/kind_list.html", {
        "page_title": _("志愿活动类型"), "rows": ActivityKind.objects.visible_to(request.user).order_by("order", "id"),
        "form": form, "can_keep": can_keep})


# --- villages, pairings, projects ----------------------------------------------------------------


@login_required
def village_list(request):
    require_role(request, *access.READERS)
    flt = forms.VillageFilter(request.GET)
    qs = Village.objects.visible_to(request.user)
    if flt.is_valid():
        qs = qs.search(flt.cleaned_data.get("q", ""))
        if flt.cleaned_data.get("county"):
            qs = qs.filter(county=flt.cleaned_data["county"])
    pairings = Pairing.objects.visible_to(request.user)
    qs = qs.annotate(
        pairing_count=Count("pairings", filter=Q(pairings__in=pairings), distinct=True),
        first_paired=Min("pairings__paired_on", filter=Q(pairings__in=pairings)))
    page = keyset(request, qs, "sort_key", descending=False, parse=str)
    return _render(request, "volunteering/village_list.html", {
        "page_title": _("万企兴万村"), "rows": page.rows, "filter": flt, "page": page, "can_create": access.can_keep_places(request.user),
        "projects": Project.objects.visible_to(request.user).with_paid().select_related("pairing__village")
        .order_by("-starts_on", "-id")[:10]})


@login_required
@require_http_methods(["GET", "POST"])
def village_detail(request, pk):
    """A village: its weak years, its pairings and their projects."""
    require_role(request, *access.READERS)
    village = access.get_village_for_user(request.user, pk)
    can_keep = access.can_keep_places(request.user, village)
    form = forms.WeakYearsForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied(_("您无权维护薄弱村认定"))
        if form.is_valid():
            try:
                services.weak_years_save(actor=Actor.of(request.user), values={**form.values(), "village": village})
            except ValidationError as e:
                form.add_service_error(e)
            else:
                messages.success(request, _("薄弱村认定已保存"))
                return redirect("volunteering:village_detail", village.pk)
    pairings = list(Pairing.objects.visible_to(request.user).filter(village=village)
                    .select_related("association", "enterprise").order_by("paired_on", "id"))
    projects = (Project.objects.visible_to(request.user).filter(pairing__village=village).with_paid()
                .order_by("starts_on", "id"))
    by_pairing: dict[int, list] = {}
    for project in projects:
        by_pairing.setdefault(project.pairing_id, []).append(project)
    for pairing in pairings:
        pairing.project_rows = by_pairing.get(pairing.pk, [])
        pairing.can_keep = access.can_keep(request.user, association_id=pairing.association_id)
    return _render(request, "volunteering/village_detail.html", {
        "page_title": village.name, "village": village, "weak": village.weak_years.all(), "pairings": pairings,
        "can_keep": can_keep, "can_pair": access.can_keep(request.user, any_=True), "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def village_edit(request, pk=None):
    require_role(request, *access.READERS)
    village = access.get_village_for_user(request.user, pk, write=True) if pk else None
    if village is None and not access.can_keep_places(request.user):
        raise PermissionDenied(_("您无权维护村庄信息"))
    form = forms.VillageForm(request.POST or None, instance=village, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.village_save(actor=Actor.of(request.user), values=form.values(), village=village)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("村庄已保存"))
            return redirect("volunteering:village_detail", saved.pk)
    cancel = reverse("volunteering:village_detail", args=[village.pk]) if village else reverse(
        "volunteering:village_list")
    return _form_page(request, form, _("编辑村庄：%(name)s") % {"name": village.name} if village else _("新建村庄"),
                      cancel)


@login_required
@require_http_methods(["GET", "POST"])
def pairing_create(request, pk):
    require_role(request, *access.READERS)
    village = access.get_village_for_user(request.user, pk)
    if not access.can_keep(request.user, any_=True):
        raise PermissionDenied(_("您的角色无权登记结对帮扶"))
    return _pairing_form(request, village, None)


@login_required
@require_http_methods(["GET", "POST"])
def pairing_edit(request, pk):
    require_role(request, *access.READERS)
    pairing = access.get_pairing_for_user(request.user, pk, write=True)
    return _pairing_form(request, pairing.village, pairing)


def _pairing_form(request, village, pairing):
    form = forms.PairingForm(request.POST or None, instance=pairing, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_save(actor=Actor.of(request.user), values={**form.values(), "village": village},
                                  pairing=pairing, group=list(form.cleaned_data["group"]))
        except ValidationError as e:
            form.add_service_error(e)
        except PermissionDenied as e:
            form.add_error("association", str(e))
        else:
            messages.success(request, _("结对帮扶已保存"))
            return redirect("volunteering:village_detail", village.pk)
    title = _("%(village)s：%(what)s") % {"village": village.name,
                                          "what": _("编辑结对帮扶") if pairing else _("登记结对帮扶")}
    return _form_page(request, form, title, reverse("volunteering:village_detail", args=[village.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def project_create(request, pk):
    require_role(request, *access.READERS)
    pairing = access.get_pairing_for_user(request.user, pk, write=True)
    return _project_form(request, pairing, None)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request, pk):
    require_role(request, *access.READERS)
    project = access.get_project_for_user(request.user, pk, write=True)
    return _project_form(request, project.pairing, project)


def _project_form(request, pairing, project):
    form = forms.ProjectForm(request.POST or None, request.FILES or None, instance=project, user=request.user,
                             initial={} if project else {"enterprise": pairing.enterprise_id})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.project_save(actor=Actor.of(request.user),
                                              values={**form.values(), "pairing": pairing}, project=project)
                attachments.attach_all(owner=saved, uploads=form.cleaned_data.get("attachment"),
                                       actor=Actor.of(request.user), purpose="evidence", photos=True)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("帮扶项目已保存"))
            return redirect("volunteering:project_detail", saved.pk)
    cancel = reverse("volunteering:project_detail", args=[project.pk]) if project else reverse(
        "volunteering:village_detail", args=[pairing.village_id])
    title = _("编辑帮扶项目：%(name)s") % {"name": project.name} if project else _("%(village)s：新建帮扶项目") % {
        "village": pairing.village.name}
    return _form_page(request, form, title, cancel, True)


@login_required
def project_list(request):
    """The 万企兴万村 ledger: projects newest first, with the money paid in so far."""
    require_role(request, *access.READERS)
    flt = forms.ProjectFilter(request.GET)
    qs = Project.objects.visible_to(request.user)
    if flt.is_valid():
        data = flt.cleaned_data
        qs = qs.search(data.get("q", ""))
        for field in ("tag", "klass", "status"):
            if data.get(field):
                qs = qs.filter(**{field: data[field]})
        if data.get("year"):
            qs = qs.filter(starts_on__year=data["year"])
    qs = qs.with_paid().annotate(village_name=F("pairing__village__name"), county=F("pairing__village__county"),
                                 assoc_name=F("pairing__association__name"))
    page = keyset(request, qs, "starts_on")
    rows = page.rows
    return _render(request, "volunteering/project_list.html", {
        "page_title": _("帮扶项目"), "rows": rows, "page": page, "filter": flt})


@login_required
@require_http_methods(["GET", "POST"])
def project_detail(request, pk):
    """A project with its payments by date; its keeper records a payment."""
    require_role(request, *access.READERS)
    project = access.get_project_for_user(request.user, pk)
    can_keep = access.can_keep(request.user, association_id=project.pairing.association_id)
    form = forms.PaymentForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not can_keep:
            raise PermissionDenied(_("您无权修改这个帮扶项目"))
        if form.is_valid():
            try:
                services.payment_save(actor=Actor.of(request.user), values={**form.values(), "project": project})
            except ValidationError as e:
                form.add_service_error(e)
            else:
                messages.success(request, _("资金到位已登记"))
                return redirect("volunteering:project_detail", project.pk)
    payments = list(Payment.objects.filter(project=project).order_by("paid_on", "id"))
    running, total = [], 0
    for p in payments:
        total += p.amount
        running.append((p, total))
    return _render(request, "volunteering/project_detail.html", {
        "page_title": project.name, "project": project, "payments": running, "paid": total, "form": form,
        "can_keep": can_keep, "files": attachments.attachments_of(project),
        "group": project.pairing.group_members.select_related("enterprise").only("enterprise__name", "pairing_id")})


# --- donations ------------------------------------------------------------------------------------


@login_required
def donation_list(request):
    require_role(request, *access.READERS)
    flt = forms.DonationFilter(request.GET)
    qs = Donation.objects.visible_to(request.user)
    if flt.is_valid():
        if flt.cleaned_data.get("kind"):
            qs = qs.filter(kind=flt.cleaned_data["kind"])
        if flt.cleaned_data.get("year"):
            qs = qs.filter(donated_on__year=flt.cleaned_data["year"])
    qs = qs.select_related("donor_enterprise", "donor_person", "donor_association", "party_org", "association")
    qs = qs.defer("donor_person__id_number", "donor_person__phone")
    page = keyset(request, qs, "donated_on")
    rows = page.rows
    return _render(request, "volunteering/donation_list.html", {
        "page_title": _("捐赠"), "rows": rows, "page": page, "filter": flt,
        "can_create": access.can_keep(request.user, any_=True)})


@login_required
@require_http_methods(["GET", "POST"])
def donation_edit(request, pk=None):
    require_role(request, *access.READERS)
    donation = access.get_donation_for_user(request.user, pk, write=True) if pk else None
    if donation is None and not access.can_keep(request.user, any_=True):
        raise PermissionDenied(_("您的角色无权登记捐赠"))
    form = forms.DonationForm(request.POST or None, instance=donation, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.donation_save(actor=Actor.of(request.user), values=form.values(), donation=donation)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("捐赠已保存"))
            return redirect("volunteering:donation_list")
    title = _("编辑捐赠") if donation else _("登记捐赠")
    return _form_page(request, form, title, reverse("volunteering:donation_list"))
