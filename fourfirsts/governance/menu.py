"""The governance menu entry: 第一责任 (order 40). Imported by GovernanceConfig.ready."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.governance.access import READERS

menu.register(40, _("第一责任"), "governance:coverage", READERS)
