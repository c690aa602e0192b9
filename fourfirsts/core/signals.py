"""Signals of the shared mechanisms."""

from django.dispatch import Signal

#: Sent (sender=WorkdaySchedule, year=<int>) after the transaction that saved a
#: year's working-day schedule commits. Receivers recompute open deadlines that
#: were computed on the Monday–Friday fallback for that year; the working-day
#: cache of the receiving process is cleared by fourfirsts.core.workdays.
workday_schedule_saved = Signal()
