"""The registry of the benchmark data: cities, associations, party orgs with
their members, people, enterprises and their memberships, departments, city
leaders, instructors, and the membership pipeline's plan (which decides some
people's 政治面貌).

`World` plans it all in memory as small objects (a few hundred bytes each,
~300,000 at province scale); `emit(world, sink)` writes the rows. The pillar
stages (gen_agenda, gen_service, gen_pillars) read the world and stream their
own rows without keeping them.

Shape (as demo/build.py, at any size): associations of five kinds, 15 % founded
during the five years and a few still preparing at REFERENCE_DAY, a few
deregistered; one party committee per city over branches and joint branches
covering at most four fifths of the associations (a third of them set up
during the five years, spread over the years, so every year some associations
come under a party org; branches beyond those cover none); party members with dated
membership, 政治面貌 and posts; entrepreneurs owning one to six member
enterprises; two city leaders per city with a hand-over in 2024; instructors
on two-year terms from 2021-03-01, four or five associations each.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from fourfirsts.bench import gen_names as names
from fourfirsts.bench.gen_base import REFERENCE_DAY, WINDOW_START, YEARS, Ids, Weighted, row, stream
from fourfirsts.core import crypto
from fourfirsts.core.periods import add_months
from fourfirsts.membership.models import Development as MembershipDevelopment
from fourfirsts.registry.models import (
    Association,
    AssociationStatus,
    CommitteeSeat,
    Coverage,
    Department,
    Enterprise,
    EnterpriseMembership,
    InstructorAssignment,
    PartyGroup,
    PartyGroupMembership,
    PartyMembership,
    PartyOrg,
    Person,
    PoliticalStatus,
    Post,
    PublicOffice,
)

K = Association.Kind
PS = PoliticalStatus.Status
SRC = PoliticalStatus.Source
LAST_PAST_DAY = date(2021, 12, 31)
ASSOCIATION_KINDS = Weighted({K.NON_LOCAL: 35, K.INDUSTRY: 29, K.TOWNSHIP: 20, K.MARKET: 12, K.OTHER: 4})
KIND_WORDS = {K.NON_LOCAL: "异地商会", K.INDUSTRY: "行业协会", K.TOWNSHIP: "乡镇商会", K.MARKET: "市场商会",
              K.OTHER: "商协会"}
DEMOCRATIC = Weighted({PS.CDNCA: 18, PS.INDEPENDENT: 6, PS.RGE: 3, PS.DEMOCRATIC_LEAGUE: 3, PS.JIUSAN: 3,
                       PS.ZHI_GONG: 2, PS.CAPD: 2, PS.PEASANTS_WORKERS: 1})
SURNAMES = Weighted(names.SURNAMES)
FORMS = Weighted({k: v for k, v in names.FORMS.items() if k != "集团有限公司"})
TRADES = Weighted(names.TRADE_WEIGHTS)
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "151", "158", "159", "176", "180", "186", "187", "188",
                   "189", "199")
EMPLOYEE_TITLES = ("总经理", "副总经理", "办公室主任", "财务总监", "行政总监", "生产部经理")
INSTRUCTOR_POSTS = ("党组成员、副主席", "办公室主任", "会员部部长", "经济服务部部长", "宣传信息部部长",
                    "法律维权部部长", "商会党建工作科科长", "四级调研员", "一级主任科员", "会员部副部长")
FIRST_TERM = date(2021, 3, 1)
TERM_YEARS = 2
OFFICES = (  # title, city leader, first holder's start, hand-over day (None: no hand-over)
    ("市委书记", True, date(2021, 2, 5), date(2024, 9, 18)),
    ("市长", True, date(2021, 4, 20), date(2024, 12, 29)),
    ("副市长", False, date(2021, 6, 10), None),
)


# --- the planned records ---------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class City:
    index: int
    name: str
    counties: tuple
    short: str  # 娄底 for 娄底市: the prefix of firm names
    root: "Org | None" = None
    departments: dict = field(default_factory=dict)  # short name → department id
    leaders: list = field(default_factory=list)  # (Person, title, is_leader, since, until)
    instructors: list = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Assoc:
    id: int
    city: City
    county: str
    kind: str
    parts: tuple
    founded: date | None  # None: still preparing on REFERENCE_DAY
    preparing: date | None = None  # in preparation since (the ones set up during the five years)
    dereg: date | None = None
    covers: list = field(default_factory=list)  # (Org, since)
    firms: list = field(default_factory=list)
    residents: list = field(default_factory=list)

    @property
    def name(self) -> str:
        return "".join(self.parts)

    def operating_on(self, day: date) -> bool:
        return self.founded is not None and self.founded <= day and not (self.dereg and self.dereg <= day)

    def org_on(self, day: date) -> "Org | None":
        return next((o for o, since in self.covers if since <= day and o.established <= day), None)


@dataclass(slots=True, eq=False)
class Individual:
    id: int
    city: City
    parts: tuple
    gender: str
    birth: date
    entrepreneur: bool
    phone: str
    home: Assoc | None = None
    brand: str = ""
    statuses: list = field(default_factory=list)  # (code, since, until, source)
    party_from: date | None = None  # 中共预备党员 or 中共党员 from this day
    full_from: date | None = None
    stage: str = ""  # development_stage on REFERENCE_DAY

    @property
    def name(self) -> str:
        return "".join(self.parts)

    def party_on(self, day: date) -> bool:
        return self.party_from is not None and self.party_from <= day

    def full_on(self, day: date) -> bool:
        return self.full_from is not None and self.full_from <= day


@dataclass(slots=True, eq=False)
class Org:
    id: int
    city: City
    kind: str
    parts: tuple
    established: date
    parent: "Org | None" = None
    covers: list = field(default_factory=list)  # (Assoc, since)
    members: list = field(default_factory=list)  # (Person, since, until)
    secretary: Individual | None = None
    has_committee: bool = False
    seats: list = field(default_factory=list)  # (Person, post, since)
    groups: list = field(default_factory=list)  # (id, name, established)
    term_end: date | None = None

    @property
    def name(self) -> str:
        return "".join(self.parts)

    def members_on(self, day: date) -> list:
        return [p for p, since, until in self.members if since <= day and (until is None or until >= day)]


@dataclass(slots=True, eq=False)
class Firm:
    id: int
    owner: Individual
    trade: str
    founded: date
    size: str
    group: bool
    memberships: list = field(default_factory=list)  # (Assoc, since, until)

    def member_on(self, day: date) -> bool:
        return any(since <= day and (until is None or until >= day) for _a, since, until in self.memberships)


@dataclass(slots=True, eq=False)
class Dev:
    id: int
    person: Individual
    org: Org
    applied: date
    steps: list  # (code, day, people)
    reviews: list  # days


# --- the world ---------------------------------------------------------------------------------------------


class World:
    """The registry planned in memory for one scale (a dict of counts) and seed."""

    def __init__(self, counts: dict, seed: int):
        self.counts, self.seed = counts, seed
        self.ids = Ids()
        self.cities: list[City] = []
        self.associations: list[Assoc] = []
        self.orgs: list[Org] = []
        self.people: list[Individual] = []
        self.firms: list[Firm] = []
        self.instructor_rows: list[tuple] = []  # (id, Person, Assoc, Org|None, post, since, until)
        self.developments: list[Dev] = []
        self._branches: dict | None = None
        self._used: set = set()

    def build(self) -> "World":
        self._cities()
        self._associations()
        self._orgs()
        self._other_people()
        self._leaders()
        self._firms()
        self._instructors()
        self._developments()
        return self

    # -- helpers --------------------------------------------------------------------------------------------

    def _person(self, rng, city: City, *, born: tuple[int, int], entrepreneur: bool, male_share: float,
                home: Assoc | None = None) -> Individual:
        male = rng.random() < male_share
        pool = names.MALE if male else names.FEMALE
        given = (rng.choice(pool),) if rng.random() < 0.2 else (rng.choice(pool), rng.choice(pool))
        person = Individual(
            id=self.ids.next(Person), city=city, parts=(SURNAMES.draw(rng), *given),
            gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
            birth=rng.day_in(date(born[0], 1, 1), date(born[1], 12, 28)), entrepreneur=entrepreneur,
            phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}", home=home)
        if entrepreneur:
            person.brand = rng.choice(names.BRAND_FIRST) + rng.choice(names.BRAND_SECOND)
        if home is not None:
            home.residents.append(person)
        self.people.append(person)
        return person

    @staticmethod
    def _party_history(rng, person: Individual, joined_by: date) -> None:
        """Joined before the system: probationary for a year, then full (pre-system records)."""
        latest = min(joined_by, date(2021, 6, 30))
        earliest = date(person.birth.year + 20, person.birth.month, min(person.birth.day, 28))
        joined = rng.day_in(earliest, latest) if earliest < latest else latest
        full = joined + timedelta(days=365 if rng.random() < 0.9 else 548)
        person.statuses.append((PS.CPC_PROBATIONARY, joined, full - timedelta(days=1), SRC.PRE_SYSTEM))
        person.statuses.append((PS.CPC_MEMBER, full, None, SRC.PRE_SYSTEM))
        person.party_from, person.full_from = joined, full

    def _unique(self, kind: str, make):
        for _ in range(200):
            value = make()
            if (kind, value) not in self._used:
                self._used.add((kind, value))
                return value
        raise RuntimeError(f"no unique {kind} left")

    def operating(self, city: City, day: date) -> list[Assoc]:
        return [a for a in self.associations if a.city is city and a.operating_on(day)]

    # -- cities and associations ------------------------------------------------------------------------------

    def _cities(self) -> None:
        rng = stream(self.seed, "cities")
        for i in range(self.counts["cities"]):
            name = names.CITIES[i % len(names.CITIES)]
            if i == 0:
                counties = names.LOUDI_COUNTIES
            else:
                counties = tuple(self._unique("county", lambda: rng.choice(names.PLACE_SYLLABLES)
                                              + rng.choice(names.PLACE_SYLLABLES) + rng.choice(names.COUNTY_ENDINGS))
                                 for _ in range(6))
            self.cities.append(City(i, name, counties, name.removesuffix("市").removesuffix("州")))

    def _association_parts(self, rng, city: City, kind: str, seen: dict) -> tuple[str, tuple]:
        pool = {K.NON_LOCAL: names.HOMES, K.INDUSTRY: names.TRADE_ASSOCIATIONS, K.MARKET: names.MARKETS,
                K.OTHER: names.OTHERS}.get(kind)
        county = rng.choice(city.counties)
        if pool is None:  # a township's chamber
            town = self._unique(f"town/{county}", lambda: rng.choice(names.PLACE_SYLLABLES)
                                + rng.choice(names.PLACE_SYLLABLES) + rng.choice(names.TOWN_ENDINGS))
            return county, (county, town, "商会")
        n = seen[(city.index, kind)] = seen.get((city.index, kind), -1) + 1
        item, variant = pool[n % len(pool)], n // len(pool)
        prefix = city.name if variant == 0 else city.counties[(variant - 1) % len(city.counties)]
        if variant:
            county = prefix
        return county, (prefix, item, "商会") if kind == K.NON_LOCAL else (prefix, item)

    def _associations(self) -> None:
        rng = stream(self.seed, "associations")
        n = self.counts["associations"]
        preparing = max(1, round(n * 0.01))
        recent = max(len(YEARS), round(n * 0.15))
        seen: dict = {}
        last_founding = REFERENCE_DAY - timedelta(days=60)
        for i in range(n):
            city = self.cities[i % len(self.cities)]
            kind = ASSOCIATION_KINDS.draw(rng)
            county, parts = self._association_parts(rng, city, kind, seen)
            a = Assoc(self.ids.next(Association), city, county, kind, parts, None)
            if i >= n - preparing:
                a.preparing = REFERENCE_DAY - timedelta(days=rng.randint(10, 100))
            elif i >= n - preparing - recent:
                # Founded during the five years, spread over them.
                k = i - (n - preparing - recent)
                a.founded = WINDOW_START + timedelta(days=(last_founding - WINDOW_START).days * k // recent)
                a.preparing = a.founded - timedelta(days=rng.randint(60, 150))
            else:
                a.founded = rng.day_in(date(2003, 1, 1), date(2021, 6, 30))
                if rng.random() < 0.015:
                    a.dereg = rng.day_in(date(2022, 3, 1), date(2026, 6, 30))
            self.associations.append(a)

    # -- party orgs and members ----------------------------------------------------------------------------------

    def _orgs(self) -> None:
        rng = stream(self.seed, "orgs")
        for city in self.cities:
            city.root = Org(self.ids.next(PartyOrg), city, PartyOrg.Kind.PARTY_COMMITTEE,
                            (city.name, "工商联商协会党委"), date(2012, 6, 18) + timedelta(days=city.index))
            self.orgs.append(city.root)
        pools = {c.index: [a for a in self.associations if a.city is c and a.founded and not a.dereg]
                 for c in self.cities}
        for pool in pools.values():
            rng.shuffle(pool)
            del pool[round(len(pool) * 0.8):]  # a fifth stays without a party org, whatever the number of orgs
        branches = self.counts["party_orgs"] - len(self.cities)
        takes = []  # the associations each branch covers (none: a branch of the federation's own)
        for b in range(branches):
            pool = pools[self.cities[b % len(self.cities)].index]
            size = rng.randint(2, 3) if rng.random() < 0.2 else 1
            takes.append([pool.pop() for _ in range(min(len(pool), size))])
        # A third of the branches over old associations (at least one a year) are set up
        # during the five years, year by year in turn, so that each year some come under one.
        old = [b for b, take in enumerate(takes) if take and all(a.founded < WINDOW_START for a in take)]
        n_window = min(len(old), max(len(YEARS), len(old) // 3))
        window = {old[k * len(old) // n_window]: YEARS[k % len(YEARS)] for k in range(n_window)}
        counters: dict = {}
        for b, take in enumerate(takes):
            city = self.cities[b % len(self.cities)]
            joint = len(take) > 1
            recent = max((a.founded for a in take), default=None)
            if recent and recent >= WINDOW_START:
                established = min(recent + timedelta(days=rng.randint(30, 200)), REFERENCE_DAY - timedelta(days=20))
            elif b in window:
                year = window[b]
                established = rng.day_in(date(year, 1, 10), min(date(year, 12, 20), REFERENCE_DAY - timedelta(days=30)))
            else:
                established = rng.day_in(max(date(2014, 1, 1), (recent or date(2013, 1, 1)) + timedelta(days=180)),
                                         LAST_PAST_DAY)
            if joint:
                word = KIND_WORDS[take[0].kind]
                n = counters[(city.index, word)] = counters.get((city.index, word), 0) + 1
                kind, parts = PartyOrg.Kind.JOINT_BRANCH, (city.name, word, f"第{n}", "联合党支部")
            elif take:
                kind, parts = PartyOrg.Kind.BRANCH, (*take[0].parts, "党支部")
            else:
                n = counters[(city.index, "")] = counters.get((city.index, ""), 0) + 1
                kind, parts = PartyOrg.Kind.BRANCH, (city.name, "工商联直属", f"第{n}", "党支部")
            org = Org(self.ids.next(PartyOrg), city, kind, parts, established, parent=city.root)
            for j, a in enumerate(take):
                since = established
                if joint and j == len(take) - 1 and rng.random() < 0.3:
                    since = min(established + timedelta(days=rng.randint(100, 700)), REFERENCE_DAY - timedelta(days=10))
                org.covers.append((a, since))
                a.covers.append((org, since))
            self.orgs.append(org)
        cadres = {c.index: 3 + self.counts["instructors"] // len(self.cities)
                  + (c.index < self.counts["instructors"] % len(self.cities)) for c in self.cities}
        members = self.counts["party_members"] - sum(cadres.values()) - len(self.cities)
        average = max(3.0, members / max(1, branches))
        homes = {c.index: [a for a in self.associations if a.city is c and a.founded and not a.dereg]
                 for c in self.cities}
        for org in self.orgs[len(self.cities):]:
            self._members(rng, org, max(3, round(rng.gauss(average, average * 0.45))), homes[org.city.index])
        for city in self.cities:
            self._cadres(rng, city, cadres[city.index])

    def _members(self, rng, org: Org, size: int, homes: list) -> None:
        covers = [a for a, _s in org.covers]
        founding = max(3, round(size * 0.7))
        for i in range(size):
            entrepreneur = i == 0 or rng.random() < 0.55
            # A member of a branch covering no association has their business in any of the city's.
            home = covers[i % len(covers)] if covers else rng.choice(homes)
            person = self._person(rng, org.city, born=(1960, 1988) if entrepreneur else (1966, 1996),
                                  entrepreneur=entrepreneur, male_share=0.8 if entrepreneur else 0.6, home=home)
            since = org.established
            late = org.established + timedelta(days=60)
            if i >= founding and late < REFERENCE_DAY - timedelta(days=30):
                since = rng.day_in(late, REFERENCE_DAY - timedelta(days=30))
            self._party_history(rng, person, since - timedelta(days=30))
            until = None
            if i >= 3 and rng.random() < 0.03 and since + timedelta(days=400) < REFERENCE_DAY - timedelta(days=10):
                until = rng.day_in(since + timedelta(days=400), REFERENCE_DAY - timedelta(days=10))
            org.members.append((person, since, until))
        org.secretary = org.members[0][0]
        if size >= 7 and rng.random() < 0.9:
            org.has_committee = True
            posts = ("书记", "副书记", "组织委员", "宣传委员", "纪检委员") if size >= 15 else ("书记", "组织委员", "宣传委员")
            founders = [p for p, since, until in org.members[:founding] if until is None]
            org.seats = [(p, post, org.established) for p, post in zip(founders, posts, strict=False)]
        org.term_end = _term_end(org.established, 3)
        if size >= 12:
            established = min(org.established + timedelta(days=rng.randint(30, 400)), REFERENCE_DAY)
            org.groups = [(self.ids.next(PartyGroup), f"第{'一二三'[g]}党小组", established)
                          for g in range(2 if size < 20 else 3)]

    def _cadres(self, rng, city: City, n: int) -> None:
        """The committee's own members: cadres of the federation, among them the instructors
        (and one who left in 2021)."""
        root = city.root
        for i in range(n + 1):
            person = self._person(rng, city, born=(1968, 1990), entrepreneur=False, male_share=0.65)
            since = rng.day_in(date(2012, 6, 18), date(2018, 12, 31))
            self._party_history(rng, person, since - timedelta(days=30))
            root.members.append((person, since, date(2021, 2, 28) if i == n else None))
        root.secretary = root.members[0][0]
        root.has_committee = True
        elected = date(2019, 1, 10)
        root.seats = [(root.members[0][0], "书记", elected), (root.members[1][0], "副书记", elected)] + [
            (p, "委员", elected) for p, _s, _u in root.members[2:5]]
        root.term_end = _term_end(elected, 5)
        city.instructors = [p for p, _s, _u in root.members[3:]]  # the last one left in 2021

    # -- other people and the city leaders ----------------------------------------------------------------------------

    def _other_people(self) -> None:
        rng = stream(self.seed, "people")
        homes = {c.index: [a for a in self.associations if a.city is c and a.founded and not a.dereg]
                 for c in self.cities}
        uncovered = {i: [a for a in pool if not a.covers] for i, pool in homes.items()}
        for k in range(self.counts["other_people"]):
            city = self.cities[k % len(self.cities)]
            spare = uncovered[city.index]
            turn = k // len(self.cities)
            home = spare[turn % len(spare)] if spare and rng.random() < 0.6 else rng.choice(homes[city.index])
            entrepreneur = rng.random() < 0.85
            person = self._person(rng, city, born=(1958, 1992), entrepreneur=entrepreneur, male_share=0.75, home=home)
            joined = rng.day_in(date(person.birth.year + 30, 1, 1), date(2021, 10, 31))
            if rng.random() < 0.6 or joined <= date(person.birth.year + 18, 6, 1):
                person.statuses.append((PS.MASSES, person.birth, None, SRC.FORM))
            else:
                person.statuses.append((PS.MASSES, person.birth, joined - timedelta(days=1), SRC.FORM))
                person.statuses.append((DEMOCRATIC.draw(rng), joined, None, SRC.FORM))

    def _leaders(self) -> None:
        rng = stream(self.seed, "leaders")
        for city in self.cities:
            for title, leader, since, handover in OFFICES:
                first = self._person(rng, city, born=(1965, 1974), entrepreneur=False, male_share=0.85)
                first.statuses.append((PS.CPC_MEMBER, date(1995, 7, 1), None, SRC.PRE_SYSTEM))
                first.party_from = first.full_from = date(1995, 7, 1)
                city.leaders.append((first, title, leader, since, handover - timedelta(days=1) if handover else None))
                if handover:
                    second = self._person(rng, city, born=(1968, 1976), entrepreneur=False, male_share=0.8)
                    second.statuses.append((PS.CPC_MEMBER, date(1998, 7, 1), None, SRC.PRE_SYSTEM))
                    second.party_from = second.full_from = date(1998, 7, 1)
                    city.leaders.append((second, title, leader, handover, None))

    def leader_on(self, city: City, day: date):
        """A city leader (市委书记 or 市长) in office on the day."""
        holders = [p for p, _t, leader, since, until in city.leaders
                   if leader and since <= day and (until is None or until >= day)]
        return holders

    # -- enterprises ---------------------------------------------------------------------------------------------------------------

    def _firms(self) -> None:
        rng = stream(self.seed, "firms")
        owners = [p for p in self.people if p.entrepreneur and p.home is not None]
        party_weights, other_weights = (35, 30, 20, 10, 4, 1), (5, 15, 25, 25, 20, 10)
        counts = [rng.choices((1, 2, 3, 4, 5, 6), weights=party_weights if o.party_from else other_weights)[0]
                  for o in owners]
        total = self.counts["enterprises"]
        while sum(counts) < total:
            counts[rng.randrange(len(counts))] += 1
        while sum(counts) > total:
            i = rng.randrange(len(counts))
            counts[i] -= counts[i] > 1
        secondary = {c.index: [a for a in self.associations if a.city is c and a.founded and not a.dereg]
                     for c in self.cities}
        for owner, count in zip(owners, counts, strict=True):
            first_trade = None
            for j in range(count):
                trade = first_trade if first_trade and rng.random() < 0.6 else TRADES.draw(rng)
                first_trade = first_trade or trade
                founded = rng.day_in(max(date(1998, 1, 1), date(owner.birth.year + 24, 1, 1)), date(2021, 6, 30))
                if rng.random() < 0.05:
                    founded = rng.day_in(WINDOW_START, REFERENCE_DAY - timedelta(days=120))
                group = j == 0 and count >= 4
                size = rng.choice(("large", "medium", "medium", "small")) if group else rng.choice(
                    ("medium", "small", "small", "small", "micro", "micro", "micro"))
                firm = Firm(self.ids.next(Enterprise), owner, trade, founded, size, group)
                self._join(rng, firm, owner.home)
                if rng.random() < 0.3:
                    other = rng.choice(secondary[owner.city.index])
                    if other is not owner.home:
                        self._join(rng, firm, other)
                self.firms.append(firm)

    @staticmethod
    def _join(rng, firm: Firm, a: Assoc) -> None:
        start = max(firm.founded, a.founded)
        roll = rng.random()
        if start > LAST_PAST_DAY:
            since = rng.day_in(start, min(start + timedelta(days=200), REFERENCE_DAY - timedelta(days=10)))
        elif roll < 0.06:
            since = rng.day_in(WINDOW_START, REFERENCE_DAY - timedelta(days=30))
        else:
            since = rng.day_in(start, LAST_PAST_DAY)
        until = None
        if roll > 0.97 and since < date(2021, 1, 1):
            until = rng.day_in(since + timedelta(days=300), REFERENCE_DAY - timedelta(days=30))
        if a.dereg:
            since, until = min(since, a.dereg - timedelta(days=200)), a.dereg
        firm.memberships.append((a, since, until))
        a.firms.append(firm)

    # -- instructors -------------------------------------------------------------------------------------------------------------

    def _instructors(self) -> None:
        rng = stream(self.seed, "instructors")
        terms = []
        start = FIRST_TERM
        while start <= REFERENCE_DAY:
            end = date(start.year + TERM_YEARS, start.month, start.day)
            terms.append((start, end - timedelta(days=1) if end <= REFERENCE_DAY else None))
            start = end
        for city in self.cities:
            old = [a for a in self.associations if a.city is city and a.founded and a.founded.year <= 2020
                   and not a.dereg]
            with_org = [a for a in old if a.covers]
            without_org = [a for a in old if not a.covers]
            rng.shuffle(with_org)
            rng.shuffle(without_org)
            mixed = [a for pair in zip(with_org, without_org, strict=False) for a in pair]
            mixed += with_org[len(mixed) // 2:] + without_org[len(mixed) // 2:]
            *serving, leaver = city.instructors
            taken = 0
            for k, person in enumerate(serving):
                size = 5 if k % 2 == 0 else 4
                post = f"{city.name}工商联" + INSTRUCTOR_POSTS[k % len(INSTRUCTOR_POSTS)]
                for a in mixed[taken:taken + size]:
                    for since, until in terms:
                        since = max(since, a.founded)
                        self.instructor_rows.append((self.ids.next(InstructorAssignment), person, a,
                                                     a.org_on(since), post, since, until))
                taken += size
            post = f"{city.name}工商联" + INSTRUCTOR_POSTS[-1]
            for a in without_org[:2] + with_org[:2]:
                since = max(date(2019, 3, 1), a.founded)
                if since <= date(2021, 2, 28):
                    self.instructor_rows.append((self.ids.next(InstructorAssignment), leaver, a, a.org_on(since),
                                                 post, since, date(2021, 2, 28)))

    # -- the membership pipeline's plan ----------------------------------------------------------------------------------------------

    def _developments(self) -> None:
        """Entrepreneurs who were 群众 apply (2020 on, more each year) and move
        along the 25 steps inside the DEV rules, up to REFERENCE_DAY; approval
        (4.17) and full membership (5.24) write their 政治面貌 as the pipeline does."""
        rng = stream(self.seed, "developments")
        pool = [p for p in self.people if p.entrepreneur and not p.party_from and len(p.statuses) == 1
                and p.statuses[0][0] == PS.MASSES]
        rng.shuffle(pool)
        per_year = self.counts["developments_per_year"]
        for year in range(YEARS[0] - 2, YEARS[-1] + 1):
            count = max(1, round(per_year * (0.5 + 0.15 * (year - YEARS[0] + 2))))
            for _ in range(count):
                if not pool:
                    return
                person = pool.pop()
                applied = rng.day_in(date(year, 1, 10), min(date(year, 12, 10), REFERENCE_DAY - timedelta(days=20)))
                if applied.year - person.birth.year < 20:
                    continue
                org = (person.home.org_on(applied) if person.home else None) or self._branch_on(rng, person.city,
                                                                                               applied)
                self._development(rng, person, org, applied)

    def _branch_on(self, rng, city: City, day: date) -> Org:
        """A branch of the city in existence on the day (drawn, not searched: province has thousands)."""
        branches = self.branches_of(city)
        for _ in range(20):
            org = branches[rng.randrange(len(branches))] if branches else city.root
            if org.established <= day:
                return org
        return city.root

    def branches_of(self, city: City) -> list:
        cached = self._branches
        if cached is None:
            cached = self._branches = {c.index: [] for c in self.cities}
            for o in self.orgs:
                if o.parent is not None:
                    cached[o.city.index].append(o)
        return cached[city.index]

    def _development(self, rng, person: Individual, org: Org, applied: date) -> None:
        plan = _plan(rng, applied)
        dev = Dev(self.ids.next(MembershipDevelopment), person, org, applied, [("1.1", applied, ())], [])
        activist = plan["2.3"]
        dev.reviews = [activist + timedelta(days=n) for n in (150, 300)
                       if activist + timedelta(days=n) < plan["3.7"] and activist + timedelta(days=n) <= REFERENCE_DAY]
        contacts: tuple = ()
        for code in CODES:
            day = plan[code]
            if day > REFERENCE_DAY:
                break
            people: tuple = ()
            if code == "2.5":
                people = contacts = tuple(self._full_members(org, day, 1, ()))
            elif code == "3.9":
                people = tuple(self._full_members(org, day, 2, contacts))
            dev.steps.append((code, day, people))
        done = {code: day for code, day, _p in dev.steps}
        stage = "applicant"
        for code, step_stage in (("2.3", "activist"), ("3.7", "candidate"), ("4.17", "probationary"),
                                 ("5.24", "full")):
            if code in done:
                stage = step_stage
        person.stage = stage if stage in ("applicant", "activist", "candidate") else ""
        if "4.17" in done:
            meeting = done["4.15"]
            full = add_months(meeting, 12)
            masses = person.statuses[0]
            person.statuses[0] = (masses[0], masses[1], meeting - timedelta(days=1), masses[3])
            person.statuses.append((PS.CPC_PROBATIONARY, meeting, full - timedelta(days=1) if "5.24" in done else None,
                                    SRC.PIPELINE))
            person.party_from = meeting
            if "5.24" in done:
                person.statuses.append((PS.CPC_MEMBER, full, None, SRC.PIPELINE))
                person.full_from = full
        self.developments.append(dev)

    # -- the accounts' links -----------------------------------------------------------------------------------------------------

    def account_links(self) -> dict[str, dict]:
        """What each role account is linked to (generate.create_accounts): the
        first association of the first city with its own branch (set up before
        the five years) and an instructor on REFERENCE_DAY."""
        city, day = self.cities[0], REFERENCE_DAY
        serving = {a.id: person for _pk, person, a, _o, _p, since, until in self.instructor_rows
                   if since <= day and (until is None or until >= day)}
        candidates = [a for a in self.associations if a.city is city and a.org_on(day) is not None]
        best = [a for a in candidates if a.id in serving and a.org_on(day).kind == PartyOrg.Kind.BRANCH
                and a.org_on(day).established < WINDOW_START and len(a.org_on(day).members_on(day)) >= 2]
        a = (best or candidates)[0]
        org = a.org_on(day)
        member = next((p for p in sorted(org.members_on(day), key=lambda p: p.id) if p is not org.secretary), None)
        mayor = next(p for p, title, _l, since, until in city.leaders
                     if title == "市长" and since <= day and (until is None or until >= day))
        return {
            "secretary": {"party_org_id": org.id, "person_id": org.secretary.id},
            "instructor": {"person_id": serving[a.id].id} if a.id in serving else {},
            "member": {"person_id": member.id} if member else {},
            "handler": {"department_id": city.departments["交通运输局"]},
            "leader": {"person_id": mayor.id},
        }

    def _full_members(self, org: Org, day: date, count: int, exclude) -> list[Individual]:
        """Full members of the org (else of the city's committee) on the day, by id."""
        for o in (org, org.city.root):
            mine = sorted((p for p in o.members_on(day) if p.full_on(day) and p not in exclude), key=lambda p: p.id)
            if len(mine) >= count:
                return mine[:count]
        return []


CODES = ("1.2", "2.3", "2.4", "2.5", "2.6", "3.7", "3.8", "3.9", "3.10", "3.11", "4.12", "4.13", "4.14", "4.15",
         "4.16", "4.17", "4.18", "5.19", "5.20", "5.21", "5.22", "5.23", "5.24", "5.25")


def _plan(rng, applied: date) -> dict[str, date]:
    """Every step's date, inside the DEV rules (as demo/membership.py plans them)."""
    d = {"1.2": applied + timedelta(days=rng.randint(5, 25))}
    d["2.3"] = d["1.2"] + timedelta(days=rng.randint(30, 90))
    d["2.4"], d["2.5"], d["2.6"] = (d["2.3"] + timedelta(days=n) for n in (7, 10, 170))
    d["3.7"] = add_months(d["2.3"], 12) + timedelta(days=rng.randint(5, 40))
    for code, n in (("3.8", 5), ("3.9", 10), ("3.10", 20), ("3.11", 30), ("4.12", 40), ("4.13", 50), ("4.14", 55),
                    ("4.15", 70), ("4.16", 80), ("4.17", 110), ("4.18", 117), ("5.19", 120), ("5.20", 130),
                    ("5.21", 230)):
        d[code] = d["3.7"] + timedelta(days=n)
    end = add_months(d["4.15"], 12)
    d["5.22"], d["5.23"], d["5.24"], d["5.25"] = (end - timedelta(days=20), end + timedelta(days=5),
                                                  end + timedelta(days=30), end + timedelta(days=40))
    return d


def _term_end(start: date, years: int) -> date:
    """The end of the term running on REFERENCE_DAY (re-elected on time)."""
    end = start
    while True:
        nxt = date(end.year + years, end.month, min(end.day, 28))
        if nxt - timedelta(days=1) >= REFERENCE_DAY:
            return nxt - timedelta(days=1)
        end = nxt


# --- rows ----------------------------------------------------------------------------------------------------------------


def _uscc(head: str, n: int) -> str:
    """A valid 统一社会信用代码, unique by n."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    code = ""
    for _ in range(9):
        n, r = divmod(n, 31)
        code = alphabet[r] + code
    body = head + "431300" + code
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
    total = sum(alphabet.index(c) * w for c, w in zip(body, weights, strict=True))
    return body + alphabet[(31 - total) % 31]


def emit(world: World, sink) -> None:
    """Write the registry's rows in the order their references need."""
    cipher = crypto.get_cipher()
    sink.stream([Department], _departments(world))
    sink.stream([Association, AssociationStatus], _associations(world))
    sink.stream([Person], _people(world, cipher))
    sink.stream([PartyOrg, Coverage, CommitteeSeat, PartyGroup, PartyGroupMembership, PartyMembership],
                _orgs(world))
    sink.stream([PoliticalStatus], _statuses(world))
    sink.stream([Enterprise, EnterpriseMembership], _enterprises(world))
    sink.stream([Post, PublicOffice, InstructorAssignment], _posts(world))


def _departments(world: World):
    rng = stream(world.seed, "departments")
    for city in world.cities:
        for full, short in names.DEPARTMENTS:
            pk = world.ids.next(Department)
            city.departments[short] = pk
            short_name = "市" + short
            yield row(Department, id=pk, ref=f"D{pk:04d}", **names.keys((city.name, full), short_name),
                      short_name=short_name, contact_name="".join((SURNAMES.draw(rng), rng.choice(names.MALE))),
                      contact_phone=rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99999999):08d}")


def _associations(world: World):
    rng = stream(world.seed, "association_rows")
    for a in world.associations:
        registration = _uscc("51", a.id) if a.founded or a.dereg else ""
        chair = a.residents[0].name if a.residents else ""
        yield row(
            Association, id=a.id, ref=f"A{a.id:05d}", **names.keys(a.parts, registration), kind=a.kind,
            registration_number=registration, founded_on=a.founded, supervising_body=f"{a.city.name}工商业联合会",
            address=f"{a.county}{rng.choice(names.STREETS)}{rng.randint(1, 388)}号", contact_name=chair,
            contact_phone=f"0738-{rng.randint(8100000, 8899999)}" if a.founded else "")
        statuses = []
        if a.preparing:
            statuses.append((AssociationStatus.Status.PREPARING, a.preparing))
        if a.founded:
            statuses.append((AssociationStatus.Status.ACTIVE, a.founded))
        if a.dereg:
            statuses.append((AssociationStatus.Status.DEREGISTERED, a.dereg))
        for status, since in statuses:
            pk = world.ids.next(AssociationStatus)
            yield row(AssociationStatus, id=pk, ref=f"S{pk:06d}", association_id=a.id, status=status, since=since)


def _people(world: World, cipher):
    for p in world.people:
        yield row(Person, id=p.id, ref=f"P{p.id:06d}", **names.keys(p.parts), gender=p.gender, birth_date=p.birth,
                  phone=p.phone, phone_hash=cipher.lookup_hash(p.phone), is_entrepreneur=p.entrepreneur,
                  development_stage=p.stage)


def _orgs(world: World):
    for o in world.orgs:
        yield row(PartyOrg, id=o.id, ref=f"O{o.id:05d}", **names.keys(o.parts), kind=o.kind,
                  parent_id=o.parent.id if o.parent else None, established_on=o.established,
                  secretary_id=o.secretary.id if o.secretary else None, term_end=o.term_end,
                  has_committee=o.has_committee)
    for o in world.orgs:
        for a, since in o.covers:
            pk = world.ids.next(Coverage)
            yield row(Coverage, id=pk, ref=f"C{pk:06d}", party_org_id=o.id, association_id=a.id, since=since)
        for person, post, since in o.seats:
            pk = world.ids.next(CommitteeSeat)
            yield row(CommitteeSeat, id=pk, ref=f"W{pk:06d}", party_org_id=o.id, person_id=person.id, post=post,
                      since=since)
        for gid, name, established in o.groups:
            yield row(PartyGroup, id=gid, ref=f"G{gid:05d}", party_org_id=o.id, name=name, established_on=established)
        for k, (person, since, until) in enumerate(o.members):
            if o.groups:
                gid, _name, established = o.groups[k % len(o.groups)]
                if until is None or until >= established:
                    pk = world.ids.next(PartyGroupMembership)
                    yield row(PartyGroupMembership, id=pk, ref=f"GM{pk:06d}", party_group_id=gid, person_id=person.id,
                              since=max(since, established), until=until)
            pk = world.ids.next(PartyMembership)
            yield row(PartyMembership, id=pk, ref=f"R{pk:06d}", person_id=person.id, party_org_id=o.id, since=since,
                      until=until)


def _statuses(world: World):
    for p in world.people:
        for status, since, until, source in p.statuses:
            pk = world.ids.next(PoliticalStatus)
            yield row(PoliticalStatus, id=pk, ref=f"Z{pk:07d}", person_id=p.id, status=status, since=since, until=until,
                      source=source)


def _enterprises(world: World):
    rng = stream(world.seed, "firm_rows")
    for f in world.firms:
        section, words = names.TRADES[f.trade]
        place = f.owner.city.short if rng.random() < 0.7 else f.owner.home.county[:-1]
        form = "集团有限公司" if f.group else FORMS.draw(rng)
        uscc = _uscc("91", f.id)
        yield row(Enterprise, id=f.id, ref=f"E{f.id:07d}", **names.keys((place, f.owner.brand, rng.choice(words), form), uscc),
                  uscc=uscc, industry=section, size=f.size, contact_name=f.owner.name,
                  contact_phone=f.owner.phone)
        for a, since, until in f.memberships:
            pk = world.ids.next(EnterpriseMembership)
            yield row(EnterpriseMembership, id=pk, ref=f"M{pk:07d}", enterprise_id=f.id, association_id=a.id, since=since,
                      until=until)


def _posts(world: World):
    rng = stream(world.seed, "posts")

    def post(person, title, since, until=None, firm=None, assoc=None):
        pk = world.ids.next(Post)
        return row(Post, id=pk, ref=f"J{pk:07d}", person_id=person.id, enterprise_id=firm.id if firm else None,
                   association_id=assoc.id if assoc else None, title=title, since=since, until=until)

    for f in world.firms:
        yield post(f.owner, "法定代表人", f.founded, firm=f)
    for a in world.associations:
        if not a.founded:
            continue
        bosses = [p for p in a.residents if p.entrepreneur]
        if not bosses:
            continue
        elected = max(a.founded, rng.day_in(date(2015, 1, 1), LAST_PAST_DAY))
        if a.dereg:
            elected = min(elected, a.dereg - timedelta(days=365))
        chair = bosses[0]
        yield post(chair, "会长", elected, a.dereg, assoc=a)
        org = a.org_on(REFERENCE_DAY)
        if org and org.secretary is not chair and org.secretary in a.residents:
            yield post(org.secretary, "常务副会长", elected, a.dereg, assoc=a)
        staff = next((p for p in a.residents if not p.entrepreneur), None)
        if staff:
            yield post(staff, "秘书长", elected, a.dereg, assoc=a)
    for p in world.people:
        if p.entrepreneur or p.home is None or not p.home.firms:
            continue
        firm = p.home.firms[p.id % len(p.home.firms)]
        since = max(firm.founded, date(p.birth.year + 24, 3, 1))
        if since <= LAST_PAST_DAY:
            yield post(p, EMPLOYEE_TITLES[p.id % len(EMPLOYEE_TITLES)], since, firm=firm)
    for city in world.cities:
        for person, title, leader, since, until in city.leaders:
            pk = world.ids.next(PublicOffice)
            yield row(PublicOffice, id=pk, ref=f"GZ{pk:04d}", person_id=person.id, title=title, is_city_leader=leader,
                      since=since, until=until)
    for pk, person, a, org, post_title, since, until in world.instructor_rows:
        yield row(InstructorAssignment, id=pk, ref=f"I{pk:06d}", person_id=person.id, association_id=a.id,
                  party_org_id=org.id if org else None, source_unit=f"{person.city.name}工商联",
                  post=post_title, since=since, until=until)
