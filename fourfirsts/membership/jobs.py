"""The membership reminders: once a day (core.jobs runs it once per slot)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import jobs
from fourfirsts.core.workdays import local_date
from fourfirsts.membership import services


@jobs.register("membership.remind", timedelta(days=1), _("发展党员提醒：谈话、考察、审批、预备期满"))
def remind(slot):
    return services.remind(today=local_date(slot))
