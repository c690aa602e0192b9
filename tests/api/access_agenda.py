"""Access of the API's agenda endpoints: the same codes as the agenda pages
(tests/test_access_matrix.py), with 401 for anonymous, 201 for a recorded
meeting and 422 for a sign-in by someone not on the meeting's roster."""

from datetime import date

from django.core import signing
from django.utils import timezone

from fourfirsts.agenda import services
from fourfirsts.agenda.views import SIGN_IN_SALT
from fourfirsts.core.actors import Actor
from tests.access_codes import ADMINS, DOMAIN, only, roles

READERS = ["committee", "leader", "instructor", "secretary_a", "secretary_b", "member_a"]
NOT_READERS = dict.fromkeys(["handler", *ADMINS], 403)


def _roles(code, names, default):
    return {**roles(code, names, default), "anonymous": 401}


EXPECT = {
    ("GET", "/agenda/topics"): _roles(200, DOMAIN, 403),
    ("GET", "/agenda/topics/{topic_id}"): _roles(200, DOMAIN, 403),
    ("GET", "/agenda/meetings"): _roles(200, READERS, 403),
    ("GET", "/agenda/meetings/{meeting_id}"): only(
        {"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, "member_a": 200, **NOT_READERS},
        404, anonymous=401),
    # secretary B does not see org A: 404, never a 403 that confirms it exists.
    ("POST", "/agenda/meetings"): only({"committee": 201, "secretary_a": 201, "secretary_b": 404}, 403,
                                       anonymous=401),
    ("PUT", "/agenda/meetings/{meeting_id}/attendance"): only(
        {"committee": 200, "secretary_a": 200, "leader": 403, "instructor": 403, "member_a": 403, **NOT_READERS},
        404, anonymous=401),
    # Anyone who sees the meeting may try; only people on its roster sign in
    # (committee and leader have no person, the instructor is not a member of A).
    ("POST", "/agenda/sign-in"): only(
        {"secretary_a": 200, "member_a": 200, "committee": 422, "leader": 422, "instructor": 422}, 404,
        anonymous=401),
}

SYSTEM = Actor.system()


def _topic():
    return services.topic_save(actor=SYSTEM, values={"name": "学习贯彻党的二十大精神", "kind": "meeting_spirit",
                                                     "released_on": date(2022, 10, 23)})


def _meeting(world, held):
    return services.meeting_save(actor=SYSTEM, values={
        "party_org": world.org_a, "kind": "theme_day", "title": "主题党日", "held_on": held, "start_time": "09:00"})


def request_for(key, world, cast, who):
    method, path = key
    if path == "/agenda/topics/{topic_id}":
        return {"topic_id": _topic().pk}, {}, None
    if path == "/agenda/meetings" and method == "POST":
        return {}, {}, {"party_org_id": world.org_a.pk, "kind": "theme_day", "title": "11月主题党日",
                        "held_on": "2022-11-01", "start_time": "14:30", "chair_id": world.person_a.pk}
    if path == "/agenda/meetings/{meeting_id}":
        return {"meeting_id": _meeting(world, date(2022, 11, 1)).pk}, {}, None
    if path == "/agenda/meetings/{meeting_id}/attendance":
        return ({"meeting_id": _meeting(world, date(2022, 11, 1)).pk}, {},
                {"present_ids": [world.member_a.pk], "reasons": {str(world.person_a.pk): "出差"}})
    if path == "/agenda/sign-in":
        meeting = _meeting(world, timezone.localdate())
        return {}, {}, {"code": signing.dumps(meeting.pk, salt=SIGN_IN_SALT)}
    return {}, {}, None
