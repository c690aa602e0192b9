"""The 营商码 pages. For staff: each association's and enterprise's code as
PNG, SVG and a printable A4 poster (the committee for all; a secretary for
their associations and their current member enterprises). For the public, no
login: the appeal form a code opens, the acknowledgement, the private
tracking page (with the rating), and the look-up by 编号 and phone.

The public pages render without the staff menu, whoever is signed in."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fourfirsts.core import attachments
from fourfirsts.core.access import Role, get_visible_or_404
from fourfirsts.core.actors import Actor
from fourfirsts.core.audit import client_ip
from fourfirsts.core.views import require_role
from fourfirsts.registry.models import Association, Enterprise
from fourfirsts.service.forms import public as forms
from fourfirsts.service.models import Appeal, new_token
from fourfirsts.service.services import appeals, intake

CODE_KINDS = {"association": ("a", Association), "enterprise": ("e", Enterprise)}
CODE_ROLES = (Role.COMMITTEE, Role.SECRETARY)


def _public(request, template, context, status=200):
    context["public_page"] = True
    return render(request, template, context, status=status)


def _not_found(request, message):
    return _public(request, "service/public/not_found.html", {"page_title": _("页面不存在"), "message": message},
                   status=404)


def _limited(request, message):
    return _public(request, "service/public/limited.html", {"page_title": _("提交过于频繁"), "message": message},
                   status=429)


# --- the codes (staff) ---------------------------------------------------------------------


def _code_record(request, kind, pk):
    """The association or enterprise whose code this user may get: 403 for
    other roles, 404 outside the user's scope."""
    require_role(request, *CODE_ROLES)
    if kind not in CODE_KINDS:
        raise Http404(_("记录不存在或无权查看"))
    letter, model = CODE_KINDS[kind]
    record = get_visible_or_404(model.objects.only("id", "name"), request.user, pk=pk)
    return letter, record


def code_url(request, letter, pk) -> str:
    """The absolute link a code encodes."""
    return request.build_absolute_uri(reverse("service:intake", args=[intake.code_token(letter, pk)]))


def _qr(request, letter, record):
    import segno

    return segno.make(code_url(request, letter, record.pk), error="m")


@login_required
def business_code_png(request, kind, pk):
    letter, record = _code_record(request, kind, pk)
    out = io.BytesIO()
    _qr(request, letter, record).save(out, kind="png", scale=12, border=4)
    response = HttpResponse(out.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'inline; filename="business-code-{kind}-{record.pk}.png"'
    return response


@login_required
def business_code_svg(request, kind, pk):
    letter, record = _code_record(request, kind, pk)
    out = io.BytesIO()
    _qr(request, letter, record).save(out, kind="svg", scale=10, border=4, title=record.name)
    response = HttpResponse(out.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="business-code-{kind}-{record.pk}.svg"'
    return response


@login_required
def business_code_poster(request, kind, pk):
    """The printable A4 poster: the organisation's name, the code and how to use it."""
    letter, record = _code_record(request, kind, pk)
    associations = intake.member_associations(record) if letter == "e" else []
    return render(request, "service/public/poster.html", {
        "page_title": _("营商码：%(name)s") % {"name": record.name},
        "record": record, "kind": kind, "is_enterprise": letter == "e", "associations": associations,
        "url": code_url(request, letter, record.pk),
    })


# --- the public form ----------------------------------------------------------------------


def _acknowledge(request, *, ref, token, enterprise_name, duplicate=False):
    return _public(request, "service/public/received.html", {
        "page_title": _("诉求已收到"), "ref": ref, "enterprise_name": enterprise_name, "duplicate": duplicate,
        "track_url": request.build_absolute_uri(reverse("service:track", args=[token])),
    })


@never_cache
@require_http_methods(["GET", "POST"])
def intake_form(request, token):
    """The appeal form a 营商码 opens (no login)."""
    target = intake.code_target(token)
    if target is None:
        return _not_found(request, _("这个营商码无效或已停用。请重新扫描商会或企业张贴的营商码，"
                                     "或联系所在商会秘书处。"))
    letter, record = target
    association = record if letter == "a" else None
    enterprise = record if letter == "e" else None
    ip = client_ip(request)
    form = forms.IntakeForm(request.POST or None, request.FILES or None, association=association,
                            enterprise=enterprise)
    if request.method == "POST":
        first = intake.received_before(request.POST.get("key", ""), enterprise=enterprise,
                                       uscc=request.POST.get("uscc", ""))
        if first is not None:  # sent twice (a double tap, a reload): the same answer
            return _acknowledge(request, ref=first.ref, token=first.tracking_token,
                                enterprise_name=first.enterprise.name, duplicate=True)
        try:
            intake.check_rate(ip=ip, enterprise_id=enterprise.pk if enterprise else None)
        except intake.RateLimited as e:
            return _limited(request, str(e))
        if form.honeypot_filled:
            # A bot: answered like everyone else, nothing saved.
            intake.count_submission(ip=ip)
            return _acknowledge(request, ref=intake.ref_for(form.data.get("key") or "x"),
                                token=new_token(), enterprise_name=record.name)
        if form.is_valid():
            try:
                if enterprise is None:
                    intake.check_rate(enterprise_id=form.enterprise.pk)
                received = intake.intake_submit(
                    actor=Actor.public(), enterprise=form.enterprise, values=form.values(),
                    key=form.cleaned_data["key"], uploads=form.cleaned_data["attachment"],
                )
            except intake.RateLimited as e:
                return _limited(request, str(e))
            except ValidationError as e:
                _add_errors(form, e)
            else:
                if not received.duplicate:
                    intake.count_submission(ip=ip, enterprise_id=form.enterprise.pk)
                appeal = received.appeal
                return _acknowledge(request, ref=appeal.ref, token=appeal.tracking_token,
                                    enterprise_name=form.enterprise.name, duplicate=received.duplicate)
    associations = intake.member_associations(enterprise) if enterprise else []
    return _public(request, "service/public/intake.html", {
        "page_title": _("营商码 · 反映问题诉求"), "form": form, "association": association, "enterprise": enterprise,
        "associations": associations, "files_dropped": request.method == "POST" and bool(request.FILES),
    })


def _add_errors(form, error: ValidationError):
    names = {"contact_consent": "consent", "contact_phone": "contact_phone", "contact_name": "contact_name"}
    if hasattr(error, "error_dict"):
        for field, msgs in error.message_dict.items():
            field = names.get(field, field)
            form.add_error(field if field in form.fields else None, msgs)
    else:
        form.add_error(None, error.messages)


# --- tracking -------------------------------------------------------------------------------


def _wrong_link(request):
    return _not_found(request, _("查询链接无效。请核对链接是否完整（可从提交后保存的链接或书签打开），"
                                 "或用查询编号和联系电话查询。"))


@never_cache
@require_http_methods(["GET", "POST"])
def track(request, token):
    """The enterprise's private page for its appeal: status, department, due
    date, reply, the public timeline; once replied, the rating form."""
    try:
        appeal = appeals.appeal_by_token(token)
    except Http404:
        return _wrong_link(request)
    appeal = Appeal.objects.select_related("enterprise", "department").get(pk=appeal.pk)
    can_rate = appeal.state == Appeal.State.REPLIED
    form = forms.RatingForm(request.POST or None) if can_rate else None
    unsent = None
    if request.method == "POST" and form is None:
        # Staff recorded a rating or closed it since the page was opened: say
        # so, and give back what the enterprise wrote rather than dropping it.
        unsent = {"state": appeal.get_state_display(), "note": request.POST.get("note", "").strip()[:500],
                  "rating": dict(Appeal.Rating.choices).get(request.POST.get("rating", ""), "")}
    elif request.method == "POST":
        if form.is_valid():
            try:
                rated = appeals.appeal_rate_by_token(token=token, rating=form.cleaned_data["rating"],
                                                     note=form.cleaned_data["note"].strip())
            except ValidationError as e:
                form.add_error(None, e.messages)
            else:
                if rated.state == Appeal.State.HANDLING:
                    messages.success(request, _("已收到您的评价。您对办理结果不满意，诉求已转回承办单位重新办理（重办），"
                                                "请留意本页的办理进度。"))
                elif rated.state == Appeal.State.RATED:
                    messages.success(request, _("已收到您的评价。您对办理结果不满意，商协会党委将研究处理并与您联系。"))
                else:
                    messages.success(request, _("已收到您的评价，谢谢！"))
                return redirect("service:track", token)
    return _public(request, "service/public/track.html", {
        "page_title": _("诉求办理进度"), "appeal": appeal, "steps": intake.public_timeline(appeal),
        "files": list(attachments.attachments_of(appeal).only("id", "name")), "form": form,
        "overdue": bool(appeal.due_at and appeal.state in Appeal.RUNNING_STATES and appeal.due_at < timezone.now()),
        "unsent": unsent,
    }, status=409 if unsent else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def track_lookup(request):
    """Find one's tracking page by 编号 and the phone given (rate-limited per address)."""
    form = forms.LookupForm(request.POST or None)
    if request.method == "POST":
        ip = client_ip(request)
        try:
            intake.check_lookup_rate(ip=ip)
        except intake.RateLimited as e:
            return _limited(request, str(e))
        if form.is_valid():
            intake.count_lookup(ip=ip)
            appeal = intake.find_by_ref_and_phone(form.cleaned_data["ref"], form.cleaned_data["phone"])
            if appeal is not None:
                return redirect("service:track", appeal.tracking_token)
            form.add_error(None, _("没有找到编号与联系电话都相符的诉求。请核对提交后页面上显示的编号，"
                                   "以及提交时填写的联系电话。"))
    return _public(request, "service/public/lookup.html", {"page_title": _("查询诉求办理进度"), "form": form})


urls = [
    path("codes/<str:kind>/<int:pk>.png", business_code_png, name="business_code_png"),
    path("codes/<str:kind>/<int:pk>.svg", business_code_svg, name="business_code_svg"),
    path("codes/<str:kind>/<int:pk>/poster/", business_code_poster, name="business_code_poster"),
    path("code/<str:token>/", intake_form, name="intake"),
    path("track/", track_lookup, name="track_lookup"),
    path("track/<str:token>/", track, name="track"),
]
