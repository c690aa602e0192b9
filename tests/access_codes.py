"""The cast and the expectation helpers of the access matrix, shared by the
areas' expectation modules (tests/<app>/access_*.py)."""

CAST = ["committee", "leader", "instructor", "secretary_a", "secretary_b", "member_a", "handler",
        "sysadmin", "secadmin", "auditadmin", "anonymous"]
DOMAIN = ["committee", "leader", "instructor", "secretary_a", "secretary_b", "member_a", "handler"]
ADMINS = ["sysadmin", "secadmin", "auditadmin"]
ORG_READERS = ["committee", "leader", "instructor", "secretary_a", "secretary_b"]


def only(codes: dict[str, int], default: int, anonymous: int = 302) -> dict[str, int]:
    """An expectation: `codes` for the named roles, `default` for the other
    signed-in ones, `anonymous` for the anonymous visitor."""
    out = {who: default for who in CAST}
    out.update(codes)
    out["anonymous"] = anonymous
    return out


def every(code: int, anonymous: int = 302) -> dict[str, int]:
    return only({}, code, anonymous)


def roles(code: int, names, default: int) -> dict[str, int]:
    return only(dict.fromkeys(names, code), default)
