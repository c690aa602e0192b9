"""Login, logout, password change, the profile, and the three admins' pages."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fourfirsts.accounts import forms, services
from fourfirsts.accounts.models import ApiToken, User
from fourfirsts.core import periods
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import SecurityEvent
from fourfirsts.core.sheets import REF_HEADER
from fourfirsts.core.views import require_role

LOG_PAGE = 100

# The bulk-account workbook's format (matched on import, never translated): the
# 人员 sheet as exported by the exchange, with a 用户名 column added.
PEOPLE_SHEET = "人员"
USERNAME_HEADER = "用户名"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = forms.LoginForm
    redirect_authenticated_user = True


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    return render(request, "accounts/locked.html", {"page_title": _("账号已锁定")}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = forms.PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.password_change(user=request.user, new_password=form.cleaned_data["new_password1"], request=request)
        except ValidationError as e:
            form.add_error("new_password1", e)
        else:
            update_session_auth_hash(request, request.user)
            messages.success(request, _("密码已修改"))
            return redirect("core:home")
    return render(request, "accounts/password_change.html", {"page_title": _("修改密码"), "form": form})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile(request):
    """The user's own account, and their personal API tokens: a new token is
    shown once, on the page that made it."""
    scope = scope_of(request.user)
    form = forms.TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["expires_on"]
        expires = periods.local_midnight(day + timedelta(days=1)) if day else None
        try:
            _row, new_token = services.token_create(user=request.user, name=form.cleaned_data["name"],
                                                    expires_at=expires, request=request)
            form = forms.TokenForm()
        except ValidationError as e:
            for field, errors in e.message_dict.items():
                form.add_error("expires_on" if field == "expires_at" else field, errors)
    return render(request, "accounts/profile.html", {
        "page_title": _("个人信息"), "scope": scope, "roles": [str(Role.LABELS[r]) for r in sorted(scope.roles)],
        "tokens": request.user.api_tokens.all()[:50], "form": form, "new_token": new_token,
        "now": timezone.now()})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.token_revoke(user=request.user, token=token, request=request)
    messages.success(request, _("令牌“%(name)s”已撤销，使用它的请求将立即被拒绝") % {"name": token.name})
    return redirect("accounts:profile")


# --- system admin: accounts ------------------------------------------------------


@login_required
def account_list(request):
    require_role(request, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
    qs = forms.users_for_list()
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(username__icontains=q) | qs.filter(first_name__icontains=q)
    page = Paginator(qs.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/account_list.html", {"page_title": _("账号管理"), "page": page, "q": q,
                                                          "is_sysadmin": Role.SYSTEM_ADMIN in scope_of(request.user).roles})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_create(request):
    require_role(request, Role.SYSTEM_ADMIN)
    form = forms.AccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.account_create(actor=Actor.of(request.user), request=request, **form.cleaned_data)
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            return render(request, "accounts/one_time_password.html",
                          {"page_title": _("账号已创建"), "account": user, "password": password})
    return render(request, "accounts/account_form.html", {"page_title": _("新建账号"), "form": form})


def _account(request, pk):
    require_role(request, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)
    return get_object_or_404(User.objects.defer("person__id_number", "person__phone").select_related("person"), pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def account_detail(request, pk):
    account = _account(request, pk)
    scope = scope_of(request.user)
    link_form = forms.LinkForm(request.POST or None, initial={
        "person": account.person_id, "party_org": account.party_org_id, "department": account.department_id})
    if request.method == "POST":
        if Role.SYSTEM_ADMIN not in scope.roles:
            raise PermissionDenied(_("只有系统管理员可以关联账号"))
        if link_form.is_valid():
            services.account_link(actor=Actor.of(request.user), user=account, request=request, **link_form.cleaned_data)
            messages.success(request, _("关联已保存"))
            return redirect("accounts:account_detail", pk=account.pk)
    return render(request, "accounts/account_detail.html", {
        "page_title": account.username, "account": account, "link_form": link_form, "role_form": forms.RoleForm(),
        "is_sysadmin": Role.SYSTEM_ADMIN in scope.roles, "is_secadmin": Role.SECURITY_ADMIN in scope.roles,
        "has_full_data": account.user_permissions.filter(codename=services.FULL_DATA_PERMISSION).exists(),
    })


@never_cache
@login_required
@require_POST
def account_reset(request, pk):
    account = _account(request, pk)
    password = services.account_reset_password(actor=Actor.of(request.user), user=account, request=request)
    return render(request, "accounts/one_time_password.html",
                  {"page_title": _("密码已重置"), "account": account, "password": password})


@login_required
@require_POST
def account_active(request, pk):
    account = _account(request, pk)
    try:
        services.account_set_active(actor=Actor.of(request.user), user=account,
                                    active=request.POST.get("active") == "1", request=request)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    return redirect("accounts:account_detail", pk=account.pk)


def _people_rows(upload) -> list[tuple[int, str, str]]:
    """(row number, 编号, 用户名) from the 人员 sheet of an uploaded workbook."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_filelike(upload)
    if PEOPLE_SHEET not in book.sheet_names:
        raise ValidationError(_("工作簿中没有“%(sheet)s”工作表") % {"sheet": PEOPLE_SHEET})
    table = book.get_sheet_by_name(PEOPLE_SHEET).to_python()
    header = [str(h).strip() for h in (table[0] if table else [])]
    missing = [h for h in (REF_HEADER, USERNAME_HEADER) if h not in header]
    if missing:
        raise ValidationError(
            _("“%(sheet)s”工作表缺少列：%(columns)s") % {"sheet": PEOPLE_SHEET, "columns": "、".join(missing)}
        )
    ref, name = header.index(REF_HEADER), header.index(USERNAME_HEADER)
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        cells = [str(c).strip() for c in cells]
        if any(cells):
            rows.append((number, cells[ref], cells[name]))
    return rows


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def account_bulk(request):
    """Accounts for many people at once, from the workbook's 人员 sheet with a
    用户名 column; the one-time passwords are shown once, on this page."""
    require_role(request, Role.SYSTEM_ADMIN)
    errors, created = [], []
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None or not upload.name.lower().endswith(".xlsx"):
                raise ValidationError(_("请选择 .xlsx 工作簿"))
            created = services.accounts_create_from_people(
                actor=Actor.of(request.user), rows=_people_rows(upload), request=request)
        except ValidationError as e:
            errors = e.messages
        except (ValueError, OSError) as e:
            errors = [_("无法读取工作簿：%(error)s") % {"error": e}]
    return render(request, "accounts/account_bulk.html", {"page_title": _("批量创建账号"), "errors": errors,
                                                          "created": created})


# --- security admin: roles and permissions -------------------------------------------


@login_required
def role_list(request):
    require_role(request, Role.SECURITY_ADMIN)
    return account_list(request)


@login_required
@require_POST
def account_role(request, pk):
    account = _account(request, pk)
    form = forms.RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择角色和操作"))
    else:
        try:
            services.role_set(actor=Actor.of(request.user), user=account, request=request, **form.cleaned_data)
            messages.success(request, _("角色已更新"))
        except ValidationError as e:
            messages.error(request, "；".join(e.messages))
    return redirect("accounts:account_detail", pk=account.pk)


@login_required
@require_POST
def account_full_data(request, pk):
    account = _account(request, pk)
    services.full_data_permission_set(actor=Actor.of(request.user), user=account,
                                      granted=request.POST.get("granted") == "1", request=request)
    messages.success(request, _("权限已更新"))
    return redirect("accounts:account_detail", pk=account.pk)


# --- audit admin: the security log ------------------------------------------------------


@login_required
def security_log(request):
    require_role(request, Role.AUDIT_ADMIN)
    qs = SecurityEvent.objects.all()
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    who = request.GET.get("who", "").strip()
    if who:
        qs = qs.filter(username__icontains=who)
    # The log only grows: page by id ("more" links), never COUNT(*) it.
    before = request.GET.get("before", "")
    if before.isdigit():
        qs = qs.filter(id__lt=int(before))
    rows = list(qs.order_by("-id")[: LOG_PAGE + 1])
    more = rows[LOG_PAGE - 1].id if len(rows) > LOG_PAGE else None
    return render(request, "accounts/security_log.html", {
        "page_title": _("安全日志"), "events": rows[:LOG_PAGE], "more": more, "kinds": SecurityEvent.Kind.choices,
        "kind": kind, "who": who, "paged": bool(before)})
