"""The API's access matrix: every operation in the OpenAPI schema must be
declared by an area module (tests/api/access_<area>.py) with the status each
member of the cast gets, as the pages' matrix does.

An area module defines:
- EXPECT: {("GET", "/registry/associations/{association_id}"): {who: status}}
  (paths as in the schema, without the /api/v1 prefix; use tests.access_codes
  helpers — anonymous gets 401 from the API, not a redirect);
- request_for(key, world, cast, who) -> (path_params: dict, query: dict, json_body: dict | None):
  called once per member of the cast, so a write gets a fresh record each time."""

API_AREA_MODULES = [
    "tests.api.access_core",
    "tests.api.access_registry",
    "tests.api.access_governance",
    "tests.api.access_figures",
    "tests.api.access_agenda",
    "tests.api.access_service",
    "tests.api.access_volunteering",
]
