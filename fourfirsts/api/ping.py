"""Who am I: the smallest authenticated call, for a client to check its token."""

from django.utils.translation import gettext as _
from ninja import Router, Schema

from fourfirsts.core.access import Role, scope_of

router = Router(tags=[_("账号")])


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    role_labels: list[str]


@router.get("/me", response=MeOut, summary=_("当前账号"))
def me(request):
    roles = sorted(scope_of(request.user).roles)
    return {"username": request.user.username, "name": request.user.first_name, "roles": roles,
            "role_labels": [str(Role.LABELS[r]) for r in roles]}
