"""Access of the API's figures endpoints: the dashboard's readers (committee,
leaders, instructors, secretaries), each in their own scope."""

from tests.access_codes import ORG_READERS, only

READERS = only(dict.fromkeys(ORG_READERS, 200), 403, anonymous=401)

EXPECT = {
    ("GET", "/figures"): READERS,
    ("GET", "/figures/{figure_id}"): READERS,
    ("GET", "/figures/{figure_id}/records"): READERS,
}


def request_for(key, world, cast, who):
    params = {"figure_id": "F08"} if "{figure_id}" in key[1] else {}
    return params, {"year": 2022}, None
