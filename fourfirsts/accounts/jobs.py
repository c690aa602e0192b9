from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fourfirsts.accounts import services
from fourfirsts.core import jobs, rules


@jobs.register("accounts.disable_idle", timedelta(days=1), _("停用90天未使用的账号"))
def disable_idle(slot):
    return services.disable_idle_accounts(now=slot, idle_days=rules.value("accounts.idle_days", on=timezone.localdate(slot)))
