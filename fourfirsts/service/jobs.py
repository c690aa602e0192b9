"""The appeal workflow's periodic jobs; each runs once per slot however many
workers run (core.jobs)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from fourfirsts.core import jobs
from fourfirsts.service.services import appeals


@jobs.register("service.escalate", timedelta(hours=1), _("诉求督办：催办、催办通知书、通报"))
def escalate(slot):
    return len(appeals.escalate(slot))


@jobs.register("service.close_unrated", timedelta(hours=1), _("逾期未评价的诉求按未评价办结"))
def close_unrated(slot):
    return len(appeals.close_unrated(slot))
