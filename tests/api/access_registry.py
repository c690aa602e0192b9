"""Access of the API's registry endpoints: the registry pages' roles (the
org roles read; member, handler and the admins get a 403), and a record of A
is a 404 for B's secretary."""

from tests.access_codes import ADMINS, ORG_READERS, only

LIST = only(dict.fromkeys(ORG_READERS, 200), 403, anonymous=401)
A_DETAIL = only({"committee": 200, "leader": 200, "instructor": 200, "secretary_a": 200, "secretary_b": 404},
                403, anonymous=401)
assert set(ADMINS) <= {who for who, code in A_DETAIL.items() if code == 403}

EXPECT = {
    ("GET", "/registry/associations"): LIST,
    ("GET", "/registry/associations/{association_id}"): A_DETAIL,
    ("GET", "/registry/party-orgs"): LIST,
    ("GET", "/registry/party-orgs/{party_org_id}"): A_DETAIL,
    ("GET", "/registry/enterprises"): LIST,
    ("GET", "/registry/enterprises/{enterprise_id}"): A_DETAIL,
    ("GET", "/registry/people"): LIST,
    ("GET", "/registry/people/{person_id}"): A_DETAIL,
}


def request_for(key, world, cast, who):
    path = key[1]
    params = {
        "/registry/associations/{association_id}": {"association_id": world.assoc_a.pk},
        "/registry/party-orgs/{party_org_id}": {"party_org_id": world.org_a.pk},
        "/registry/enterprises/{enterprise_id}": {"enterprise_id": world.ent_a.pk},
        "/registry/people/{person_id}": {"person_id": world.member_a.pk},
    }.get(path, {})
    return params, {}, None
