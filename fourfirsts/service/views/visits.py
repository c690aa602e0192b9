"""Visits and contacts (list, detail, log from a phone with the problems
found, edit, delete), the enterprise picker's search, and pairings (list,
create, end, the no-contact list).

Lists start from `visible_to(user)`; single records come through
`get_visit_for_user` / `get_pairing_for_user` (outside scope 404, a write the
services would refuse 403); writes go through services.visits."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fourfirsts.core import rules
from fourfirsts.core.access import Role, get_visible_or_404, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.paging import keyset
from fourfirsts.core.views import require_role
from fourfirsts.registry.models import Person, today
from fourfirsts.service import menu
from fourfirsts.service.forms import visits as forms
from fourfirsts.service.models import Appeal, Pairing, Visit
from fourfirsts.service.services import visits as services

CONTACT_READERS = menu.CONTACT_READERS
WRITERS = (Role.COMMITTEE, Role.SECRETARY, Role.MEMBER)


def nav(request) -> list[dict]:
    """The service pages' tabs the user may open (those not built yet are left out)."""
    return menu.tabs_for(request)


def render_page(request, template, context):
    context.setdefault("nav", nav(request))
    return render(request, template, context)


def appeal_links() -> bool:
    """Whether the appeal pages exist yet (templates link to them only then)."""
    try:
        reverse("service:appeal_detail", args=[1])
    except NoReverseMatch:
        return False
    return True


def _list_response(request, template, context):
    partial = request.htmx and not request.htmx.history_restore_request
    response = render_page(request, f"{template}#rows" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- one record ------------------------------------------------------------------------------------


def get_visit_for_user(user, pk, write=False) -> Visit:
    visit = get_visible_or_404(Visit.objects.select_related("visitor", "enterprise"), user, pk=pk)
    if write and not services.may_write_visit(user, visit):
        raise PermissionDenied(_("您无权修改这条走访记录"))
    return visit


def get_pairing_for_user(user, pk, write=False) -> Pairing:
    pairing = get_visible_or_404(Pairing.objects.select_related("person", "enterprise"), user, pk=pk)
    if write and not services.may_keep_pairings(user, pairing.enterprise):
        raise PermissionDenied(_("您无权修改这个结对"))
    return pairing


# --- visits ------------------------------------------------------------------------------------------


def _overdue(user, day):
    """A member's own pairs on the no-contact list."""
    scope = scope_of(user)
    if Role.MEMBER not in scope.roles or not scope.person_id:
        return []
    qs = services.no_contact(user, day).filter(person_id=scope.person_id)
    return list(qs.annotate(enterprise_name=F("enterprise__name"))[:50])


@login_required
def visit_list(request):
    require_role(request, *CONTACT_READERS)
    flt = forms.VisitFilter(request.GET, user=request.user)
    qs = flt.apply(Visit.objects.visible_to(request.user)).annotate(
        enterprise_name=F("enterprise__name"), visitor_name=F("visitor__name"),
    ).only("id", "visited_on", "channel", "enterprise_id", "visitor_id")
    qs = services.with_problem_count(qs)
    page = keyset(request, qs, "visited_on")
    rows = page.rows
    day = today()
    return _list_response(request, "service/visits/visit_list.html", {
        "page_title": _("走访联系"), "rows": rows, "page": page, "filter": flt,
        "can_create": services.can_log(request.user),
        "overdue": _overdue(request.user, day) if not request.htmx else [], "on": day,
        "days": rules.value("service.no_contact_days", on=day),
    })


@login_required
def visit_detail(request, pk):
    require_role(request, *CONTACT_READERS)
    visit = get_visit_for_user(request.user, pk)
    visit = Visit.objects.select_related("visitor", "enterprise", "entered_by").get(pk=visit.pk)
    raised = Appeal.objects.visible_to(request.user).filter(visit=visit).only(
        "id", "title", "state", "category", "kind", "is_blockage", "is_pain_point", "is_difficulty").order_by("id")
    return render_page(request, "service/visits/visit_detail.html", {
        "page_title": _("走访联系：%(name)s") % {"name": visit.enterprise.name}, "visit": visit,
        "appeals": raised, "appeal_links": appeal_links(),
        "entered_by": (visit.entered_by.get_full_name() or visit.entered_by.get_username()) if visit.entered_by else "",
        "can_edit": services.may_write_visit(request.user, visit),
    })


def _own_person(user) -> Person:
    return Person.objects.only("id", "name").get(pk=scope_of(user).person_id)


def _visit_page(request, visit=None):
    post = request.POST if request.method == "POST" else None
    search = (post or request.GET).get("eq", "")
    initial = {}
    if visit is None:
        initial = {"visited_on": today()}
        if request.GET.get("enterprise", "").isdigit():
            initial["enterprise"] = request.GET["enterprise"]
    form = forms.VisitForm(post, instance=visit, initial=initial, user=request.user, search=search)
    problems = forms.problem_formset(request.user, post, rows=0 if visit and not request.GET.get("add") else 1)
    if post is not None and ("_search" in post or "_add_problem" in post):
        # Search (without JavaScript) or one more problem row: everything typed is kept.
        kept = forms.kept_values(form)
        rows = [forms.kept_values(f) for f in problems.forms]
        form = forms.VisitForm(instance=visit, initial=kept, user=request.user, search=search)
        problems = forms.problem_formset(request.user, initial=rows,
                                         rows=len(rows) + (1 if "_add_problem" in post else 0))
    elif post is not None:
        form_ok, rows_ok = form.is_valid(), problems.is_valid()
        if form_ok and rows_ok:
            values = form.values()
            if "visitor" not in form.fields:
                values["visitor"] = visit.visitor if visit else _own_person(request.user)
            actor = Actor.of(request.user)
            try:
                if visit:
                    saved = services.visit_update(actor=actor, visit=visit, values=values,
                                                  problems=problems.problems())
                else:
                    saved = services.visit_create(actor=actor, values=values, problems=problems.problems())
            except ValidationError as e:
                if hasattr(e, "error_dict"):
                    rest = problems.add_service_errors(e.message_dict)
                    if rest:
                        form.add_service_error(ValidationError(rest))
                else:
                    form.add_service_error(e)
            else:
                n = len(problems.problems())
                messages.success(request, _("走访记录已保存，提出问题%(n)s个") % {"n": n} if n else _("走访记录已保存"))
                return redirect("service:visit_detail", saved.pk)
    title = _("编辑走访记录") if visit else _("登记走访联系")
    cancel = reverse("service:visit_detail", args=[visit.pk]) if visit else reverse("service:visit_list")
    return render_page(request, "service/visits/visit_form.html", {
        "page_title": title, "form": form, "problems": problems, "cancel_url": cancel, "search": search,
        "visit": visit,
    })


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request):
    require_role(request, *WRITERS)
    if not services.can_log(request.user):
        raise PermissionDenied(_("您的角色无权登记走访联系"))
    return _visit_page(request)


@login_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk):
    require_role(request, *CONTACT_READERS)
    return _visit_page(request, get_visit_for_user(request.user, pk, write=True))


@login_required
@require_http_methods(["GET", "POST"])
def visit_delete(request, pk):
    """Asks first (GET), deletes on POST; a visit that raised appeals stays."""
    require_role(request, *CONTACT_READERS)
    visit = get_visit_for_user(request.user, pk, write=True)
    error = ""
    if request.method == "POST":
        try:
            services.visit_delete(actor=Actor.of(request.user), visit=visit)
        except ValidationError as e:
            error = "；".join(e.messages)
        else:
            messages.success(request, _("走访记录已删除"))
            return redirect("service:visit_list")
    blocked = services.visit_delete_refusal(visit)
    return render_page(request, "service/visits/confirm_delete.html", {
        "page_title": _("删除走访记录"), "obj": visit, "blocked": blocked, "error": "" if blocked else error,
        "back": reverse("service:visit_detail", args=[visit.pk]),
    })


@login_required
def enterprise_search(request):
    """The enterprise picker's options (htmx): paired, selected, ≤20 matches."""
    require_role(request, *WRITERS)
    selected = request.GET.get("enterprise", "")
    options = forms.enterprise_options(request.user, request.GET.get("eq", ""),
                                       int(selected) if selected.isdigit() else None)
    return render(request, "service/visits/_enterprise_options.html", {
        "options": options, "selected": int(selected) if selected.isdigit() else None})


# --- pairings ----------------------------------------------------------------------------------------


@login_required
def pairing_list(request):
    require_role(request, *CONTACT_READERS)
    day = today()
    flt = forms.PairingFilter(request.GET, user=request.user)
    qs = flt.apply(Pairing.objects.visible_to(request.user), day)
    qs = services.with_last_contact(qs, day).annotate(enterprise_name=F("enterprise__name"),
                                                      person_name=F("person__name"))
    page = keyset(request, qs, "since")
    rows = page.rows
    may_keep = services.may_keep_pairings(request.user)
    return _list_response(request, "service/visits/pairing_list.html", {
        "page_title": _("结对联系"), "rows": rows, "page": page, "filter": flt, "on": day,
        "can_create": may_keep, "can_end": may_keep,
    })


def _form_page(request, form, title, cancel_url, **extra):
    return render_page(request, "service/visits/form.html", {"page_title": title, "form": form,
                                                             "cancel_url": cancel_url, **extra})


@login_required
@require_http_methods(["GET", "POST"])
def pairing_create(request):
    require_role(request, *CONTACT_READERS)
    if not services.may_keep_pairings(request.user):
        raise PermissionDenied(_("只有商协会党委或党组织书记可以安排结对联系"))
    post = request.POST if request.method == "POST" else None
    search = (post or request.GET).get("eq", "")
    form = forms.PairingForm(post, initial={"since": today()}, user=request.user, search=search)
    if post is not None and "_search" in post:
        form = forms.PairingForm(initial=forms.kept_values(form), user=request.user, search=search)
    elif post is not None and form.is_valid():
        try:
            saved = services.pairing_create(actor=Actor.of(request.user), values=form.values())
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("已安排%(person)s联系%(enterprise)s") % {
                "person": saved.person.name, "enterprise": saved.enterprise.name})
            return redirect("service:pairing_list")
    return _form_page(request, form, _("安排结对联系"), reverse("service:pairing_list"), picker=True, search=search)


@login_required
@require_http_methods(["GET", "POST"])
def pairing_end(request, pk):
    require_role(request, *CONTACT_READERS)
    pairing = get_pairing_for_user(request.user, pk, write=True)
    form = forms.PairingEndForm(request.POST or None, initial={"until": today(), "note": pairing.note})
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_end(actor=Actor.of(request.user), pairing=pairing, until=form.cleaned_data["until"],
                                 note=form.cleaned_data["note"])
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("结对已结束"))
            return redirect("service:pairing_list")
    return _form_page(request, form, _("结束结对：%(person)s — %(enterprise)s") % {
        "person": pairing.person.name, "enterprise": pairing.enterprise.name}, reverse("service:pairing_list"))


@login_required
def pairing_no_contact(request):
    """Pairs in force on the day with no visit for more than N days."""
    require_role(request, *CONTACT_READERS)
    flt = forms.NoContactForm(request.GET)
    day = (flt.cleaned_data.get("on") if flt.is_valid() else None) or today()
    days = int(rules.value("service.no_contact_days", on=day))
    qs = services.no_contact(request.user, day, days).annotate(
        enterprise_name=F("enterprise__name"), person_name=F("person__name"))
    page = keyset(request, qs, "since_contact", descending=False)
    rows = page.rows
    return _list_response(request, "service/visits/no_contact.html", {
        "page_title": _("未联系提醒"), "rows": rows, "page": page, "filter": flt, "on": day, "days": days,
        "can_log": services.can_log(request.user),
    })


urls = [
    path("visits/", visit_list, name="visit_list"),
    path("visits/new/", visit_create, name="visit_create"),
    path("visits/enterprises/", enterprise_search, name="visit_enterprise_search"),
    path("visits/<int:pk>/", visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visit_edit, name="visit_edit"),
    path("visits/<int:pk>/delete/", visit_delete, name="visit_delete"),
    path("pairings/", pairing_list, name="pairing_list"),
    path("pairings/new/", pairing_create, name="pairing_create"),
    path("pairings/no-contact/", pairing_no_contact, name="pairing_no_contact"),
    path("pairings/<int:pk>/end/", pairing_end, name="pairing_end"),
]
