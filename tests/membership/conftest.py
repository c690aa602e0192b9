"""A development built through the services, with a valid date for every step
(an application on 31 Jan 2020 and full membership in July 2022)."""

from datetime import date

import pytest

from fourfirsts.core.actors import Actor
from fourfirsts.membership import services, workflow
from fourfirsts.registry import services as reg
from tests.conftest import make_person

SYSTEM = Actor.system("测试")

DATES = {
    "1.1": date(2020, 1, 31), "1.2": date(2020, 2, 29), "2.3": date(2020, 3, 10), "2.4": date(2020, 3, 15),
    "2.5": date(2020, 3, 20), "2.6": date(2020, 9, 1), "3.7": date(2021, 3, 15), "3.8": date(2021, 3, 20),
    "3.9": date(2021, 4, 1), "3.10": date(2021, 4, 15), "3.11": date(2021, 5, 10), "4.12": date(2021, 5, 20),
    "4.13": date(2021, 6, 1), "4.14": date(2021, 6, 10), "4.15": date(2021, 6, 25), "4.16": date(2021, 7, 5),
    "4.17": date(2021, 8, 10), "4.18": date(2021, 8, 20), "5.19": date(2021, 8, 25), "5.20": date(2021, 9, 1),
    "5.21": date(2022, 3, 1), "5.22": date(2022, 6, 1), "5.23": date(2022, 6, 20), "5.24": date(2022, 7, 1),
    "5.25": date(2022, 7, 10),
}
REVIEWS = (date(2020, 9, 1), date(2021, 3, 1))


class Pipeline:
    def __init__(self, world):
        self.world = world
        self.applicant = make_person("陈申请", gender="male", birth_date=date(1990, 4, 1), is_entrepreneur=True)
        self.introducers = [make_person(n, birth_date=date(1970, 1, 1)) for n in ("刘介绍", "孙介绍")]
        for p in self.introducers:
            reg.party_joining_record(actor=SYSTEM, person=p, joined_on=date(2000, 7, 1), full_on=date(2001, 7, 1))

    def extras(self, code):
        return {
            "2.5": {"people": [self.world.member_a]},
            "3.7": {"notice_from": date(2021, 3, 5), "notice_to": date(2021, 3, 12)},
            "3.9": {"people": self.introducers},
            "3.11": {"training_days": 3},
            "4.15": {"voters_entitled": 10, "voters_present": 8, "votes_yes": 8},
            "5.23": {"voters_entitled": 10, "voters_present": 9, "votes_yes": 9,
                     "notice_from": date(2022, 6, 6), "notice_to": date(2022, 6, 13)},
        }.get(code, {})

    def apply(self, person=None, org=None, applied_on=DATES["1.1"], actor=SYSTEM):
        return services.development_apply(actor=actor, person=person or self.applicant,
                                          party_org=org or self.world.org_a, applied_on=applied_on)

    def record(self, dev, code, actor=SYSTEM, **overrides):
        values = {"done_on": DATES[code], **self.extras(code), **overrides}
        return services.step_record(actor=actor, development=dev, code=code, **values)

    def advance(self, dev, through):
        """Record every step after the last one done up to and including `through`."""
        done = set(dev.steps.values_list("code", flat=True))
        for s in workflow.STEPS:
            if s.code in done:
                continue
            if s.code == "3.7":
                for day in REVIEWS:
                    if not dev.reviews.filter(reviewed_on=day).exists():
                        services.review_record(actor=SYSTEM, development=dev, reviewed_on=day)
            self.record(dev, s.code)
            if s.code == through:
                break
        dev.refresh_from_db()
        return dev

    def upto(self, through):
        """A development with every step up to and including `through` done."""
        dev = self.apply()
        return dev if through == "1.1" else self.advance(dev, through)


@pytest.fixture
def pipe(world):
    return Pipeline(world)
