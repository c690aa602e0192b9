from django.utils.translation import gettext_lazy as _

from fourfirsts.core import menu
from fourfirsts.exchange.views import READERS

menu.register(90, _("数据交换"), "exchange:workbook", READERS)
