"""Pages every role shares: home, the inbox, task progress, the settings and
working-day schedule pages, and scope-checked attachment downloads."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from fourfirsts.core import notify, progress, rules, todo, workdays
from fourfirsts.core.access import Role, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import Attachment, Notification, WorkdaySchedule

ADMIN_HOMES = {
    Role.SYSTEM_ADMIN: "accounts:account_list",
    Role.SECURITY_ADMIN: "accounts:role_list",
    Role.AUDIT_ADMIN: "accounts:security_log",
}


def require_role(request, *roles):
    if not scope_of(request.user).has(*roles):
        raise PermissionDenied(_("您的角色无权访问此页面"))


@login_required
def home(request):
    scope = scope_of(request.user)
    for role, url_name in ADMIN_HOMES.items():
        if role in scope.roles and not scope.roles & set(Role.DOMAIN):
            return redirect(url_name)
    return render(request, "core/home.html", {
        "page_title": _("首页"), "roles": [str(Role.LABELS[r]) for r in sorted(scope.roles)],
        "todos": todo.todos_for(request.user, timezone.localdate()),
    })


@login_required
def notifications(request):
    if request.method == "POST":
        notify.mark_read(request.user)
        return redirect("core:notifications")
    items = Notification.objects.filter(recipient=request.user)[:100]
    return render(request, "core/notifications.html", {"page_title": _("消息"), "items": items})


@login_required
def progress_view(request, key):
    state = progress.read(key)
    if state is None or state.get("owner") != request.user.pk:
        raise Http404(_("任务不存在"))
    template = "core/progress.html#bar" if request.htmx else "core/progress.html"
    return render(request, template, {"page_title": state.get("label"), "key": key, "state": state,
                                      "percent": progress.percent(state)})


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request):
    """Each role sees and changes the rules it owns: the committee its working
    rules, the security admin the security policy."""
    editable = rules.editable_by(scope_of(request.user))
    if not editable:
        raise PermissionDenied(_("您的角色无权访问此页面"))
    errors = {}
    if request.method == "POST":
        key = request.POST.get("key", "")
        if key in {r.key for r in rules.all_rules()} - {r.key for r in editable}:
            raise PermissionDenied(_("您的角色不能修改这条规则"))
        if key not in {r.key for r in editable}:
            messages.error(request, _("没有“%(key)s”这条规则") % {"key": key})
            return redirect("core:settings")
        try:
            effective = date.fromisoformat(request.POST.get("effective_from", ""))
        except ValueError:
            errors[key] = _("生效日期格式应为 YYYY-MM-DD")
        else:
            try:
                rules.setting_change(key=key, raw=request.POST.get("value", ""), effective_from=effective,
                                     actor=Actor.of(request.user), note=request.POST.get("note", ""), request=request)
                messages.success(request, _("规则已保存，自生效日期起适用"))
                return redirect("core:settings")
            except ValidationError as e:
                errors[key] = "；".join(getattr(e, "messages", [str(e)]))
    values = rules.current_values()
    rows = [{"rule": r, "value": values[r.key], "error": errors.get(r.key)} for r in editable]
    return render(request, "core/settings.html", {"page_title": _("规则设置"), "rows": rows,
                                                  "can_edit_calendar": Role.COMMITTEE in scope_of(request.user).roles,
                                                  "today": timezone.localdate(), "posted": request.POST})


def _parse_year(text: str) -> int:
    text = text.strip()
    if not (text.isdigit() and len(text) == 4):
        raise ValidationError(_("年份应为四位数字：%(text)s") % {"text": text})
    return int(text)


def _parse_dates(text: str, label: str) -> list[date]:
    out = []
    for sep in ("，", "、", "\n", ";", "；"):
        text = text.replace(sep, ",")
    for n, token in enumerate(text.split(","), start=1):
        token = token.strip()
        if not token:
            continue
        try:
            out.append(date.fromisoformat(token))
        except ValueError:
            raise ValidationError(
                _("%(label)s第%(n)s项“%(token)s”不是 YYYY-MM-DD 格式的日期")
                % {"label": label, "n": n, "token": token}
            ) from None
    return out


@login_required
@require_http_methods(["GET", "POST"])
def workday_schedules(request):
    require_role(request, Role.COMMITTEE)
    error = None
    if request.method == "POST":
        try:
            year = _parse_year(request.POST.get("year", ""))
            holidays = _parse_dates(request.POST.get("holidays", ""), _("放假日期"))
            extra = _parse_dates(request.POST.get("workdays", ""), _("调休上班日期"))
            workdays.schedule_save(year=year, holidays=holidays, workdays=extra, actor_label=request.user.username)
            messages.success(
                request, _("%(year)s年节假日安排已保存，按临时规则计算的期限将重新计算") % {"year": year}
            )
            return redirect("core:workdays")
        except ValidationError as e:
            error = "；".join(e.messages)
    this_year = timezone.localdate().year
    years = [{"year": y, "fallback": workdays.is_fallback(y)} for y in range(this_year - 1, this_year + 3)]
    return render(request, "core/workdays.html", {"page_title": _("节假日安排"), "error": error, "years": years,
                                                  "schedules": WorkdaySchedule.objects.all(), "posted": request.POST})


@login_required
def attachment_download(request, token):
    """Serve a file only when its owner record is visible to the reader."""
    try:
        att = Attachment.objects.select_related("content_type").get(token=token)
    except Attachment.DoesNotExist:
        raise Http404(_("文件不存在")) from None
    model = att.content_type.model_class()
    manager = model._default_manager
    if not hasattr(manager, "visible_to") or not manager.visible_to(request.user).filter(pk=att.object_id).exists():
        raise Http404(_("文件不存在"))
    return FileResponse(att.file.open("rb"), as_attachment=not att.mime.startswith("image/"),
                        filename=att.name, content_type=att.mime)


