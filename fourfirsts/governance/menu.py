"""The governance menu entry: 第一责任 (order 40), and on each party org a link
to its ORG-1…3 checks. Imported by GovernanceConfig.ready."""

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.governance import access
from fourfirsts.governance.access import READERS

menu.register(40, _("第一责任"), "governance:coverage", READERS)
menu.register_record_action(
    "registry.partyorg", 40, _("组织设置检查"),
    lambda org: f"{reverse('governance:org_checks')}?{urlencode({'org': org.pk})}",
    lambda user, org: access.can_read(user),
)
