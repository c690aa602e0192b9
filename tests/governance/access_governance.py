"""Access expectations of the governance app's pages (merged into tests/test_access_matrix.py)."""

from tests.access_codes import ADMINS, DOMAIN, ORG_READERS, every, only, roles  # noqa: F401

EXPECT: dict[str, dict[str, int]] = {}


def kwargs_for(name, world, cast):
    return {}
