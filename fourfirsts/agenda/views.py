"""The agenda pages: topics (library, push, timeliness per org), an org's
agenda page, meetings (list, detail, record, attendance, QR sign-in),
compliance (per org and roll-up), training classes and lectures.

Lists start from `visible_to(user)`; single records come through
`agenda.access` (outside scope 404); writes go through `services`."""

import io
from datetime import date, datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from fourfirsts.agenda import access, compliance, forms, services, timeliness, todo
from fourfirsts.agenda.models import Attendance, Lecture, Meeting, Topic, TopicPush, TrainingClass
from fourfirsts.core import attachments, cnnum, rules
from fourfirsts.core.access import Role, get_visible_or_404, scope_of
from fourfirsts.core.actors import Actor
from fourfirsts.core.paging import keyset
from fourfirsts.core.periods import local_midnight
from fourfirsts.core.views import require_role
from fourfirsts.registry.models import PartyOrg

SIGN_IN_SALT = "agenda.meeting-sign-in"
NAV = (
    (gettext_lazy("第一议题"), "agenda:topic_list", Role.DOMAIN),
    (gettext_lazy("会议"), "agenda:meeting_list", access.MEETING_READERS),
    (gettext_lazy("三会一课"), "agenda:compliance", access.ORG_READERS),
    (gettext_lazy("培训班"), "agenda:class_list", Role.DOMAIN),
    (gettext_lazy("讲座"), "agenda:lecture_list", Role.DOMAIN),
)


def _nav(request) -> list[dict]:
    scope = scope_of(request.user)
    current = request.resolver_match.view_name if request.resolver_match else ""
    return [{"label": label, "url": reverse(name), "active": name == current}
            for label, name, roles in NAV if scope.has(*roles)]


def _render(request, template, context):
    context.setdefault("nav", _nav(request))
    return render(request, template, context)


def _year(request, default: int | None = None) -> int:
    text = request.GET.get("year", "")
    if text.isdigit() and 2000 <= int(text) <= 2100:
        return int(text)
    return default or timezone.localdate().year


def _form_page(request, form, title, cancel_url, multipart=False):
    return _render(request, "agenda/form.html", {"page_title": title, "form": form, "cancel_url": cancel_url,
                                                 "multipart": multipart})


# --- topics ---------------------------------------------------------------------------------


@login_required
def topic_list(request):
    require_role(request, *Role.DOMAIN)
    status = request.GET.get("status", "")
    if status in dict(todo.STUDY_STATUS):  # topics the user's orgs have yet to study (the to-do panel's links)
        qs = todo.topics_by_status(request.user, timezone.localdate(), status)
    else:
        qs, status = Topic.objects.visible_to(request.user), ""
    qs = qs.search(request.GET.get("q", ""))
    page = keyset(request, qs, "released_on")
    return _render(request, "agenda/topic_list.html", {
        "page_title": _("第一议题"), "rows": page.rows, "page": page,
        "can_create": access.can_keep_library(request.user), "q": request.GET.get("q", ""),
        "status": status, "statuses": todo.STUDY_STATUS,
    })


def _report_date(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def topic_detail(request, pk):
    require_role(request, *Role.DOMAIN)
    topic = access.get_topic_for_user(request.user, pk)
    on = _report_date(request)
    pushes = timeliness.annotate_statuses(
        TopicPush.objects.visible_to(request.user).filter(topic=topic).order_by("party_org__sort_key", "id"), on)
    return _render(request, "agenda/topic_detail.html", {
        "page_title": topic.name, "topic": topic, "pushes": pushes, "on": on,
        "limit": timeliness.limit_for(topic.released_on),
        "pending": [p for p in pushes if p.status.pending],
        "files": attachments.attachments_of(topic),
        "can_edit": access.can_keep_library(request.user),
    })


@login_required
@require_http_methods(["GET", "POST"])
def topic_edit(request, pk=None):
    require_role(request, *Role.DOMAIN)
    topic = access.get_topic_for_user(request.user, pk, write=True) if pk else None
    if topic is None and not access.can_keep_library(request.user):
        raise PermissionDenied(_("只有商协会党委可以新建第一议题"))
    form = forms.TopicForm(request.POST or None, request.FILES or None, instance=topic, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.topic_save(actor=Actor.of(request.user), values=form.values(), topic=topic)
                attachments.attach_all(owner=saved, uploads=form.cleaned_data.get("attachment"),
                                       actor=Actor.of(request.user), photos=True)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("第一议题已保存"))
            return redirect("agenda:topic_detail", saved.pk)
    cancel = reverse("agenda:topic_detail", args=[topic.pk]) if topic else reverse("agenda:topic_list")
    return _form_page(request, form, _("编辑第一议题：%(name)s") % {"name": topic.name} if topic else _("新建第一议题"), cancel, True)


@login_required
@require_http_methods(["GET", "POST"])
def topic_push(request, pk):
    require_role(request, *Role.DOMAIN)
    topic = access.get_topic_for_user(request.user, pk, write=True)
    form = forms.PushForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.topic_push(actor=Actor.of(request.user), topic=topic,
                                      orgs=None if form.cleaned_data["everyone"] else list(form.cleaned_data["orgs"]),
                                      pushed_on=form.cleaned_data["pushed_on"])
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("已推送给%(n)s个党组织") % {"n": len(new)})
            return redirect("agenda:topic_detail", topic.pk)
    return _form_page(request, form, _("推送第一议题：%(name)s") % {"name": topic.name}, reverse("agenda:topic_detail", args=[topic.pk]))


# --- an org's agenda page ----------------------------------------------------------------------


@login_required
def org_agenda(request, pk):
    require_role(request, *access.MEETING_READERS)
    org = get_visible_or_404(PartyOrg.objects, request.user, pk=pk)
    on = _report_date(request)
    pushes = timeliness.annotate_statuses(TopicPush.objects.filter(party_org=org).order_by("-topic__released_on",
                                                                                             "-id")[:200], on)
    meetings = (Meeting.objects.filter(party_org=org).select_related("first_topic")
                .order_by("-held_at", "-id")[:20])
    return _render(request, "agenda/org_agenda.html", {
        "page_title": org.name, "org": org, "on": on,
        "pending": [p for p in pushes if p.status.pending], "studied": [p for p in pushes if not p.status.pending],
        "meetings": meetings, "can_record": access.can_record(request.user, org.pk),
    })


# --- meetings ---------------------------------------------------------------------------------


@login_required
def meeting_list(request):
    require_role(request, *access.MEETING_READERS)
    flt = forms.MeetingFilter(request.GET, user=request.user)
    qs = Meeting.objects.visible_to(request.user)
    if flt.is_valid():
        data = flt.cleaned_data
        if data.get("party_org"):
            qs = qs.filter(party_org=data["party_org"])
        if data.get("party_org_name"):
            qs = qs.filter(party_org__in=PartyOrg.objects.search(data["party_org_name"]).values("pk"))
        if data.get("kind"):
            qs = qs.filter(kind=data["kind"])
        if data.get("year"):
            qs = qs.in_period(local_midnight(date(data["year"], 1, 1)), local_midnight(date(data["year"] + 1, 1, 1)))
    qs = qs.annotate(org_name=F("party_org__name"), first_topic_name=F("first_topic__name")).only(
        "id", "title", "kind", "held_on", "start_time", "held_at", "expected_count", "present_count",
        "no_topic_reason", "party_org_id", "first_topic_id")
    page = keyset(request, qs, "held_at", parse=datetime.fromisoformat)
    context = {"page_title": _("会议记录"), "rows": page.rows, "filter": flt,
               "page": page, "can_create": access.can_record(request.user)}
    partial = request.htmx and not request.htmx.history_restore_request
    response = _render(request, "agenda/meeting_list.html#rows" if partial else "agenda/meeting_list.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def sign_in_url(request, meeting) -> str:
    token = signing.dumps(meeting.pk, salt=SIGN_IN_SALT)
    return request.build_absolute_uri(reverse("agenda:meeting_sign_in", args=[token]))


@login_required
def meeting_detail(request, pk):
    require_role(request, *access.MEETING_READERS)
    meeting = access.get_meeting_for_user(request.user, pk)
    meeting = Meeting.objects.select_related("party_org", "chair", "recorder", "study_leader", "first_topic").get(
        pk=meeting.pk)
    can_record = access.can_record(request.user, meeting.party_org_id)
    return _render(request, "agenda/meeting_detail.html", {
        "page_title": meeting.title, "meeting": meeting, "can_record": can_record,
        "topics": meeting.meeting_topics.select_related("topic").only("topic__name", "topic__id", "meeting_id"),
        "attendance": meeting.attendances.annotate(person_name=F("person__name")).only(
            "id", "present", "reason", "signed_in_at").order_by("-present", "id"),
        "files": attachments.attachments_of(meeting),
        "sign_in_url": sign_in_url(request, meeting) if can_record else "",
    })


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk=None):
    require_role(request, *access.MEETING_READERS)
    meeting = access.get_meeting_for_user(request.user, pk, write=True) if pk else None
    if meeting is None and not access.can_record(request.user):
        raise PermissionDenied(_("您的角色无权记录会议"))
    initial = {}
    if meeting is None and request.GET.get("party_org", "").isdigit():
        initial["party_org"] = request.GET["party_org"]
    if meeting is None and request.GET.get("topic", "").isdigit():
        initial["first_topic"] = request.GET["topic"]
    form = forms.MeetingForm(request.POST or None, request.FILES or None, instance=meeting, initial=initial,
                             user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = services.meeting_save(actor=Actor.of(request.user), values=form.values(), meeting=meeting,
                                              topics=list(form.cleaned_data["topics"]))
                attachments.attach_all(owner=saved, uploads=form.cleaned_data.get("attachment"),
                                       actor=Actor.of(request.user), photos=True)
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("会议记录已保存"))
            if meeting is None:
                return redirect("agenda:meeting_attendance", saved.pk)
            return redirect("agenda:meeting_detail", saved.pk)
    cancel = reverse("agenda:meeting_detail", args=[meeting.pk]) if meeting else reverse("agenda:meeting_list")
    return _form_page(request, form, _("编辑会议：%(title)s") % {"title": meeting.title} if meeting else _("记录会议"), cancel, True)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk):
    """The recorder ticks the names on the org's roster of the meeting day."""
    require_role(request, *access.MEETING_READERS)
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    people = list(services.roster(meeting.party_org, meeting.held_on).only("id", "name", "sort_key")
                  .order_by("sort_key", "id"))
    rows = {a.person_id: a for a in Attendance.objects.filter(meeting=meeting)}
    error = None
    if request.method == "POST":
        present = {p.pk for p in people if request.POST.get(f"present_{p.pk}")}
        reasons = {p.pk: request.POST.get(f"reason_{p.pk}", "") for p in people}
        try:
            services.meeting_attendance_record(actor=Actor.of(request.user), meeting=meeting, present_ids=present,
                                               reasons=reasons)
        except ValidationError as e:
            error = "；".join(e.messages)
        else:
            messages.success(request, _("出席情况已保存"))
            return redirect("agenda:meeting_detail", meeting.pk)
    lines = [{"person": p, "present": rows[p.pk].present if p.pk in rows else False,
              "reason": rows[p.pk].reason if p.pk in rows else ""} for p in people]
    return _render(request, "agenda/meeting_attendance.html", {
        "page_title": _("出席情况：%(title)s") % {"title": meeting.title}, "meeting": meeting, "lines": lines, "error": error})


@login_required
def meeting_qr(request, pk):
    """The sign-in QR code as a printable SVG."""
    import segno

    require_role(request, *access.MEETING_READERS)
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    out = io.BytesIO()
    segno.make(sign_in_url(request, meeting), error="m").save(out, kind="svg", scale=8, border=2,
                                                             title=meeting.title)
    return HttpResponse(out.getvalue(), content_type="image/svg+xml")


@login_required
@require_http_methods(["GET", "POST"])
def meeting_sign_in(request, token):
    """A member signs in on the phone after scanning the meeting's QR code."""
    try:
        pk = signing.loads(token, salt=SIGN_IN_SALT)
    except signing.BadSignature:
        raise Http404(_("签到码无效")) from None
    meeting = get_visible_or_404(Meeting.objects.select_related("party_org"), request.user, pk=pk)
    person = request.user.person
    error, row = None, None
    if person is not None:
        row = Attendance.objects.filter(meeting=meeting, person=person, present=True).first()
    if request.method == "POST":
        if person is None:
            error = _("您的账号没有关联人员信息，无法签到")
        else:
            try:
                row = services.meeting_sign_in(actor=Actor.of(request.user), meeting=meeting, person=person)
            except ValidationError as e:
                error = "；".join(e.messages)
            else:
                messages.success(request, _("签到成功"))
                return redirect(request.path)
    return _render(request, "agenda/sign_in.html", {"page_title": _("会议签到"), "meeting": meeting, "row": row,
                                                    "error": error, "person": person})


# --- compliance ------------------------------------------------------------------------------


@login_required
def compliance_rollup(request):
    require_role(request, *access.ORG_READERS)
    if request.GET.get("current"):
        return _compliance_current(request)
    year = _year(request)
    on = min(timezone.localdate(), date(year, 12, 31))
    orgs = list(PartyOrg.objects.visible_to(request.user).order_by("sort_key", "id").only(
        "id", "name", "kind", "established_on", "dissolved_on", "has_committee", "secretary_id", "sort_key"))
    slots = compliance.slots_for(orgs, year, on)
    by_org: dict[int, list] = {}
    for s in slots:
        by_org.setdefault(s.org_id, []).append(s)
    rows = []
    for org in orgs:
        met, required = compliance.rate(by_org.get(org.pk, []))
        rows.append({"org": org, "met": met, "required": required, "missing": required - met,
                     "rate": cnnum.percent(met, required)})
    met, required = compliance.rate(slots)
    return _render(request, "agenda/compliance.html", {
        "page_title": _("三会一课完成情况（%(year)s年）") % {"year": year}, "year": year, "rows": rows, "on": on,
        "total": {"met": met, "required": required, "rate": cnnum.percent(met, required)},
        "years": range(timezone.localdate().year, 2017, -1),
    })


def _compliance_current(request):
    """The to-do panel's link: the meetings of the current period not yet held."""
    today = timezone.localdate()
    return _render(request, "agenda/compliance.html", {
        "page_title": _("本期未开的三会一课"), "year": today.year, "on": today, "current": True,
        "slots": todo.open_slots(request.user, today), "years": range(today.year, 2017, -1),
    })


@login_required
def compliance_org(request, pk):
    require_role(request, *access.ORG_READERS)
    org = get_visible_or_404(PartyOrg.objects, request.user, pk=pk)
    year = _year(request)
    on = min(timezone.localdate(), date(year, 12, 31))
    slots = compliance.slots_for([org], year, on)
    met, required = compliance.rate(slots)
    return _render(request, "agenda/compliance_org.html", {
        "page_title": _("%(org)s 三会一课（%(year)s年）") % {"org": org.name, "year": year}, "org": org, "year": year, "on": on,
        "grid": compliance.grid(slots, year), "met": met, "required": required,
        "rate": cnnum.percent(met, required),
        "missing": [s for s in slots if s.due and not s.met],
        "years": range(timezone.localdate().year, 2017, -1),
    })


# --- classes and lectures ---------------------------------------------------------------------


def _simple_list(request, model, template, title, order):
    require_role(request, *Role.DOMAIN)
    year = request.GET.get("year", "")
    qs = model.objects.visible_to(request.user)
    field = "starts_on" if model is TrainingClass else "held_on"
    if year.isdigit():
        qs = qs.filter(**{f"{field}__year": int(year)})
    page = keyset(request, qs, field)
    return _render(request, template, {"page_title": title, "rows": page.rows, "year": year,
                                       "page": page,
                                       "can_create": access.can_keep_library(request.user),
                                       "series": rules.value("agenda.lecture_series")})


@login_required
def class_list(request):
    return _simple_list(request, TrainingClass, "agenda/class_list.html", _("培训班"), "starts_on")


@login_required
@require_http_methods(["GET", "POST"])
def class_detail(request, pk):
    """A class with its participants; the committee adds people and ticks who completed."""
    require_role(request, *Role.DOMAIN)
    tc = access.get_training_class_for_user(request.user, pk)
    can_edit = access.can_keep_library(request.user)
    form = forms.ParticipantForm(request.POST if request.POST.get("action") == "add" else None, user=request.user)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied(_("只有商协会党委可以修改此记录"))
        actor = Actor.of(request.user)
        try:
            if request.POST.get("action") == "add":
                if form.is_valid():
                    services.class_participant_add(actor=actor, training_class=tc, person=form.cleaned_data["person"],
                                                   completed=form.cleaned_data["completed"])
                    messages.success(request, _("学员已添加"))
                    return redirect("agenda:class_detail", tc.pk)
            else:
                done = {int(x) for x in request.POST.getlist("completed") if x.isdigit()}
                services.class_completion_record(actor=actor, training_class=tc, completed_ids=done)
                messages.success(request, _("结业情况已保存"))
                return redirect("agenda:class_detail", tc.pk)
        except ValidationError as e:
            for field, errs in e.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
    participants = tc.participants.annotate(person_name=F("person__name")).order_by("person__sort_key", "id")
    return _render(request, "agenda/class_detail.html", {
        "page_title": tc.name, "tc": tc, "participants": participants, "form": form, "can_edit": can_edit})


@login_required
def lecture_list(request):
    return _simple_list(request, Lecture, "agenda/lecture_list.html", str(rules.value("agenda.lecture_series")),
                        "held_on")


def _library_edit(request, form_class, save, label, list_url, get=None, pk=None, kw="", detail=None):
    """Create (pk None) or edit a class or a lecture: the committee only, as
    the services decide. After an edit, back to `detail` (a URL name) or the list."""
    require_role(request, *Role.DOMAIN)
    obj = get(request.user, pk, write=True) if pk else None
    if obj is None and not access.can_keep_library(request.user):
        raise PermissionDenied(_("只有商协会党委可以新建%(label)s") % {"label": label})
    form = form_class(request.POST or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(actor=Actor.of(request.user), values=form.values(), **({kw: obj} if obj else {}))
        except ValidationError as e:
            form.add_service_error(e)
        else:
            messages.success(request, _("%(label)s已保存") % {"label": label})
            return redirect(detail, saved.pk) if obj and detail else redirect(list_url)
    if obj is None:
        return _form_page(request, form, _("新建%(label)s") % {"label": label}, reverse(list_url))
    return _form_page(request, form, _("编辑%(label)s：%(name)s") % {"label": label, "name": str(obj)},
                      reverse(detail, args=[obj.pk]) if detail else reverse(list_url))


@login_required
@require_http_methods(["GET", "POST"])
def class_create(request):
    return _library_edit(request, forms.TrainingClassForm, services.training_class_save, _("培训班"),
                         "agenda:class_list")


@login_required
@require_http_methods(["GET", "POST"])
def class_edit(request, pk):
    return _library_edit(request, forms.TrainingClassForm, services.training_class_save, _("培训班"),
                         "agenda:class_list", access.get_training_class_for_user, pk, "training_class",
                         "agenda:class_detail")


@login_required
@require_http_methods(["GET", "POST"])
def lecture_create(request):
    return _library_edit(request, forms.LectureForm, services.lecture_save, _("讲座"), "agenda:lecture_list")


@login_required
@require_http_methods(["GET", "POST"])
def lecture_edit(request, pk):
    return _library_edit(request, forms.LectureForm, services.lecture_save, _("讲座"), "agenda:lecture_list",
                         access.get_lecture_for_user, pk, "lecture")


# --- deleting ------------------------------------------------------------------------------------


def _confirm_delete(request, obj, *, title, back, also, blocked="", error=""):
    return _render(request, "agenda/confirm_delete.html", {
        "page_title": title, "obj": obj, "back": back, "also": also, "blocked": blocked, "error": error})


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete(request, pk):
    """Asks first (GET), deletes on POST: the org's secretary or the committee."""
    require_role(request, *access.MEETING_READERS)
    meeting = access.get_meeting_for_user(request.user, pk, write=True)
    error = ""
    if request.method == "POST":
        try:
            services.meeting_delete(actor=Actor.of(request.user), meeting=meeting)
        except ValidationError as e:
            error = "；".join(e.messages)
        else:
            messages.success(request, _("会议“%(title)s”已删除") % {"title": meeting.title})
            return redirect("agenda:meeting_list")
    return _confirm_delete(request, meeting, title=_("删除会议：%(title)s") % {"title": meeting.title},
                           back=reverse("agenda:meeting_detail", args=[meeting.pk]), error=error,
                           also=_("会议的其他学习议题、出席情况和照片附件一并删除。"))


@login_required
@require_http_methods(["GET", "POST"])
def topic_delete(request, pk):
    """Asks first (GET), deletes on POST: the committee, while no org studied the topic."""
    require_role(request, *Role.DOMAIN)
    topic = access.get_topic_for_user(request.user, pk, write=True)
    error = ""
    if request.method == "POST":
        try:
            services.topic_delete(actor=Actor.of(request.user), topic=topic)
        except ValidationError as e:
            error = "；".join(e.messages)
        else:
            messages.success(request, _("第一议题“%(name)s”已删除") % {"name": topic.name})
            return redirect("agenda:topic_list")
    blocked = services.topic_delete_refusal(topic)
    return _confirm_delete(request, topic, title=_("删除第一议题：%(name)s") % {"name": topic.name},
                           back=reverse("agenda:topic_detail", args=[topic.pk]), blocked=blocked,
                           also=_("议题的推送记录和学习材料一并删除。"),
                           error="" if blocked else error)
