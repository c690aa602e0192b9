"""Every URL, requested by every member of the cast, answers as declared here.

The URL list comes from the resolver: a URL without an expectation fails
`test_every_url_has_an_expectation`, so a later app cannot skip this.
Codes: 200 shown, 302 redirected (anonymous → login), 403 role may not,
404 outside scope, 405 method not allowed (POST-only actions, asked with GET).
"""

import importlib

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver, reverse

from fourfirsts.core import attachments, progress
from fourfirsts.core.actors import Actor
from fourfirsts.registry.models import Coverage
from tests.access_codes import ADMINS, CAST, DOMAIN, ORG_READERS, every, only, roles

# Records of A: visible to A's people and federation-wide readers; B's
# secretary gets a 404 (never a 403 that confirms they exist); roles with no
# registry pages at all (member, handler, the admins) get a 403 for any id.
NO_REGISTRY = dict.fromkeys(["member_a", "handler", *ADMINS], 403)
A_DETAIL = only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, **NO_REGISTRY}, 404)
A_EDIT = only({"committee": 200, "secretary_a": 200, "leader": 403, "instructor": 403, **NO_REGISTRY}, 404)
A_PERSON = A_DETAIL
A_PERSON_EDIT = A_EDIT
ORG_LIST = roles(200, ORG_READERS, 403)
CREATE = roles(200, ["committee"], 403)
POST_ONLY = every(405)
# The agenda: members read their own org's meetings; secretaries record their own org's.
AGENDA_READERS = [*ORG_READERS, "member_a"]
NO_AGENDA = dict.fromkeys(["handler", *ADMINS], 403)
AGENDA_A_READ = only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, "member_a": 200,
                      **NO_AGENDA}, 404)
AGENDA_A_WRITE = only({"committee": 200, "secretary_a": 200, "leader": 403, "instructor": 403, "member_a": 403,
                       **NO_AGENDA}, 404)

EXPECT = {
    "core:home": only(dict.fromkeys(ADMINS, 302), 200),
    "core:notifications": every(200),
    "core:progress": only({"committee": 200}, 404),
    "core:settings": roles(200, ["committee", "secadmin"], 403),
    "core:workdays": roles(200, ["committee"], 403),
    "core:attachment": only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200}, 404),
    "accounts:login": every(302, anonymous=200),
    "accounts:logout": every(405, anonymous=405),
    "accounts:password_change": every(200),
    "accounts:profile": every(200),
    "accounts:token_revoke": every(405),
    "accounts:account_list": roles(200, ["sysadmin", "secadmin"], 403),
    "accounts:account_create": roles(200, ["sysadmin"], 403),
    "accounts:account_bulk": roles(200, ["sysadmin"], 403),
    "accounts:account_detail": roles(200, ["sysadmin", "secadmin"], 403),
    "accounts:account_reset": POST_ONLY,
    "accounts:account_active": POST_ONLY,
    "accounts:account_role": POST_ONLY,
    "accounts:account_full_data": POST_ONLY,
    "accounts:role_list": roles(200, ["secadmin"], 403),
    "accounts:security_log": roles(200, ["auditadmin"], 403),
    "registry:association_list": ORG_LIST,
    "registry:association_create": CREATE,
    "registry:association_detail": A_DETAIL,
    "registry:association_edit": A_EDIT,
    "registry:association_history": A_DETAIL,
    "registry:association_status_add": only({"committee": 200, "leader": 403, "instructor": 403,
                                             "secretary_a": 403, **NO_REGISTRY}, 404),
    "registry:party_org_list": ORG_LIST,
    "registry:party_org_create": CREATE,
    "registry:party_org_detail": A_DETAIL,
    "registry:party_org_edit": A_EDIT,
    "registry:party_org_history": A_DETAIL,
    "registry:enterprise_list": ORG_LIST,
    "registry:enterprise_create": CREATE,
    "registry:enterprise_detail": A_DETAIL,
    "registry:enterprise_edit": A_EDIT,
    "registry:enterprise_history": A_DETAIL,
    "registry:person_list": ORG_LIST,
    "registry:person_create": CREATE,
    "registry:person_detail": A_PERSON,
    "registry:person_edit": A_PERSON_EDIT,
    "registry:person_history": A_PERSON,
    "registry:person_id_number": POST_ONLY,
    "registry:department_list": roles(200, DOMAIN, 403),
    "registry:department_create": CREATE,
    "registry:department_detail": roles(200, DOMAIN, 403),
    "registry:department_edit": roles(200, ["committee"], 403),
    "registry:department_history": roles(200, DOMAIN, 403),
    "registry:instructor_assignment_list": ORG_LIST,
    "registry:instructor_assignment_create": CREATE,
    "registry:instructor_assignment_detail": A_DETAIL,
    "registry:instructor_assignment_edit": only({"committee": 200, "leader": 403, "instructor": 403,
                                                 "secretary_a": 403, **NO_REGISTRY}, 404),
    "registry:instructor_assignment_history": A_DETAIL,
    "registry:coverage_create": CREATE,
    "registry:coverage_edit": only({"committee": 200, "leader": 403, "instructor": 403, "secretary_a": 403,
                                     **NO_REGISTRY}, 404),
    "agenda:topic_list": roles(200, DOMAIN, 403),
    "agenda:topic_create": CREATE,
    "agenda:topic_detail": roles(200, DOMAIN, 403),
    "agenda:topic_edit": CREATE,
    "agenda:topic_push": CREATE,
    "agenda:topic_delete": CREATE,
    "agenda:org_agenda": AGENDA_A_READ,
    "agenda:meeting_list": roles(200, AGENDA_READERS, 403),
    "agenda:meeting_create": roles(200, ["committee", "secretary_a", "secretary_b"], 403),
    "agenda:meeting_detail": AGENDA_A_READ,
    "agenda:meeting_edit": AGENDA_A_WRITE,
    "agenda:meeting_delete": AGENDA_A_WRITE,
    "agenda:meeting_attendance": AGENDA_A_WRITE,
    "agenda:meeting_qr": AGENDA_A_WRITE,
    "agenda:meeting_sign_in": only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200,
                                    "member_a": 200}, 404),
    "agenda:compliance": ORG_LIST,
    "agenda:compliance_org": A_DETAIL,
    "agenda:class_list": roles(200, DOMAIN, 403),
    "agenda:class_create": CREATE,
    "agenda:class_detail": roles(200, DOMAIN, 403),
    "agenda:class_edit": CREATE,
    "agenda:lecture_list": roles(200, DOMAIN, 403),
    "agenda:lecture_create": CREATE,
    "agenda:lecture_edit": CREATE,
    "exchange:workbook": ORG_LIST,
    "exchange:export": POST_ONLY,
    "exchange:template": ORG_LIST,
}


# Areas declare their URLs in their own module (`EXPECT`, and `kwargs_for(name,
# world, cast)` returning the URL's kwargs or None when the name is not theirs).
AREA_MODULES = [
    "tests.service.access_appeals",
    "tests.service.access_visits",
    "tests.service.access_policies",
    "tests.service.access_public",
    "tests.volunteering.access_volunteering",
    "tests.membership.access_membership",
    "tests.governance.access_governance",
    "tests.reports.access_reports",
]
AREAS = [importlib.import_module(m) for m in AREA_MODULES]
for _area in AREAS:
    overlap = set(_area.EXPECT) & set(EXPECT)
    assert not overlap, f"URL names declared twice: {sorted(overlap)}"
    EXPECT.update(_area.EXPECT)


def url_names(patterns=None, namespace=""):
    """Every named page. The JSON API has its own matrix (tests/api/test_api_matrix.py)."""
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver) and p.namespace == "api":
            continue
        if isinstance(p, URLResolver):
            yield from url_names(p.url_patterns, f"{namespace}{p.namespace}:" if p.namespace else namespace)
        elif p.name:
            yield namespace + p.name, p


def kwargs_for(name, pattern, world, cast):
    keys = set(pattern.pattern.converters)
    if not keys:
        return {}
    if name == "core:progress":
        key = progress.new_key()
        progress.start(key, owner_id=cast.committee.pk, label="测试")
        return {"key": key}
    if name == "core:attachment":
        upload = SimpleUploadedFile("章程.pdf", b"%PDF-1.4 test", content_type="application/pdf")
        att = attachments.attach(owner=world.assoc_a, upload=upload, actor=Actor.system())
        return {"token": att.token}
    if name.startswith("agenda:"):
        return agenda_kwargs(name, world)
    for area in AREAS:
        if name in area.EXPECT:
            return area.kwargs_for(name, world, cast)
    targets = {
        "accounts:": cast.committee,
        "registry:association": world.assoc_a,
        "registry:party_org": world.org_a,
        "registry:enterprise": world.ent_a,
        "registry:person": world.member_a,
        "registry:department": world.department,
        "registry:instructor_assignment": world.instructor.instructor_assignments.get(association=world.assoc_a),
        "registry:coverage": Coverage.objects.get(association=world.assoc_a),
    }
    obj = next(o for prefix, o in targets.items() if name.startswith(prefix))
    return {"pk": obj.pk}


def agenda_kwargs(name, world):
    from datetime import date

    from django.core import signing

    from fourfirsts.agenda import services as agenda
    from fourfirsts.agenda.views import SIGN_IN_SALT

    system = Actor.system()
    if name in ("agenda:org_agenda", "agenda:compliance_org"):
        return {"pk": world.org_a.pk}
    topic = agenda.topic_save(actor=system, values={"name": "学习贯彻党的二十大精神", "kind": "meeting_spirit",
                                                    "released_on": date(2022, 10, 23)})
    if name.startswith("agenda:topic"):
        return {"pk": topic.pk}
    if name == "agenda:lecture_edit":
        lecture = agenda.lecture_save(actor=system, values={"title": "民营经济政策解读", "speaker": "刘教授",
                                                            "held_on": date(2022, 6, 18)})
        return {"pk": lecture.pk}
    if name in ("agenda:class_detail", "agenda:class_edit"):
        tc = agenda.training_class_save(actor=system, values={"name": "党务干部培训班", "mode": "online",
                                                              "starts_on": date(2022, 4, 1), "ends_on": date(2022, 4, 2)})
        return {"pk": tc.pk}
    meeting = agenda.meeting_save(actor=system, values={
        "party_org": world.org_a, "kind": "committee_meeting", "title": "支委会", "held_on": date(2022, 11, 1),
        "start_time": "09:00", "first_topic": topic})
    if name == "agenda:meeting_sign_in":
        return {"token": signing.dumps(meeting.pk, salt=SIGN_IN_SALT)}
    return {"pk": meeting.pk}


def test_every_url_has_an_expectation():
    missing = sorted(name for name, _ in url_names() if name not in EXPECT)
    assert not missing, f"declare the access of these URLs in EXPECT: {missing}"


def test_every_url_answers_every_role_as_declared(cast, world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = cast.all()
    wrong = []
    for name, pattern in url_names():
        if name not in EXPECT:
            continue
        url = reverse(name, kwargs=kwargs_for(name, pattern, world, cast))
        for who in CAST:
            client.logout()
            if users[who] is not None:
                client.force_login(users[who])
            got = client.get(url).status_code
            if got != EXPECT[name][who]:
                wrong.append(f"{name} as {who}: {got}, expected {EXPECT[name][who]}")
    assert not wrong, "\n".join(wrong)
