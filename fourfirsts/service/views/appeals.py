"""The appeal pages: the list, the department inbox, staff intake, the detail
page with its timeline and the actions the user may take now, on-site
assignment (现场交办) in a batch, the contact phone on request, and the
department's signed links (managed by the committee; the public page
/service/d/<token>/ needs no account).

Lists start from `visible_to(user)`; one appeal comes through
`appeals.get_appeal_for_user` (outside scope 404); every write goes through
`services.appeals` or `services.links`. Action forms carry the state the
user saw: if the appeal moved meanwhile the user is told, nothing is done,
and their typed text is shown again."""

from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fourfirsts.core import attachments, audit
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.crypto import mask_phone
from fourfirsts.core.paging import keyset
from fourfirsts.core.periods import local_midnight
from fourfirsts.core.views import require_role
from fourfirsts.core.workflow import WorkflowError
from fourfirsts.registry.models import Department, PublicOffice, active_on
from fourfirsts.service import menu, todo
from fourfirsts.service.forms import appeals as forms
from fourfirsts.service.models import Appeal, DepartmentLink
from fourfirsts.service.services import appeals, links
from fourfirsts.service.workflow import APPEAL_WORKFLOW, DEPARTMENT_ACTIONS

PAGE_SIZE = 50
ON_SITE_LIMIT = 200
S = Appeal.State


def _render(request, template, context, status=200):
    context.setdefault("tabs", menu.tabs_for(request))
    return render(request, template, context, status=status)


def _partial(request, template, context):
    partial = request.htmx and not request.htmx.history_restore_request
    response = _render(request, f"{template}#rows" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- the list ------------------------------------------------------------------------------


def _row_fields(qs):
    return qs.annotate(enterprise_name=F("enterprise__name"), department_name=F("department__name")).only(
        "id", "ref", "title", "state", "category", "channel", "kind", "is_blockage", "is_pain_point",
        "is_difficulty", "collected_at", "due_at", "department_id", "enterprise_id")


@login_required
def appeal_list(request):
    require_role(request, *menu.APPEAL_READERS)
    flt = forms.AppealFilter(request.GET, user=request.user)
    qs = Appeal.objects.visible_to(request.user)
    now = timezone.now()
    if flt.is_valid():
        data = flt.cleaned_data
        for name in ("state", "category", "channel", "kind", "department"):
            if data.get(name):
                qs = qs.filter(**{name: data[name]})
        if data.get("nature"):
            qs = qs.filter(**{forms.NATURE_FIELDS[data["nature"]]: True})
        if data.get("year"):
            year = data["year"]
            qs = qs.filter(collected_at__gte=local_midnight(date(year, 1, 1)),
                           collected_at__lt=local_midnight(date(year + 1, 1, 1)))
        if data.get("overdue"):
            qs = qs.overdue(now)
        if data.get("due_soon"):
            qs = qs.filter(todo.due_soon_q(timezone.localdate()))
        if data.get("waiting"):
            qs = qs.filter(todo.waiting_q())
        qs = qs.search(data.get("q", ""))
    page = keyset(request, _row_fields(qs), "collected_at", parse=datetime.fromisoformat, size=PAGE_SIZE)
    for row in page.rows:
        row.overdue = row.is_overdue(now)
    return _partial(request, "service/appeals/list.html", {
        "page_title": _("问题诉求"), "rows": page.rows, "filter": flt, "page": page,
        "can_create": appeals.may_create(request.user),
    })


# --- the department inbox ------------------------------------------------------------------


@login_required
def inbox(request):
    """What a department has to act on (assigned, signed, in hand, awaiting an
    extension decision) by due date, overdue first. A returned or replied
    appeal has left the department's hands. Handlers see their own
    department's; the committee picks a department (or sees all)."""
    require_role(request, *menu.INBOX_READERS)
    scope = scope_of(request.user)
    committee = Role.COMMITTEE in scope.roles
    flt = forms.InboxFilter(request.GET, pick_department=committee)
    qs = Appeal.objects.visible_to(request.user).filter(state__in=Appeal.RUNNING_STATES, department__isnull=False)
    if not committee:
        qs = qs.filter(department_id__in=scope.department_ids)
    state = ""
    if flt.is_valid():
        if flt.cleaned_data.get("department"):
            qs = qs.filter(department=flt.cleaned_data["department"])
        state = flt.cleaned_data.get("state", "")
    counts = dict(qs.order_by().values_list("state").annotate(n=Count("id")).values_list("state", "n"))
    if state:
        qs = qs.filter(state=state)
    key, __, pk = request.GET.get("after", "").rpartition("|")
    paged = False
    if pk.isdigit():
        paged = True
        if key == "none":
            qs = qs.filter(due_at__isnull=True, id__gt=int(pk))
        else:
            try:
                moment = datetime.fromisoformat(key)
            except ValueError:
                moment, paged = None, False
            if moment:
                qs = qs.filter(Q(due_at__gt=moment) | Q(due_at=moment, id__gt=int(pk)) | Q(due_at__isnull=True))
    rows = list(_row_fields(qs).order_by(F("due_at").asc(nulls_last=True), "id")[: PAGE_SIZE + 1])
    after = ""
    if len(rows) > PAGE_SIZE:
        last = rows[PAGE_SIZE - 1]
        after = f"{last.due_at.isoformat() if last.due_at else 'none'}|{last.pk}"
    rows = rows[:PAGE_SIZE]
    now = timezone.now()
    for row in rows:
        row.overdue = row.is_overdue(now)
    summary = [{"state": s, "label": S(s).label, "n": counts[s]} for s in Appeal.RUNNING_STATES if counts.get(s)]
    return _partial(request, "service/appeals/inbox.html", {
        "page_title": _("承办收件箱"), "rows": rows, "filter": flt, "summary": summary,
        "page": {"after": after, "paged": paged},
    })


# --- staff intake --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def appeal_create(request):
    require_role(request, *menu.APPEAL_READERS)
    if not appeals.may_create(request.user):
        raise PermissionDenied(_("您的角色无权登记诉求"))
    form = forms.AppealForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        actor = Actor.of(request.user)
        try:
            with transaction.atomic():
                appeal = appeals.appeal_create(actor=actor, values=form.values())
                for upload in form.cleaned_data["attachment"]:
                    attachments.attach(owner=appeal, upload=upload, actor=actor)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("诉求“%(title)s”已登记") % {"title": appeal.title})
            return redirect("service:appeal_detail", appeal.pk)
    return _render(request, "service/appeals/form.html", {
        "page_title": _("登记问题诉求"), "form": form, "cancel_url": reverse("service:appeal_list")})


# --- the detail page ------------------------------------------------------------------------


def _load(user, pk) -> Appeal:
    appeal = appeals.get_appeal_for_user(user, pk)
    return Appeal.objects.select_related(
        "enterprise", "department", "raised_by", "collected_by", "assigned_by", "visit"
    ).defer(
        "raised_by__id_number", "raised_by__phone", "collected_by__id_number", "collected_by__phone",
        "assigned_by__id_number", "assigned_by__phone", "enterprise__contact_phone", "department__contact_phone",
    ).get(pk=appeal.pk)


def _may_reveal(user, appeal) -> bool:
    """The full contact phone: a handler of the assigned department when the
    enterprise consented, or a holder of the full-personal-data permission."""
    if not appeal.contact_phone:
        return False
    scope = scope_of(user)
    if scope.can_view_full_personal_data:
        return True
    return (Role.HANDLER in scope.roles and appeal.department_id in scope.department_ids
            and appeal.contact_consent)


def _action_entries(appeal, allowed, failed=None):
    """(action, label, form) for each action the user may take now; the
    failed one bound to what the user typed."""
    entries = []
    for action in allowed:
        if action not in forms.ACTION_FORMS:  # 现场交办 has a page of its own
            continue
        form = failed if failed is not None and failed.action == action else forms.action_form(action, appeal=appeal)
        entries.append({"action": action, "label": APPEAL_WORKFLOW.get(action).label, "form": form})
    return entries


def _stale_entry(form):
    """The failed form of an action no longer allowed, kept so the text is not lost."""
    if form is None:
        return None
    return {"action": form.action, "label": APPEAL_WORKFLOW.get(form.action).label, "form": form}


def _detail(request, appeal, *, failed=None, error="", conflict="", status=200, phone=None, new_link=""):
    actor = Actor.of(request.user)
    allowed = appeals.allowed_actions(appeal, actor)
    scope = scope_of(request.user)
    stale = failed if failed is not None and failed.action not in allowed else None
    context = {
        "page_title": appeal.title, "appeal": appeal, "now": timezone.now(),
        "overdue": appeal.is_overdue(timezone.now()),
        "actions": _action_entries(appeal, allowed, failed),
        "stale_entry": _stale_entry(stale), "error": error, "conflict": conflict,
        "timeline": appeals.timeline(appeal),
        "files": attachments.attachments_of(appeal),
        "phone": phone or mask_phone(appeal.contact_phone), "phone_full": bool(phone),
        "can_reveal": not phone and _may_reveal(request.user, appeal),
        "can_on_site": scope.has(*menu.ON_SITE_ROLES) and appeal.state in (S.COLLECTED, S.ACCEPTED),
        "links": None, "new_link": new_link,
    }
    if links.may_manage(request.user):
        context["links"] = list(DepartmentLink.objects.filter(appeal=appeal).select_related("department"))
        context["can_link"] = appeal.state in Appeal.RUNNING_STATES and appeal.department_id is not None
    return _render(request, "service/appeals/detail.html", context, status=status)


@never_cache
@login_required
def appeal_detail(request, pk):
    require_role(request, *menu.APPEAL_READERS)
    return _detail(request, _load(request.user, pk))


def _conflict_message(appeal) -> str:
    return _("该诉求已被他人处理为“%(state)s”，您的操作未执行。您填写的内容已保留在下方，请核对后决定是否重新提交。") % {
        "state": appeal.get_state_display()}


def _moved(appeal, data) -> bool:
    return (data.get("seen_state") != appeal.state
            or data.get("seen_updated") != appeal.updated_at.isoformat())


def _refreshed(action, data, appeal):
    """The user's input again, now with the state they have been shown."""
    data = data.copy()
    data["seen_state"], data["seen_updated"] = appeal.state, appeal.updated_at.isoformat()
    return forms.action_form(action, data)


def _run(action, appeal, actor, form, link=None):
    """Call the service of one action with the form's values."""
    v = form.cleaned_data
    if link is not None:
        return links.link_act(link=link, action=action, values=v)
    common = {"appeal": appeal, "actor": actor}
    calls = {
        "accept": lambda: appeals.appeal_accept(note=v.get("note", ""), **common),
        "decline": lambda: appeals.appeal_decline(reason=form.decline_reason(), **common),
        "assign": lambda: appeals.appeal_assign(department=v["department"], note=v.get("note", ""), **common),
        "reassign": lambda: appeals.appeal_reassign(department=v["department"], note=v.get("note", ""), **common),
        "sign": lambda: appeals.appeal_sign(note=v.get("note", ""), **common),
        "handle": lambda: appeals.appeal_handle(note=v.get("note", ""), **common),
        "request_extension": lambda: appeals.appeal_request_extension(days=v["days"], reason=v["reason"], **common),
        "approve_extension": lambda: appeals.appeal_approve_extension(note=v.get("note", ""), **common),
        "refuse_extension": lambda: appeals.appeal_refuse_extension(note=v.get("note", ""), **common),
        "return": lambda: appeals.appeal_return(reason=v["reason"], basis=v["basis"], **common),
        "reply": lambda: appeals.appeal_reply(reply=v["reply"], **common),
        "rate": lambda: appeals.appeal_rate(rating=v["rating"], note=v.get("note", ""), **common),
        "close": lambda: appeals.appeal_close(note=v["note"], **common),
    }
    return calls[action]()


class Outcome:
    """What became of a posted action: done, or a page to show again."""

    def __init__(self, done=False, form=None, error="", conflict="", status=200):
        self.done, self.form, self.error, self.conflict, self.status = done, form, error, conflict, status


def perform(request, appeal, actor, *, link=None, reload) -> Outcome:
    """Check and run the posted action. `reload()` reads the appeal again."""
    action = request.POST.get("action", "")
    if action not in forms.ACTION_FORMS or (link is not None and action not in DEPARTMENT_ACTIONS):
        return Outcome(error=_("没有这个操作"), status=400)
    form = forms.action_form(action, request.POST)
    table_action = APPEAL_WORKFLOW.get(action)
    if not (actor.roles & table_action.roles):
        return Outcome(form=form, error=_("%(actor)s无权执行“%(action)s”") % {
            "actor": actor, "action": table_action.label}, status=403)
    if _moved(appeal, request.POST):
        form = _refreshed(action, request.POST, appeal)
        form.is_valid()
        return Outcome(form=form, conflict=_conflict_message(appeal), status=409)
    if not form.is_valid():
        return Outcome(form=form)
    try:
        _run(action, appeal, actor, form, link)
    except WorkflowError as e:
        fresh = reload()
        if e.code == "conflict" and (fresh.state != request.POST.get("seen_state")
                                     or fresh.updated_at.isoformat() != request.POST.get("seen_updated")):
            form = _refreshed(action, request.POST, fresh)
            form.is_valid()
            return Outcome(form=form, conflict=_conflict_message(fresh), status=409)
        form = forms.action_form(action, request.POST)
        form.is_valid()
        return Outcome(form=form, error="；".join(e.messages), status=403 if e.code == "forbidden" else 200)
    except ValidationError as e:
        form.add_service_error(e, forms.ERROR_ALIASES)
        return Outcome(form=form)
    except PermissionDenied as e:
        return Outcome(form=form, error=str(e), status=403)
    return Outcome(done=True)


DONE = {
    "accept": _("已受理"), "decline": _("已不予受理"), "assign": _("已交办"), "reassign": _("已重新交办"),
    "sign": _("已签收"), "handle": _("已开始办理"), "request_extension": _("延期申请已提交"),
    "approve_extension": _("已批准延期"), "refuse_extension": _("已不批准延期"), "return": _("已退回"),
    "reply": _("答复已提交"), "rate": _("回访评价已记录"), "close": _("已办结"),
}


@login_required
@require_POST
def appeal_act(request, pk):
    require_role(request, *menu.APPEAL_READERS)
    appeal = _load(request.user, pk)
    outcome = perform(request, appeal, Actor.of(request.user), reload=lambda: _load(request.user, pk))
    if outcome.done:
        messages.success(request, str(DONE.get(request.POST["action"], _("操作已完成"))))
        return redirect("service:appeal_detail", pk)
    return _detail(request, _load(request.user, pk), failed=outcome.form, error=outcome.error,
                   conflict=outcome.conflict, status=outcome.status)


@never_cache
@login_required
@require_POST
def appeal_phone(request, pk):
    """The full contact phone, for those whose work needs it; logged."""
    require_role(request, *menu.APPEAL_READERS)
    appeal = _load(request.user, pk)
    if not _may_reveal(request.user, appeal):
        raise PermissionDenied(_("您无权查看该诉求的完整联系电话"))
    audit.log(audit.Kind.UNMASKED_VIEW, user=request.user, request=request, target=appeal.ref,
              field="contact_phone")
    return _detail(request, appeal, phone=appeal.contact_phone)


# --- department links (the committee) ---------------------------------------------------------


def link_url(request, token) -> str:
    return request.build_absolute_uri(reverse("service:department_link", args=[token]))


@never_cache
@login_required
@require_POST
def link_create(request, pk):
    require_role(request, Role.COMMITTEE)
    appeal = _load(request.user, pk)
    try:
        __, token = links.link_create(appeal=appeal, actor=Actor.of(request.user))
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect("service:appeal_detail", pk)
    return _detail(request, appeal, new_link=link_url(request, token))


@login_required
@require_POST
def link_revoke(request, pk, link_pk):
    require_role(request, Role.COMMITTEE)
    appeal = _load(request.user, pk)
    link = DepartmentLink.objects.filter(pk=link_pk, appeal=appeal).first()
    if link is None:
        raise Http404(_("记录不存在或无权查看"))
    links.link_revoke(link=link, actor=Actor.of(request.user))
    messages.success(request, _("办理链接已撤销"))
    return redirect("service:appeal_detail", pk)


# --- the public page of a department link ------------------------------------------------------


def _link_page(request, context, status=200):
    # base_public.html: no menu and no account, as to anyone holding the link.
    context["tabs"] = []
    return render(request, "service/appeals/link.html", context, status=status)


def _gone(request, message, status):
    return render(request, "service/appeals/link_gone.html",
                  {"page_title": _("办理链接不可用"), "message": message}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def department_link(request, token):
    """One appeal for its department, through a signed link (no login)."""
    try:
        link = links.link_for_token(token)
    except Http404 as e:
        return _gone(request, str(e), 404)
    except links.LinkGone as e:
        return _gone(request, e.message, 410)
    appeal, actor = link.appeal, links.actor_for(link)
    failed, error, conflict, status, phone = None, "", "", 200, None
    if request.method == "POST":
        if request.POST.get("appeal") != str(appeal.pk):
            return _gone(request, _("此办理链接只能用于它所属的诉求"), 404)
        if request.POST.get("action") == "reveal_phone":
            if not (appeal.contact_consent and appeal.contact_phone):
                raise PermissionDenied(_("企业未同意提供联系电话"))
            audit.log(audit.Kind.UNMASKED_VIEW, username=str(actor), request=request, target=appeal.ref,
                      field="contact_phone", link=link.pk)
            phone = appeal.contact_phone
        else:
            outcome = perform(request, appeal, actor, link=link, reload=lambda: links.link_for_token(token).appeal)
            if outcome.done:
                messages.success(request, str(DONE.get(request.POST["action"], _("操作已完成"))))
                return redirect(request.path)
            failed, error, conflict, status = outcome.form, outcome.error, outcome.conflict, outcome.status
            appeal = Appeal.objects.select_related("enterprise", "department").get(pk=appeal.pk)
            link.appeal = appeal
    links.link_touch(link)
    allowed = links.allowed_actions(link)
    stale = failed if failed is not None and failed.action not in allowed else None
    return _link_page(request, {
        "page_title": appeal.title, "appeal": appeal, "link": link, "overdue": appeal.is_overdue(timezone.now()),
        "actions": _action_entries(appeal, allowed, failed), "stale_entry": _stale_entry(stale),
        "error": error, "conflict": conflict, "timeline": appeals.timeline(appeal, with_actors=False),
        "phone": phone or mask_phone(appeal.contact_phone), "phone_full": bool(phone),
        "can_reveal": not phone and appeal.contact_consent and bool(appeal.contact_phone),
        "files": attachments.attachments_of(appeal), "token": token,
    }, status=status)


@never_cache
def department_link_file(request, token, file_token):
    """A file of the link's own appeal (the enterprise's evidence), for the
    department without an account; any other file is a 404."""
    try:
        link = links.link_for_token(token)
    except (Http404, links.LinkGone):
        raise Http404(_("文件不存在")) from None
    att = attachments.attachments_of(link.appeal).filter(token=file_token).first()
    if att is None:
        raise Http404(_("文件不存在"))
    links.link_touch(link)
    return FileResponse(att.file.open("rb"), as_attachment=not att.mime.startswith("image/"),
                        filename=att.name, content_type=att.mime)


# --- on-site assignment (现场交办) ----------------------------------------------------------------


class _Rollback(Exception):
    pass


@login_required
@require_http_methods(["GET", "POST"])
def on_site(request):
    """A city leader assigns several appeals at one event, each to a
    department: all or nothing, with an error on each row that failed."""
    require_role(request, *menu.ON_SITE_ROLES)
    visible = Appeal.objects.visible_to(request.user).select_related("enterprise").only(
        "id", "ref", "title", "state", "collected_at", "enterprise__name", "updated_at", "category")
    candidates = list(visible.filter(state__in=(S.COLLECTED, S.ACCEPTED)).order_by("-collected_at", "-id")
                      [:ON_SITE_LIMIT])
    source = request.POST if request.method == "POST" else request.GET
    picked = [int(x) for x in source.getlist("pick" if request.method == "POST" else "appeal") if x.isdigit()]
    known = {a.pk for a in candidates}
    extra = [pk for pk in picked if pk not in known]
    if extra:  # picked, but moved meanwhile: shown with their error
        candidates = list(visible.filter(pk__in=extra)) + candidates
    departments = list(Department.objects.order_by("sort_key", "id").only("id", "name"))
    by_id = {d.pk: d for d in departments}
    form = forms.OnSiteForm(request.POST or None, leaders=appeals.city_leaders(),
                            initial={"on": timezone.localdate()})
    rows = [{"appeal": a, "picked": a.pk in picked, "department": source.get(f"department_{a.pk}", ""),
             "error": ""} for a in candidates]
    problem = ""
    if request.method == "POST":
        valid = form.is_valid()
        chosen = [r for r in rows if r["picked"]]
        if not chosen:
            problem = _("请至少勾选一条要现场交办的诉求")
        for r in chosen:
            if not r["department"].isdigit() or int(r["department"]) not in by_id:
                r["error"] = _("请为该诉求选择承办单位")
        if valid:
            data = form.cleaned_data
            if not PublicOffice.objects.filter(active_on(data["on"]), person=data["leader"],
                                               is_city_leader=True).exists():
                form.add_error("leader", _("%(name)s在%(day)s不是市领导") % {"name": data["leader"].name,
                                                                          "day": data["on"]})
                valid = False
        if valid and chosen and not any(r["error"] for r in chosen):
            actor = Actor.of(request.user)
            try:
                with transaction.atomic():
                    for r in chosen:
                        try:
                            with transaction.atomic():
                                appeals.appeal_assign_on_site(
                                    appeal=Appeal.objects.get(pk=r["appeal"].pk),
                                    department=by_id[int(r["department"])], leader=data["leader"],
                                    place=data["place"], on=data["on"], actor=actor, note=data["note"])
                        except (ValidationError, PermissionDenied) as e:
                            r["error"] = "；".join(getattr(e, "messages", [str(e)]))
                    if any(r["error"] for r in chosen):
                        raise _Rollback
            except _Rollback:
                pass
            else:
                messages.success(request, _("已现场交办%(n)s条诉求") % {"n": len(chosen)})
                return redirect("service:appeal_list")
        if any(r["error"] for r in chosen):
            problem = problem or _("有诉求未能交办，全部未执行：请按各行的提示修改后重新提交")
    return _render(request, "service/appeals/on_site.html", {
        "page_title": _("现场交办"), "form": form, "rows": rows, "departments": departments,
        "problem": problem, "limit": ON_SITE_LIMIT,
    }, status=200)


urls = [
    path("appeals/", appeal_list, name="appeal_list"),
    path("appeals/new/", appeal_create, name="appeal_create"),
    path("appeals/on-site/", on_site, name="on_site"),
    path("appeals/<int:pk>/", appeal_detail, name="appeal_detail"),
    path("appeals/<int:pk>/act/", appeal_act, name="appeal_act"),
    path("appeals/<int:pk>/contact-phone/", appeal_phone, name="appeal_phone"),
    path("appeals/<int:pk>/links/", link_create, name="link_create"),
    path("appeals/<int:pk>/links/<int:link_pk>/revoke/", link_revoke, name="link_revoke"),
    path("inbox/", inbox, name="inbox"),
    path("d/<str:token>/", department_link, name="department_link"),
    path("d/<str:token>/files/<str:file_token>/", department_link_file, name="department_link_file"),
]
