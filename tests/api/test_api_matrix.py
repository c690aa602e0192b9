"""Every API operation answers every member of the cast as declared, with a
personal token (and anonymous without one), and every error uses the one shape."""

import importlib
import json

import pytest

from fourfirsts.accounts import services as accounts
from fourfirsts.api.api import api
from tests.access_codes import CAST
from tests.api.matrix import API_AREA_MODULES

pytestmark = pytest.mark.django_db

AREAS = [importlib.import_module(m) for m in API_AREA_MODULES]
EXPECT = {}
OWNER = {}
for _area in AREAS:
    for _key in _area.EXPECT:
        assert _key not in EXPECT, f"declared twice: {_key}"
        OWNER[_key] = _area
    EXPECT.update(_area.EXPECT)


def operations():
    schema = api.get_openapi_schema(path_prefix="")
    for path, methods in schema["paths"].items():
        for method in methods:
            yield method.upper(), path


def test_every_operation_has_an_expectation():
    missing = sorted(k for k in operations() if k not in EXPECT)
    assert not missing, f"declare these API operations in an access_<area>.py: {missing}"


def test_every_operation_answers_every_role_as_declared(cast, world, client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.FOURFIRSTS_API_RATE = "0"
    users = cast.all()
    tokens = {who: accounts.token_create(user=u, name="矩阵")[1] for who, u in users.items() if u is not None}
    wrong = []
    for key in operations():
        if key not in EXPECT:
            continue
        method, path = key
        for who in CAST:
            params, query, payload = OWNER[key].request_for(key, world, cast, who)
            url = "/api/v1" + path.format(**params)
            headers = {"HTTP_AUTHORIZATION": f"Bearer {tokens[who]}"} if who in tokens else {}
            if method == "GET":
                response = client.get(url, query, **headers)
            else:
                response = client.generic(method, url + _qs(query), json.dumps(payload or {}),
                                          content_type="application/json", **headers)
            got = response.status_code
            if got >= 400:
                shape = response.json()
                if set(shape) != {"error"} or not {"code", "message", "fields"} <= set(shape["error"]):
                    wrong.append(f"{method} {path} as {who}: error not in the API's shape: {shape}")
            if got != EXPECT[key][who]:
                wrong.append(f"{method} {path} as {who}: {got}, expected {EXPECT[key][who]} "
                             f"{response.content[:200].decode(errors='replace')}")
    assert not wrong, "\n".join(wrong)


def _qs(query):
    from urllib.parse import urlencode

    return "?" + urlencode(query) if query else ""
