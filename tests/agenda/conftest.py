"""Helpers for the agenda tests: records built through the agenda services."""

from datetime import date

import pytest

from fourfirsts.agenda import services
from fourfirsts.agenda.models import Meeting
from fourfirsts.core.actors import Actor

SYSTEM = Actor.system("测试")


def make_topic(name="习近平总书记重要讲话", released=date(2022, 3, 1), **values):
    return services.topic_save(actor=SYSTEM, values={"name": name, "kind": "speech", "released_on": released,
                                                     **values})


def make_meeting(org, kind=Meeting.Kind.THEME_DAY, held=date(2022, 3, 10), start="09:00", actor=SYSTEM,
                 topics=None, **values):
    values = {"party_org": org, "kind": kind, "title": values.pop("title", "会议"), "held_on": held,
              "start_time": start, **values}
    if kind in Meeting.FT1_KINDS and "first_topic" not in values and "no_topic_reason" not in values:
        values["no_topic_reason"] = "专题会议"
    return services.meeting_save(actor=actor, values=values, topics=topics)


@pytest.fixture
def topic(db):
    return make_topic()
