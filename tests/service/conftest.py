"""Appeals driven through the services at explicit times (never today)."""

from datetime import datetime

import pytest

from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.core.workdays import SHANGHAI
from fourfirsts.service.models import Appeal
from fourfirsts.service.services import appeals as services
from tests.conftest import make_user


def at(y, m, d, h=10, minute=0):
    return datetime(y, m, d, h, minute, tzinfo=SHANGHAI)


T = at(2022, 10, 17)  # Monday, an ordinary working day


@pytest.fixture
def handler_other(world):
    return make_user("handler_other", Role.HANDLER, department=world.other_department)


@pytest.fixture
def new_appeal(world):
    def make(enterprise=None, collected_by=None, category=Appeal.Category.LOGISTICS, title="货车通行证办理难"):
        return services.appeal_create(
            actor=Actor.system("测试"),
            values={
                "enterprise": enterprise or world.ent_a,
                "collected_by": collected_by,
                "channel": Appeal.Channel.VISIT,
                "category": category,
                "kind": Appeal.Kind.COORDINATION,
                "is_blockage": True,
                "title": title,
                "collected_at": at(2022, 9, 30),
            },
        )

    return make


PATHS = {
    "collected": [],
    "accepted": ["accept"],
    "assigned": ["accept", "assign"],
    "signed": ["accept", "assign", "sign"],
    "handling": ["accept", "assign", "sign", "handle"],
    "extension_requested": ["accept", "assign", "sign", "handle", "request_extension"],
    "returned": ["accept", "assign", "sign", "return"],
    "replied": ["accept", "assign", "sign", "handle", "reply"],
}


@pytest.fixture
def advance(cast, world):
    """advance(appeal, state, when=T): walk the appeal to a state as staff would."""
    committee = Actor.of(cast.committee)
    handler = Actor.of(cast.handler)

    def go(appeal, state, when=T):
        for action in PATHS[state]:
            do(action, appeal, committee if action in COMMITTEE_ACTIONS else handler, world, when)
        return appeal

    return go


COMMITTEE_ACTIONS = {"accept", "decline", "assign", "reassign", "approve_extension", "refuse_extension", "close"}


def do(action, appeal, actor, world, when=T):
    """Call the service for one action with plausible arguments."""
    s = services
    calls = {
        "accept": lambda: s.appeal_accept(appeal=appeal, actor=actor, at=when),
        "decline": lambda: s.appeal_decline(appeal=appeal, reason="属于司法程序中的事项", actor=actor, at=when),
        "assign": lambda: s.appeal_assign(appeal=appeal, department=world.department, actor=actor, at=when),
        "reassign": lambda: s.appeal_reassign(appeal=appeal, department=world.department, actor=actor, at=when),
        "sign": lambda: s.appeal_sign(appeal=appeal, actor=actor, at=when),
        "handle": lambda: s.appeal_handle(appeal=appeal, actor=actor, at=when),
        "request_extension": lambda: s.appeal_request_extension(
            appeal=appeal, days=2, reason="需要省厅协调", actor=actor, at=when),
        "approve_extension": lambda: s.appeal_approve_extension(appeal=appeal, actor=actor, at=when),
        "refuse_extension": lambda: s.appeal_refuse_extension(appeal=appeal, actor=actor, at=when),
        "return": lambda: s.appeal_return(
            appeal=appeal, reason="不属于本单位职责", basis="《娄底市交通运输局职能配置规定》", actor=actor, at=when),
        "reply": lambda: s.appeal_reply(appeal=appeal, reply="已协调办理通行证", actor=actor, at=when),
        "rate": lambda: s.appeal_rate(appeal=appeal, rating=Appeal.Rating.SATISFIED, actor=actor, at=when),
        "close": lambda: s.appeal_close(appeal=appeal, note="经党委研究予以办结", actor=actor, at=when),
    }
    return calls[action]()
