"""第一身份 and 第一责任 rows of the benchmark data.

- Volunteering: activities of the seeded kinds (文明劝导 and 弯腰行动 every
  year) by the branches, members' hours confirmed by the secretary (the
  last two months' partly still reported); villages with their weak years,
  pairings (an enterprise, a group, an association: 40 % before the five
  years, the rest spread over them), projects and the money paid in by date;
  donations.
- Membership: the developments World planned (gen_registry.py), with their
  step records, the people they name, and the activists' reviews.
- Governance: honours recognised every year (valid two years, some without
  an end), charters with their clauses (all required ones where a party org
  covers the association), yearly standardisation assessments, support,
  instructors' logs (weekly contacts, monthly visits; a few instructors
  lax), and the establishment of the associations set up during the years.
"""

from datetime import date, timedelta
from decimal import Decimal

from fourfirsts.bench import gen_names as names
from fourfirsts.bench.gen_base import REFERENCE_DAY, WINDOW_START, YEARS, Weighted, row, stream
from fourfirsts.governance.models import (
    REQUIRED_CLAUSES,
    Assessment,
    AssessmentScore,
    Charter,
    CharterClause,
    Checklist,
    ChecklistItem,
    Clause,
    Establishment,
    EstablishmentStep,
    Honour,
    InstructorLog,
    Support,
)
from fourfirsts.membership import workflow as membership_workflow
from fourfirsts.membership.models import Development, Review, StepRecord
from fourfirsts.registry.models import PartyOrg
from fourfirsts.volunteering.models import (
    Activity,
    ActivityKind,
    Donation,
    Pairing,
    PairingEnterprise,
    Participation,
    Payment,
    Project,
    Village,
    WeakYears,
)

ACTIVITY_KINDS = Weighted({ActivityKind.CIVILITY: 25, ActivityKind.BEND_DOWN: 30, "community": 15,
                           "civilization": 10, "grassroots": 10, "rural": 10})
ACTIVITY_TITLES = {ActivityKind.CIVILITY: "文明交通劝导", ActivityKind.BEND_DOWN: "进社区“弯腰行动”捡拾垃圾",
                   "community": "党员志愿服务进社区", "civilization": "文明城市创建志愿服务",
                   "grassroots": "协助社区基层治理", "rural": "乡村振兴志愿服务"}
ACTIVITY_PLACES = ("城区主干道路口", "火车站广场", "城市公园", "社区服务中心", "农贸市场")
INDUSTRY_PROJECTS = ("油茶种植基地", "高山蔬菜基地", "黄精种植", "生猪养殖场", "中药材种植", "稻虾综合种养", "光伏发电",
                     "农产品加工厂", "茶叶种植加工", "楠竹加工", "肉牛养殖", "乡村旅游", "柑橘种植", "食用菌基地")
OTHER_PROJECTS = {  # tag → (class, names)
    Project.Tag.EMPLOYMENT: (Project.Klass.BUSINESS, ("扶贫车间", "劳务输出对接")),
    Project.Tag.CONSUMPTION: (Project.Klass.BUSINESS, ("农产品消费帮扶", "以购代捐")),
    Project.Tag.WELFARE: (Project.Klass.PUBLIC, ("村道硬化", "安全饮水工程", "村部修缮")),
    Project.Tag.TALENT: (Project.Klass.PUBLIC, ("乡村人才培训",)),
    Project.Tag.CULTURE: (Project.Klass.PUBLIC, ("农家书屋", "村级文化广场")),
}
BENEFIT_LINKS = (Project.Link.LAND_RENT, Project.Link.WAGES, Project.Link.ORDERS, Project.Link.SHARES)
ITEMS = (("组织设置规范、届期未满", 15), ("支部委员会健全", 10), ("党员组织关系转入", 10), ("三会一课和主题党日", 20),
         ("第一议题落实", 10), ("发展党员", 10), ("阵地和经费保障", 10), ("党建进章程", 5), ("台账规范", 5),
         ("服务会员、万企兴万村、公益成效", 5))
OPTIONAL_CLAUSES = [c for c in Clause.values if c not in REQUIRED_CLAUSES]


def emit(world, sink) -> None:
    sink.stream([Activity, Participation], _activities(world))
    sink.stream([Village, WeakYears, Pairing, PairingEnterprise, Project, Payment], _villages(world))
    sink.stream([Donation], _donations(world))
    sink.stream([Development, StepRecord, StepRecord.people.through, Review], _developments(world))
    sink.stream([Honour, Charter, CharterClause, Checklist, ChecklistItem, Assessment, AssessmentScore, Support],
                _governance(world))
    sink.stream([InstructorLog, Establishment, EstablishmentStep], _logs(world))


def _days(year: int) -> tuple[date, date]:
    return date(year, 1, 1), min(date(year, 12, 31), REFERENCE_DAY - timedelta(days=1))


def _branches(world, day: date) -> list:
    return [o for o in world.orgs if o.parent is not None and o.established < day]


# --- volunteering ---------------------------------------------------------------------------------------------


def _activities(world):
    rng = stream(world.seed, "activities")
    kinds = dict(ActivityKind.objects.values_list("ref", "id"))
    branches = [o for o in world.orgs if o.parent is not None]
    recent = REFERENCE_DAY - timedelta(days=60)
    for year in YEARS:
        first, last = _days(year)
        share = ((last - first).days + 1) / 365
        for k in range(max(2, round(world.counts["activities_per_year"] * share))):
            code = (ActivityKind.CIVILITY, ActivityKind.BEND_DOWN)[k] if k < 2 else ACTIVITY_KINDS.draw(rng)
            day = rng.day_in(first, last)
            org = branches[rng.randrange(len(branches))]
            people = org.members_on(day) if org.established < day else []
            if not people:
                org = world.cities[0].root
                people = org.members_on(day)
            assoc = org.covers[0][0] if org.covers and rng.random() < 0.5 else None
            hours = rng.choice((2, 2, 3, 4))
            pk = world.ids.next(Activity)
            title = ACTIVITY_TITLES[code]
            yield row(Activity, id=pk, ref=f"HD{pk:06d}", kind_id=kinds[code], title=title, party_org_id=org.id,
                      association_id=assoc.id if assoc else None, held_on=day,
                      place=rng.choice(ACTIVITY_PLACES), description=f"{org.name}组织党员开展{title}。",
                      hours=hours)
            for person in rng.sample(people, min(len(people), rng.randint(3, 8))):
                waiting = day > recent and rng.random() < 0.4
                part = world.ids.next(Participation)
                yield row(
                    Participation, id=part, ref=f"SC{part:07d}", activity_id=pk, person_id=person.id, hours=hours,
                    status=Participation.Status.REPORTED if waiting else Participation.Status.CONFIRMED,
                    decided_by="" if waiting else org.secretary.name,
                    decided_on=None if waiting else min(REFERENCE_DAY, day + timedelta(days=rng.randint(1, 5))))


def _villages(world):
    rng = stream(world.seed, "villages")
    n = world.counts["villages"]
    per_county = max(3, n // (len(world.cities) * 6 * 15))
    townships: dict = {}
    used = set()
    pairings = []  # (pairing id, village parts, paired_on, enterprise id or None)
    with_firms = {c.index: [a for a in world.associations if a.city is c and a.firms] for c in world.cities}
    for k in range(n):
        city = world.cities[k % len(world.cities)]
        county = rng.choice(city.counties)
        if county not in townships:
            townships[county] = list(dict.fromkeys(
                rng.choice(names.PLACE_SYLLABLES) + rng.choice(names.PLACE_SYLLABLES) + rng.choice(names.TOWN_ENDINGS)
                for _ in range(per_county)))
        township = rng.choice(townships[county])
        for _try in range(50):
            parts = (rng.choice(names.PLACE_SYLLABLES), rng.choice(names.VILLAGE_SECOND), "村")
            if (county, township, parts) not in used:
                break
        else:
            continue
        used.add((county, township, parts))
        pk = world.ids.next(Village)
        yield row(Village, id=pk, ref=f"CZ{pk:06d}", **names.keys(parts, county, township), province="湖南省",
                  city=city.name, county=county, township=township)
        if rng.random() < 0.8:
            since = rng.randint(2018, 2024)
            w = world.ids.next(WeakYears)
            yield row(WeakYears, id=w, ref=f"BR{w:06d}", village_id=pk, since_year=since,
                      until_year=None if rng.random() < 0.3 else since + rng.randint(2, 5))
        if rng.random() < 0.4:
            paired = rng.day_in(date(2019, 1, 1), date(2021, 12, 31))
        else:
            year = YEARS[k % len(YEARS)]
            paired = rng.day_in(*_days(year))
        pairing = _pairing(world, rng, pk, city, paired, with_firms[city.index])
        if pairing is None:
            continue
        yield from pairing[0]
        pairings.append((pairing[1], parts, paired, pairing[2], city))
    yield from _projects(world, rng, pairings)


def _pairing(world, rng, village: int, city, paired: date, associations: list):
    """The village's pairing by an association of its city in operation that day (drawn, not searched)."""
    assoc = None
    for _ in range(20):
        candidate = associations[rng.randrange(len(associations))] if associations else None
        if candidate is not None and candidate.operating_on(paired):
            assoc = candidate
            break
    if assoc is None:
        return None
    firms = [f for f in assoc.firms[:50] if f.member_on(paired)]
    pk = world.ids.next(Pairing)
    way = Pairing.Way.ASSOCIATION if not firms or rng.random() < 0.2 else (
        Pairing.Way.GROUP if len(firms) > 2 and rng.random() < 0.25 else Pairing.Way.ENTERPRISE)
    chosen = [] if way == Pairing.Way.ASSOCIATION else rng.sample(firms, 3 if way == Pairing.Way.GROUP else 1)
    rows = [row(Pairing, id=pk, ref=f"JD{pk:06d}", village_id=village, way=way, association_id=assoc.id,
                enterprise_id=chosen[0].id if chosen else None, paired_on=paired)]
    for firm in chosen[1:]:
        pe = world.ids.next(PairingEnterprise)
        rows.append(row(PairingEnterprise, id=pe, ref=f"JQ{pe:06d}", pairing_id=pk, enterprise_id=firm.id))
    return rows, pk, chosen[0].id if chosen else None


def _projects(world, rng, pairings):
    if not pairings:
        return
    tags = Weighted({Project.Tag.INDUSTRY: 55, **dict.fromkeys(OTHER_PROJECTS, 9)})
    for j in range(world.counts["projects"]):
        pairing, village_parts, paired, enterprise, _city = pairings[j % len(pairings)]
        tag = tags.draw(rng)
        if tag == Project.Tag.INDUSTRY:
            klass, word = Project.Klass.BUSINESS, rng.choice(INDUSTRY_PROJECTS)
        else:
            klass, words = OTHER_PROJECTS[tag]
            word = rng.choice(words)
        starts = rng.day_in(paired, min(paired + timedelta(days=400), REFERENCE_DAY - timedelta(days=10)))
        village = "".join(village_parts)
        content = f"{village}{word}，带动村民增收。"
        business = klass == Project.Klass.BUSINESS
        jobs = rng.randint(3, 40) if business else 0
        amounts = [rng.randint(5, 300) * 10_000 for _ in range(rng.randint(1, 3))]
        pk = world.ids.next(Project)
        yield row(
            Project, id=pk, ref=f"XM{pk:06d}", **names.keys((*village_parts, word), village, content[:50]), pairing_id=pairing,
            enterprise_id=enterprise, klass=klass, tag=tag, content=content,
            planned_funds=Decimal(sum(amounts) // 100_000 * 100_000 + 500_000),
            goods_value=Decimal(rng.choice((0, 0, 20_000, 50_000))), jobs_fixed=jobs, jobs_temporary=jobs * 2,
            households=rng.randint(10, 120), income_increase=Decimal(rng.randint(2, 30) * 10_000 if business else 0),
            benefit_link=rng.choice(BENEFIT_LINKS) if business else "", starts_on=starts,
            status=Project.Status.COMPLETED if starts.year < 2023 and rng.random() < 0.3 else Project.Status.ONGOING,
            progress="按计划实施")
        for i, amount in enumerate(amounts):
            paid = rng.day_in(starts, min(starts + timedelta(days=700), REFERENCE_DAY))
            pay = world.ids.next(Payment)
            yield row(Payment, id=pay, ref=f"ZJ{pay:07d}", project_id=pk, paid_on=paid, amount=Decimal(amount),
                      note="首期资金" if i == 0 else "")


def _donations(world):
    rng = stream(world.seed, "donations")
    kinds = Weighted({Donation.Kind.EDUCATION: 40, Donation.Kind.HARDSHIP: 40, Donation.Kind.OTHER: 20})
    recipients = {Donation.Kind.EDUCATION: "山区中小学贫困学生", Donation.Kind.HARDSHIP: "结对村困难群众",
                  Donation.Kind.OTHER: "社区志愿服务站"}
    for year in YEARS:
        first, last = _days(year)
        branches = _branches(world, first)
        for k in range(max(2, world.counts["donations_per_year"])):
            kind = (Donation.Kind.EDUCATION, Donation.Kind.HARDSHIP)[k] if k < 2 else kinds.draw(rng)
            day = rng.day_in(first, last)
            firm = world.firms[rng.randrange(len(world.firms))]
            pk = world.ids.next(Donation)
            yield row(Donation, id=pk, ref=f"JZ{pk:06d}", kind=kind, donor_kind=Donation.DonorKind.ENTERPRISE,
                      donor_enterprise_id=firm.id, recipient=f"{recipients[kind]}{rng.randint(5, 40)}名",
                      amount=Decimal(rng.randint(5, 50) * 1_000), goods_value=Decimal(rng.choice((0, 0, 5_000))),
                      donated_on=day, party_org_id=branches[rng.randrange(len(branches))].id if branches else None)


# --- membership -------------------------------------------------------------------------------------------------


def _developments(world):
    rng = stream(world.seed, "development_rows")
    through = StepRecord.people.through
    stages = {"2.3": "activist", "3.7": "candidate", "4.17": "probationary", "5.24": "full"}
    labels = {s.code: str(s.label) for s in membership_workflow.STEPS}
    for dev in world.developments:
        stage = "applicant"
        for code, _day, _p in dev.steps:
            stage = stages.get(code, stage)
        yield row(Development, id=dev.id, ref=f"RD{dev.id:05d}", person_id=dev.person.id, party_org_id=dev.org.id,
                  applied_on=dev.applied, is_entrepreneur=True, stage=stage, last_code=dev.steps[-1][0])
        actor = dev.org.secretary.name if dev.org.secretary else dev.org.name
        for n, (code, day, people) in enumerate(dev.steps, start=1):
            pk = world.ids.next(StepRecord)
            extra = {}
            if code in ("3.7", "5.23"):
                extra.update(notice_from=day - timedelta(days=21), notice_to=day - timedelta(days=1))
            if code == "3.11":
                extra.update(training_days=3, training_hours=24)
            if code in ("4.15", "5.23"):
                entitled = max(5, len(dev.org.members_on(day)))
                present = entitled - rng.randint(0, entitled // 4)
                extra.update(voters_entitled=entitled, voters_present=present, votes_yes=present)
            yield row(StepRecord, id=pk, ref=f"RD{dev.id:05d}-{n:02d}", development_id=dev.id, code=code, done_on=day,
                      actor_label=actor, note=labels[code],
                      people_refs="、".join(sorted(f"P{p.id:06d}" for p in people)), **extra)
            for person in people:
                yield row(through, id=world.ids.next(through), steprecord_id=pk, person_id=person.id)
        for day in dev.reviews:
            pk = world.ids.next(Review)
            yield row(Review, id=pk, ref=f"RV{pk:06d}", development_id=dev.id, reviewed_on=day, actor_label=actor,
                      note="思想上积极要求进步，能发挥先锋模范作用")


# --- governance --------------------------------------------------------------------------------------------------


def _governance(world):
    rng = stream(world.seed, "governance")
    yield from _honours(world, rng)
    yield from _charters(world, rng)
    yield from _assessments(world, rng)
    for year in YEARS:
        first, last = _days(year)
        for org in _branches(world, first):
            if rng.random() < 0.4:
                pk = world.ids.next(Support)
                yield row(Support, id=pk, ref=f"SZ{pk:06d}", party_org_id=org.id, kind=Support.Kind.FUNDS,
                          amount=Decimal(rng.choice((5_000, 10_000, 20_000, 30_000))),
                          purpose=rng.choice(("党建活动阵地建设", "党员教育培训", "主题党日活动")),
                          given_on=rng.day_in(first, last), given_by="商会")


def _honours(world, rng):
    n_assoc = len(world.associations)
    n_orgs = len(world.orgs)
    plan = ((Honour.Kind.FOUR_GOOD, Honour.Level.NATIONAL, max(1, round(0.02 * n_assoc))),
            (Honour.Kind.FOUR_GOOD, Honour.Level.PROVINCIAL, max(2, round(0.06 * n_assoc))),
            (Honour.Kind.BENCHMARK, Honour.Level.PROVINCIAL, max(1, round(0.02 * n_orgs))),
            (Honour.Kind.BENCHMARK, Honour.Level.CITY, max(1, round(0.04 * n_orgs))))

    def honour(**values):
        pk = world.ids.next(Honour)
        return row(Honour, id=pk, ref=f"HN{pk:06d}", **values)

    for year in (YEARS[0] - 1, *YEARS):
        first = date(year, 3, 1)
        last = min(date(year, 11, 30), REFERENCE_DAY - timedelta(days=1))
        associations = [a for a in world.associations if a.operating_on(first)]
        orgs = [o for o in world.orgs if o.parent is not None and o.established < first]
        for kind, level, count in plan:
            holders = associations if kind == Honour.Kind.FOUR_GOOD else orgs
            for holder in rng.sample(holders, min(count, len(holders))):
                day = rng.day_in(first, last)
                until = None if kind == Honour.Kind.BENCHMARK and rng.random() < 0.5 else (
                    date(year + 2, day.month, 1) - timedelta(days=1))
                assoc = holder if kind == Honour.Kind.FOUR_GOOD else None
                yield honour(kind=kind, level=level, association_id=assoc.id if assoc else None,
                             party_org_id=None if assoc else holder.id, cycle=f"{year}—{year + 1}",
                             stage=Honour.Stage.RECOGNISED, recognised_on=day, valid_until=until)
    for a in rng.sample([a for a in world.associations if a.founded], min(3, len(world.associations))):
        yield honour(kind=Honour.Kind.FOUR_GOOD, level=Honour.Level.PROVINCIAL, association_id=a.id,
                     cycle=f"{YEARS[-1] + 1}—{YEARS[-1] + 2}", stage=rng.choice(
                         (Honour.Stage.DECLARED, Honour.Stage.RECOMMENDED, Honour.Stage.VETTED)))


def _charters(world, rng):
    def charter(a, year, clauses):
        pk = world.ids.next(Charter)
        approved = rng.day_in(max(a.founded, date(year, 2, 1)), min(date(year, 11, 30), REFERENCE_DAY))
        yield row(Charter, id=pk, ref=f"ZC{pk:06d}", association_id=a.id, version=f"{year}年修订版", approved_on=approved)
        for n, clause in enumerate(clauses, start=3):
            c = world.ids.next(CharterClause)
            yield row(CharterClause, id=c, ref=f"ZT{c:07d}", charter_id=pk, clause=clause, evidence=f"第{n}条")

    for a in world.associations:
        if not a.founded or rng.random() < 0.25:
            continue
        covered = bool(a.covers)
        clauses = list(REQUIRED_CLAUSES) if covered or rng.random() < 0.4 else list(
            REQUIRED_CLAUSES[:rng.randint(1, 3)])
        clauses += [c for c in OPTIONAL_CLAUSES if rng.random() < 0.5]
        yield from charter(a, rng.randint(max(2016, a.founded.year), max(2021, a.founded.year)), clauses)
        if rng.random() < 0.2:  # revised during the five years, with every required clause
            yield from charter(a, rng.choice(YEARS), list(REQUIRED_CLAUSES))


def _assessments(world, rng):
    for year in YEARS:
        if date(year, 12, 20) > REFERENCE_DAY:
            continue  # the year's assessment is held in December
        checklist = world.ids.next(Checklist)
        yield row(Checklist, id=checklist, ref=f"KH{checklist:03d}", name="商会党组织规范化建设考核", year=year)
        items = []
        for n, (name, weight) in enumerate(ITEMS, start=1):
            pk = world.ids.next(ChecklistItem)
            items.append((pk, weight))
            yield row(ChecklistItem, id=pk, ref=f"KX{pk:04d}", checklist_id=checklist, name=name, weight=weight, order=n)
        for org in _branches(world, date(year, 1, 1)):
            pk = world.ids.next(Assessment)
            yield row(Assessment, id=pk, ref=f"KP{pk:06d}", checklist_id=checklist, party_org_id=org.id,
                      assessed_on=rng.day_in(date(year, 12, 1), date(year, 12, 20)))
            for item, weight in items:
                score = max(0, weight - rng.choice((0, 0, 0, 1, 1, 2, 3)))
                s = world.ids.next(AssessmentScore)
                yield row(AssessmentScore, id=s, ref=f"KF{s:07d}", assessment_id=pk, item_id=item, score=score,
                          evidence="台账、会议记录" if score == weight else "")


def _logs(world):
    rng = stream(world.seed, "instructor_logs")
    contacts = ("电话了解党员思想动态", "微信联系书记商议活动", "督促三会一课")
    for pk, _person, _a, _org, _post, since, until in world.instructor_rows:
        end = min(until or REFERENCE_DAY, REFERENCE_DAY)
        day = max(since, WINDOW_START)
        diligent = rng.random() < 0.8
        while day <= end:
            if rng.random() < (0.9 if diligent else 0.5):
                log = world.ids.next(InstructorLog)
                yield row(InstructorLog, id=log, ref=f"ZD{log:07d}", assignment_id=pk, kind=InstructorLog.Kind.CONTACT,
                          held_on=day, notes=rng.choice(contacts))
            if day.day <= 7 and rng.random() < (0.95 if diligent else 0.4):
                log = world.ids.next(InstructorLog)
                yield row(InstructorLog, id=log, ref=f"ZD{log:07d}", assignment_id=pk, kind=InstructorLog.Kind.VISIT,
                          held_on=min(end, day + timedelta(days=2)), notes="实地走访，指导党组织规范化建设")
            day += timedelta(days=7)
    for a in world.associations:
        if not a.preparing:
            continue
        org = next((o for o, _since in a.covers if o.kind == PartyOrg.Kind.BRANCH), None)
        pk = world.ids.next(Establishment)
        yield row(Establishment, id=pk, ref=f"TJ{pk:05d}", association_id=a.id, registered_on=a.preparing,
                  org_name=f"{a.name}党支部", org_kind=PartyOrg.Kind.BRANCH, parent_id=a.city.root.id,
                  party_org_id=org.id if org else None)
        steps = [(EstablishmentStep.Step.COMMITMENT, 3), (EstablishmentStep.Step.SURVEY, 6)]
        if org:
            span = max(12, (org.established - a.preparing).days)
            steps += [(EstablishmentStep.Step.APPROVAL, span // 2), (EstablishmentStep.Step.TRANSFER, span * 3 // 4),
                      (EstablishmentStep.Step.FOUNDING, span)]
        for step, days in steps:
            done = a.preparing + timedelta(days=days)
            if done <= REFERENCE_DAY:
                s = world.ids.next(EstablishmentStep)
                yield row(EstablishmentStep, id=s, ref=f"TB{s:06d}", establishment_id=pk, step=step, done_on=done)
