"""Relief policies (惠企政策): list with search and filters, detail with the
notices the user may see, create/edit (committee), and notices — one
enterprise at a time or several at once after a briefing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fourfirsts.core.access import Role, get_visible_or_404, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.paging import keyset
from fourfirsts.core.views import require_role
from fourfirsts.registry.models import Association, Person, today
from fourfirsts.service.forms import policies as forms
from fourfirsts.service.forms import visits as visit_forms
from fourfirsts.service.models import Policy, PolicyNotice
from fourfirsts.service.services import policies as services
from fourfirsts.service.services import visits
from fourfirsts.service.views.visits import _list_response, render_page

NOTICE_WRITERS = (Role.COMMITTEE, Role.SECRETARY, Role.MEMBER)
NOTICES_SHOWN = 200



def get_policy_for_user(user, pk, write=False) -> Policy:
    policy = get_visible_or_404(Policy.objects, user, pk=pk)
    if write and not services.may_keep_policies(Actor.of(user)):
        raise PermissionDenied(_("只有商协会党委可以维护惠企政策"))
    return policy


@login_required
def policy_list(request):
    require_role(request, *Role.DOMAIN)
    flt = forms.PolicyFilter(request.GET)
    qs = flt.apply(Policy.objects.visible_to(request.user)).only(
        "id", "title", "issuer", "document_number", "issued_on", "effective_from", "effective_until", "industries")
    page = keyset(request, qs, "issued_on")
    rows = page.rows
    for row in rows:
        row.industry_names = services.industry_names(row.industries)
    return _list_response(request, "service/policies/policy_list.html", {
        "page_title": _("惠企政策"), "rows": rows, "page": page, "filter": flt,
        "can_create": services.may_keep_policies(Actor.of(request.user)),
    })


@login_required
def policy_detail(request, pk):
    require_role(request, *Role.DOMAIN)
    policy = get_policy_for_user(request.user, pk)
    notices = (PolicyNotice.objects.visible_to(request.user).filter(policy=policy)
               .annotate(enterprise_name=F("enterprise__name"), told_by_name=F("told_by__name"))
               .only("id", "told_on", "channel", "note").order_by("-told_on", "-id")[: NOTICES_SHOWN + 1])
    notices = list(notices)
    actor = Actor.of(request.user)
    return render_page(request, "service/policies/policy_detail.html", {
        "page_title": policy.title, "policy": policy, "notices": notices[:NOTICES_SHOWN],
        "more_notices": len(notices) > NOTICES_SHOWN, "industry_names": services.industry_names(policy.industries),
        "can_edit": services.may_keep_policies(actor), "can_notice": services.may_record_notices(actor),
    })


@login_required
@require_http_methods(["GET", "POST"])
def policy_edit(request, pk=None):
    require_role(request, *Role.DOMAIN)
    policy = get_policy_for_user(request.user, pk, write=True) if pk else None
    if policy is None and not services.may_keep_policies(Actor.of(request.user)):
        raise PermissionDenied(_("只有商协会党委可以维护惠企政策"))
    form = forms.PolicyForm(request.POST or None, instance=policy, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.policy_save(actor=Actor.of(request.user), values=form.values(), policy=policy)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("惠企政策已保存"))
            return redirect("service:policy_detail", saved.pk)
    cancel = reverse("service:policy_detail", args=[policy.pk]) if policy else reverse("service:policy_list")
    title = _("编辑惠企政策：%(title)s") % {"title": policy.title} if policy else _("新增惠企政策")
    return render_page(request, "service/visits/form.html", {"page_title": title, "form": form,
                                                             "cancel_url": cancel})


def _notice_policy(request, pk) -> Policy:
    require_role(request, *NOTICE_WRITERS)
    policy = get_policy_for_user(request.user, pk)
    if not services.may_record_notices(Actor.of(request.user)):
        raise PermissionDenied(_("您的角色无权登记政策告知"))
    return policy


def _own(user, values: dict) -> dict:
    """A member tells in person: told_by is themselves."""
    if not visits.picks_visitor(user):
        values["told_by"] = Person.objects.only("id", "name").get(pk=scope_of(user).person_id)
    return values


@login_required
@require_http_methods(["GET", "POST"])
def policy_notice_create(request, pk):
    policy = _notice_policy(request, pk)
    post = request.POST if request.method == "POST" else None
    search = (post or request.GET).get("eq", "")
    scope = scope_of(request.user)
    form = forms.NoticeForm(post, initial={"told_on": today(), "told_by": scope.person_id}, user=request.user,
                            search=search)
    if post is not None and "_search" in post:
        form = forms.NoticeForm(initial=visit_forms.kept_values(form), user=request.user, search=search)
    elif post is not None and form.is_valid():
        try:
            services.policy_notice_create(actor=Actor.of(request.user),
                                          values=_own(request.user, {**form.values(), "policy": policy}))
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("政策告知已登记"))
            return redirect("service:policy_detail", policy.pk)
    return render_page(request, "service/visits/form.html", {
        "page_title": _("登记政策告知：%(title)s") % {"title": policy.title}, "form": form, "picker": True,
        "search": search, "cancel_url": reverse("service:policy_detail", args=[policy.pk])})


@login_required
@require_http_methods(["GET", "POST"])
def policy_notice_bulk(request, pk):
    policy = _notice_policy(request, pk)
    data = request.POST if request.method == "POST" else None
    text = (data or request.GET).get("association", "")
    association = None
    if text.isdigit():
        association = Association.objects.filter(pk=int(text)).first()
    scope = scope_of(request.user)
    if association is not None and not forms.BulkNoticeForm(user=request.user).fields[
            "association"].queryset.filter(pk=association.pk).exists():
        association = None
    form = forms.BulkNoticeForm(data, initial={"told_on": today(), "told_by": scope.person_id,
                                               "association": association}, user=request.user,
                                association=association)
    if data is not None and "_list" not in data and form.is_valid():
        d = form.cleaned_data
        try:
            created = services.policy_notice_bulk_create(
                actor=Actor.of(request.user), policy=policy, enterprises=list(d["enterprises"]),
                told_by=_own(request.user, {"told_by": d.get("told_by")})["told_by"], told_on=d["told_on"],
                channel=d["channel"], note=d["note"])
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("已登记向%(n)s家企业告知该政策") % {"n": len(created)})
            return redirect("service:policy_detail", policy.pk)
    elif data is not None and "_list" in data:
        form = forms.BulkNoticeForm(initial=visit_forms.kept_values(form), user=request.user, association=association)
    return render_page(request, "service/policies/notice_bulk.html", {
        "page_title": _("批量登记政策告知：%(title)s") % {"title": policy.title}, "form": form, "policy": policy,
        "cancel_url": reverse("service:policy_detail", args=[policy.pk])})


urls = [
    path("policies/", policy_list, name="policy_list"),
    path("policies/new/", policy_edit, name="policy_create"),
    path("policies/<int:pk>/", policy_detail, name="policy_detail"),
    path("policies/<int:pk>/edit/", policy_edit, name="policy_edit"),
    path("policies/<int:pk>/notices/new/", policy_notice_create, name="policy_notice_create"),
    path("policies/<int:pk>/notices/bulk/", policy_notice_bulk, name="policy_notice_bulk"),
]
