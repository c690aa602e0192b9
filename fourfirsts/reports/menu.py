from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.reports.views import READERS

menu.register(5, _("工作台"), "reports:dashboard", READERS)
menu.register(80, _("年度报告"), "reports:annual", READERS)
