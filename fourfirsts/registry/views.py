"""The registry pages: lists, details, change history, create and edit forms.

Lists start from `visible_to(user)`, single records come through
`registry.access` (outside scope: 404), writes go through `services` with
the user's Actor. Lists page by keyset (`?after=<sort_key>|<id>`), never
counting the table, and answer htmx with the `rows` partial alone.

Who may open these pages: the four org roles (商协会党委, 市领导, 指导员,
书记); 承办单位 pages also every domain role, as DepartmentQuerySet allows.
Other roles (会员党员, 承办人, the admins) get a 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F, OuterRef, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fourfirsts.core import audit, menu
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.crypto import mask_id_number, mask_phone
from fourfirsts.core.menu import ORG_ROLES
from fourfirsts.core.paging import keyset
from fourfirsts.core.views import require_role
from fourfirsts.registry import access, forms, services
from fourfirsts.registry.models import (
    Association,
    AssociationStatus,
    Department,
    Enterprise,
    InstructorAssignment,
    PartyOrg,
    Person,
    active_on,
    today,
)

PAGE_SIZE = 50
READERS = ORG_ROLES
DEPARTMENT_READERS = Role.DOMAIN
STATUS_LABELS = dict(AssociationStatus.Status.choices)
HISTORY_TYPES = {"+": gettext_lazy("新建"), "~": gettext_lazy("修改"), "-": gettext_lazy("删除")}
HISTORY_LIMIT = 50

NAV = (
    (gettext_lazy("商协会"), "registry:association_list", READERS),
    (gettext_lazy("党组织"), "registry:party_org_list", READERS),
    (gettext_lazy("会员企业"), "registry:enterprise_list", READERS),
    (gettext_lazy("人员"), "registry:person_list", READERS),
    (gettext_lazy("党建工作指导员"), "registry:instructor_assignment_list", READERS),
    (gettext_lazy("承办单位"), "registry:department_list", DEPARTMENT_READERS),
)


def _nav(request) -> list[dict]:
    scope = scope_of(request.user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [
        {"label": str(label), "url": reverse(name), "active": name == current}
        for label, name, roles in NAV
        if scope.has(*roles)
    ]


# --- lists ------------------------------------------------------------------------------


def _list(request, kind, title, filter_form, qs, each=None):
    """registry/<kind>_list.html, or its `rows` partial for htmx; `each(row)`
    adds what a row shows beyond its fields."""
    page = keyset(request, filter_form.apply(qs), "sort_key", descending=False, parse=str, size=PAGE_SIZE)
    if each:
        for row in page.rows:
            each(row)
    context = {
        "page_title": title,
        "nav": _nav(request),
        "filter": filter_form,
        "page": page,
        "create_url": reverse(f"registry:{kind}_create")
        if access.can_write(request.user)
        else None,
    }
    template = f"registry/{kind}_list.html"
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{template}#rows" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _current_status():
    latest = AssociationStatus.objects.filter(association=OuterRef("pk"), since__lte=today())
    return Subquery(latest.order_by("-since", "-id").values("status")[:1])


def _status_label(row):
    row.status_label = STATUS_LABELS.get(row.current_status, "")


@login_required
def association_list(request):
    require_role(request, *READERS)
    qs = Association.objects.visible_to(request.user).defer("contact_phone").annotate(current_status=_current_status())
    filter_form = forms.AssociationFilter(request.GET)
    return _list(request, "association", _("商协会"), filter_form, qs, each=_status_label)


@login_required
def party_org_list(request):
    require_role(request, *READERS)
    qs = PartyOrg.objects.visible_to(request.user).annotate(
        parent_name=F("parent__name"), secretary_name=F("secretary__name")
    )
    return _list(request, "party_org", _("党组织"), forms.PartyOrgFilter(request.GET), qs)


@login_required
def enterprise_list(request):
    require_role(request, *READERS)
    qs = Enterprise.objects.visible_to(request.user).defer("contact_phone")
    return _list(request, "enterprise", _("会员企业"), forms.EnterpriseFilter(request.GET), qs)


def _masked_phone(row):
    # Lists always mask: a full phone is a logged view of one detail page.
    row.phone_masked = mask_phone(row.phone)


@login_required
def person_list(request):
    require_role(request, *READERS)
    qs = Person.objects.visible_to(request.user).defer("id_number")
    return _list(request, "person", _("人员"), forms.ListFilter(request.GET), qs, each=_masked_phone)


@login_required
def department_list(request):
    require_role(request, *DEPARTMENT_READERS)
    qs = Department.objects.visible_to(request.user).defer("contact_phone")
    return _list(request, "department", _("承办单位"), forms.ListFilter(request.GET), qs)


@login_required
def instructor_assignment_list(request):
    require_role(request, *READERS)
    qs = InstructorAssignment.objects.visible_to(request.user).annotate(
        sort_key=F("association__sort_key"),
        person_name=F("person__name"),
        association_name=F("association__name"),
        party_org_name=F("party_org__name"),
    )
    filter_form = forms.InstructorAssignmentFilter(request.GET)
    return _list(request, "instructor_assignment", _("党建工作指导员"), filter_form, qs)


# --- details ----------------------------------------------------------------------------


def _detail(request, kind, obj, **context):
    """registry/<kind>_detail.html with the record, its edit and history links."""
    context.setdefault("page_title", str(obj))
    if "can_edit" not in context:
        context["can_edit"] = access.can_write(request.user, obj)
    if context["can_edit"]:
        context["edit_url"] = reverse(f"registry:{kind}_edit", args=[obj.pk])
    context["history_url"] = reverse(f"registry:{kind}_history", args=[obj.pk])
    context["record_actions"] = menu.record_actions_for(request.user, obj)
    return render(
        request, f"registry/{kind}_detail.html", {"obj": obj, "nav": _nav(request), **context}
    )


def _contact_phone(request, obj, can_edit: bool) -> str:
    """An organisation's contact phone: in full, and logged, for those who keep
    the record; masked for everyone else."""
    if not obj.contact_phone or not can_edit:
        return mask_phone(obj.contact_phone)
    audit.log(audit.Kind.UNMASKED_VIEW, user=request.user, request=request, target=obj.ref, field="contact_phone")
    return obj.contact_phone


@login_required
def association_detail(request, pk):
    require_role(request, *READERS)
    obj = access.get_association_for_user(request.user, pk)
    return _detail(
        request,
        "association",
        obj,
        can_link=access.can_write(request.user),
        can_record_status=access.can_write(request.user),
        contact_phone=_contact_phone(request, obj, access.can_write(request.user, obj)),
        statuses=obj.statuses.order_by("-since", "-id"),
        coverages=obj.coverages.annotate(party_org_name=F("party_org__name")),
        memberships=obj.memberships.annotate(enterprise_name=F("enterprise__name")),
        instructors=obj.instructor_assignments.annotate(person_name=F("person__name")),
        posts=obj.posts.annotate(person_name=F("person__name")).order_by("-since", "id"),
    )


@login_required
def party_org_detail(request, pk):
    require_role(request, *READERS)
    obj = access.get_party_org_for_user(request.user, pk)
    return _detail(
        request,
        "party_org",
        obj,
        can_link=access.can_write(request.user),
        parent=obj.parent,
        secretary_name=Person.objects.filter(pk=obj.secretary_id)
        .values_list("name", flat=True)
        .first(),
        children=obj.children.only("id", "name", "kind"),
        coverages=obj.coverages.annotate(association_name=F("association__name")),
        members=obj.party_memberships.annotate(person_name=F("person__name")).order_by(
            "-since", "id"
        ),
        groups=obj.party_groups.annotate(
            member_count=Count("memberships", filter=active_on(today(), "memberships__"))
        ).order_by("name"),
        committee=obj.committee_seats.annotate(person_name=F("person__name")).order_by(
            "-since", "id"
        ),
    )


@login_required
def enterprise_detail(request, pk):
    require_role(request, *READERS)
    obj = access.get_enterprise_for_user(request.user, pk)
    can_edit = access.can_write(request.user, obj)
    return _detail(
        request,
        "enterprise",
        obj,
        can_edit=can_edit,
        contact_phone=_contact_phone(request, obj, can_edit),
        memberships=obj.memberships.annotate(association_name=F("association__name")),
        posts=obj.posts.annotate(person_name=F("person__name")).order_by("-since", "id"),
    )


@login_required
def department_detail(request, pk):
    require_role(request, *DEPARTMENT_READERS)
    obj = access.get_department_for_user(request.user, pk)
    can_edit = access.can_write(request.user, obj)
    return _detail(
        request,
        "department",
        obj,
        can_edit=can_edit,
        contact_phone=_contact_phone(request, obj, can_edit),
    )


@login_required
def instructor_assignment_detail(request, pk):
    require_role(request, *READERS)
    obj = access.get_instructor_assignment_for_user(request.user, pk)
    obj = InstructorAssignment.objects.annotate(
        person_name=F("person__name"),
        association_name=F("association__name"),
        party_org_name=F("party_org__name"),
    ).get(pk=obj.pk)
    return _detail(
        request,
        "instructor_assignment",
        obj,
        page_title=_("党建工作指导员：%(name)s") % {"name": obj.person_name},
    )


def _person_detail(request, person, full_id_number=None):
    phone, phone_full = access.phone_for(request.user, person)
    if phone_full:
        audit.log(
            audit.Kind.UNMASKED_VIEW,
            user=request.user,
            request=request,
            target=person.ref,
            field="phone",
        )
    return _detail(
        request,
        "person",
        person,
        id_number=full_id_number or mask_id_number(person.id_number),
        id_number_full=bool(full_id_number),
        can_unmask=bool(person.id_number) and scope_of(request.user).can_view_full_personal_data,
        phone=phone,
        phone_full=phone_full,
        posts=person.posts.annotate(
            enterprise_name=F("enterprise__name"), association_name=F("association__name")
        ).order_by("-since", "id"),
        memberships=person.party_memberships.annotate(party_org_name=F("party_org__name")).order_by(
            "-since"
        ),
        political_statuses=person.political_statuses.order_by("-since"),
        offices=person.public_offices.order_by("-since"),
        assignments=person.instructor_assignments.annotate(association_name=F("association__name")),
    )


@never_cache
@login_required
def person_detail(request, pk):
    require_role(request, *READERS)
    return _person_detail(request, access.get_person_for_user(request.user, pk))


@never_cache
@login_required
@require_POST
def person_id_number(request, pk):
    """The full 身份证 number of one person, for holders of the permission; logged."""
    require_role(request, *READERS)
    person = access.get_person_for_user(request.user, pk)
    if not scope_of(request.user).can_view_full_personal_data:
        raise PermissionDenied(_("您无权查看完整身份证号码"))
    audit.log(
        audit.Kind.UNMASKED_VIEW,
        user=request.user,
        request=request,
        target=person.ref,
        field="id_number",
    )
    return _person_detail(request, person, full_id_number=person.id_number)


# --- change history ------------------------------------------------------------------

GETTERS = {
    "association": (access.get_association_for_user, READERS),
    "party_org": (access.get_party_org_for_user, READERS),
    "enterprise": (access.get_enterprise_for_user, READERS),
    "person": (access.get_person_for_user, READERS),
    "department": (access.get_department_for_user, DEPARTMENT_READERS),
    "instructor_assignment": (access.get_instructor_assignment_for_user, READERS),
}


def history_rows(obj, limit=HISTORY_LIMIT) -> list[dict]:
    """The latest changes of obj, newest first: when, who, which fields from what to what."""
    tracked = {f.name for f in obj.history.model._meta.fields}  # Person's numbers are not tracked
    fields = {
        f.name: f for f in obj._meta.fields if f.editable and f.name in tracked and f.name != "id"
    }
    records = list(obj.history.select_related("history_user")[: limit + 1])
    rows = []
    for record, prev in zip(records[:limit], records[1:] + [None], strict=False):
        changes = []
        if prev is not None and record.history_type == "~":
            delta = record.diff_against(
                prev, included_fields=list(fields), foreign_keys_are_objs=True
            )
            changes = [
                {
                    "field": fields[c.field].verbose_name,
                    "old": _shown(fields[c.field], c.old),
                    "new": _shown(fields[c.field], c.new),
                }
                for c in delta.changes
            ]
        rows.append(
            {
                "record": record,
                "type": HISTORY_TYPES.get(record.history_type, ""),
                "changes": changes,
            }
        )
    return rows


def _shown(field, value):
    if value in (None, ""):
        return _("（空）")
    return dict(field.choices).get(value, value) if field.choices else value


@login_required
def history(request, kind, pk):
    getter, roles = GETTERS[kind]
    require_role(request, *roles)
    obj = getter(request.user, pk)
    name = obj.name if hasattr(obj, "name") else _("党建工作指导员")
    return render(
        request,
        "registry/history.html",
        {
            "page_title": _("变更记录：%(name)s") % {"name": name},
            "nav": _nav(request),
            "obj": obj,
            "detail_url": reverse(f"registry:{kind}_detail", args=[obj.pk]),
            "rows": history_rows(obj),
            "limit": HISTORY_LIMIT,
        },
    )


# --- create and edit ------------------------------------------------------------------------


def _writable(getter, request, pk):
    """The record to edit (403 if the user may read but not write it), or None
    for a new one (403 unless the user may create)."""
    require_role(request, *READERS)
    if pk is None:
        access.check_create(request.user)
        return None
    return getter(request.user, pk, write=True)


def _form(request, form_class, obj, initial=None):
    data = request.POST if request.method == "POST" else None
    return form_class(data, instance=obj, initial=initial, user=request.user)


def _save(request, form, save, *, kind, label, obj, detail=None):
    """Call the service with the form; its ValidationError goes back onto the
    form (the service's transaction leaves nothing saved)."""
    detail = detail or (lambda record: reverse(f"registry:{kind}_detail", args=[record.pk]))
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("%(label)s已保存") % {"label": label})
            return redirect(detail(saved))
    name = getattr(obj, "name", "")
    if obj is None:
        title = _("新建%(label)s") % {"label": label}
    elif name:
        title = _("编辑%(label)s：%(name)s") % {"label": label, "name": name}
    else:
        title = _("编辑%(label)s") % {"label": label}
    cancel = detail(obj) if obj else reverse(f"registry:{kind}_list")
    context = {"page_title": title, "nav": _nav(request), "form": form, "cancel_url": cancel}
    return render(request, "registry/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def association_edit(request, pk=None):
    obj = _writable(access.get_association_for_user, request, pk)
    form = _form(request, forms.AssociationForm, obj)
    return _save(
        request,
        form,
        lambda f: services.association_save(
            actor=Actor.of(request.user),
            values=f.values(),
            association=obj,
            status=f.cleaned_data.get("status"),
            status_since=f.cleaned_data.get("status_since"),
        ),
        kind="association",
        label=_("商协会"),
        obj=obj,
    )


@login_required
@require_http_methods(["GET", "POST"])
def association_status_add(request, pk):
    """A dated status entry (筹备中 / 正常 / 注销): the committee's to record;
    earlier entries stay, so past years keep their numbers."""
    require_role(request, *READERS)
    association = access.get_association_for_user(request.user, pk)
    access.check_create(request.user)
    form = _form(request, forms.AssociationStatusForm, None)
    return _save(
        request,
        form,
        lambda f: services.association_status_set(
            actor=Actor.of(request.user), association=association, **f.values()
        ).association,
        kind="association",
        label=_("商协会状态"),
        obj=None,
        detail=lambda record: reverse("registry:association_detail", args=[(record or association).pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def party_org_edit(request, pk=None):
    obj = _writable(access.get_party_org_for_user, request, pk)
    form = _form(request, forms.PartyOrgForm, obj)
    return _save(
        request,
        form,
        lambda f: services.party_org_save(actor=Actor.of(request.user), values=f.values(), org=obj),
        kind="party_org",
        label=_("党组织"),
        obj=obj,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enterprise_edit(request, pk=None):
    obj = _writable(access.get_enterprise_for_user, request, pk)
    form = _form(request, forms.EnterpriseForm, obj)
    return _save(
        request,
        form,
        lambda f: services.enterprise_save(
            actor=Actor.of(request.user), values=f.values(), enterprise=obj
        ),
        kind="enterprise",
        label=_("会员企业"),
        obj=obj,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk=None):
    obj = _writable(access.get_person_for_user, request, pk)
    form = _form(request, forms.PersonForm, obj)
    return _save(
        request,
        form,
        lambda f: services.person_save(actor=Actor.of(request.user), values=f.values(), person=obj),
        kind="person",
        label=_("人员"),
        obj=obj,
    )


@login_required
@require_http_methods(["GET", "POST"])
def department_edit(request, pk=None):
    obj = _writable(access.get_department_for_user, request, pk)
    form = _form(request, forms.DepartmentForm, obj)
    return _save(
        request,
        form,
        lambda f: services.department_save(
            actor=Actor.of(request.user), values=f.values(), department=obj
        ),
        kind="department",
        label=_("承办单位"),
        obj=obj,
    )


def _link_initial(request, *names) -> dict:
    """?association=<pk>&party_org=<pk> from the page the user came from."""
    return {n: request.GET[n] for n in names if request.GET.get(n, "").isdigit()}


# Checks a pillar adds to a saved assignment without the registry importing it
# (governance: INS-1's load warning). Each takes the saved assignment and
# returns a warning for the user, or "".
ASSIGNMENT_WARNINGS: list = []


def register_assignment_warning(check) -> None:
    if check not in ASSIGNMENT_WARNINGS:
        ASSIGNMENT_WARNINGS.append(check)


@login_required
@require_http_methods(["GET", "POST"])
def instructor_assignment_edit(request, pk=None):
    obj = _writable(access.get_instructor_assignment_for_user, request, pk)
    initial = _link_initial(request, "association", "party_org", "person")
    form = _form(request, forms.InstructorAssignmentForm, obj, initial=initial)
    warnings = []

    def save(f):
        saved = services.instructor_assign(actor=Actor.of(request.user), values=f.values(), assignment=obj)
        warnings.extend(w for check in ASSIGNMENT_WARNINGS if (w := check(saved)))
        return saved

    response = _save(request, form, save, kind="instructor_assignment", label=_("党建工作指导员"), obj=obj)
    for warning in warnings:  # after the "saved" message, as on the governance screen
        messages.warning(request, warning)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def coverage_edit(request, pk=None):
    """Link an association to the party org that covers it, from a date."""
    obj = _writable(access.get_coverage_for_user, request, pk)
    form = _form(
        request, forms.CoverageForm, obj, initial=_link_initial(request, "association", "party_org")
    )
    return _save(
        request,
        form,
        lambda f: services.coverage_save(
            actor=Actor.of(request.user), values=f.values(), coverage=obj
        ),
        kind="association",
        label=_("覆盖关系"),
        obj=obj,
        detail=lambda c: reverse("registry:association_detail", args=[c.association_id]),
    )
