"""第一责任's periodic jobs; each runs once per slot however many workers run (core.jobs)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fourfirsts.core import jobs
from fourfirsts.governance import services


@jobs.register("governance.instructor_terms", timedelta(days=1), _("指导员任期届满提醒"))
def instructor_terms(slot):
    return len(services.remind_terms(slot, timezone.localtime(slot).date()))
