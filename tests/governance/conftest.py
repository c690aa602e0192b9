"""Helpers for the governance tests: registry and governance records built through the services."""

from datetime import date

from fourfirsts.core.actors import Actor
from fourfirsts.governance import services
from fourfirsts.governance.models import Honour
from fourfirsts.registry import services as reg
from fourfirsts.registry.models import AssociationStatus, PartyOrg
from tests.conftest import make_association

SYSTEM = Actor.system("测试")


def make_org(name, kind=PartyOrg.Kind.BRANCH, established=date(2020, 1, 1), parent=None, **values):
    return reg.party_org_save(actor=SYSTEM, values={"name": name, "kind": kind, "established_on": established,
                                                    "parent": parent, **values})


def cover(org, association, since, until=None):
    return reg.coverage_save(actor=SYSTEM, values={"party_org": org, "association": association, "since": since,
                                                   "until": until})


def set_status(association, status, since):
    return reg.association_status_set(actor=SYSTEM, association=association, status=status, since=since)


def assign(person, association, since=date(2020, 1, 1), until=None):
    return reg.instructor_assign(actor=SYSTEM, values={"person": person, "association": association,
                                                       "since": since, "until": until})


def new_association(name, founded=date(2015, 3, 1), status=AssociationStatus.Status.ACTIVE):
    a = make_association(name, founded=founded)
    if status != AssociationStatus.Status.ACTIVE:
        set_status(a, status, founded)
    return a


def honour(kind=Honour.Kind.FOUR_GOOD, level=Honour.Level.NATIONAL, association=None, party_org=None,
           recognised_on=date(2021, 6, 1), valid_until=None, stage=Honour.Stage.RECOGNISED, actor=SYSTEM, **values):
    return services.honour_save(actor=actor, values={
        "kind": kind, "level": level, "association": association, "party_org": party_org, "stage": stage,
        "recognised_on": recognised_on, "valid_until": valid_until, **values})
