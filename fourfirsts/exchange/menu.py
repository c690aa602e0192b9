from fourfirsts.core import menu
from fourfirsts.exchange.views import READERS

menu.register(90, "数据交换", "exchange:workbook", READERS)
