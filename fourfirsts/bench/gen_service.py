"""服务第一要务 rows of the benchmark data: pairings, visits, appeals with their
whole workflow history, escalations, relief policies and who was told.

Each appeal's life is simulated step by step as services/appeals.py would
record it (accept, assign with the category's working-day limit and its due
date from core.workdays' calendar, sign, handle, sometimes an extension, a
return and 重新交办, or 重办 after 不满意, reply, then 回访评价 or 未评价办结
after the rating window), a quarter of them assigned on site by the city
leader in office that day. Every step is a WorkflowEvent with the data the
services write; the steps after CUTOFF (the afternoon of REFERENCE_DAY) are
cut off, and the appeal's fields are those the kept steps set; a third of
the last 40 days' appeals stop earlier, waiting for their next step. So the
recent appeals stand in every open state, some overdue (with the escalations
already sent), and every past year's "as of" figure reads its own history.
"""

from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType

from fourfirsts.bench.gen_base import (
    CUTOFF,
    REFERENCE_DAY,
    YEARS,
    Calendar,
    Weighted,
    at,
    row,
    stream,
)
from fourfirsts.core import rules
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.service import rules as service_rules
from fourfirsts.service.models import Appeal, Escalation, Pairing, Policy, PolicyNotice, Visit
from fourfirsts.service.workflow import APPEAL_WORKFLOW

S = Appeal.State
R = Appeal.Rating
TARGET = {t.action: t.target for t in APPEAL_WORKFLOW.transitions}
WORKFLOW = APPEAL_WORKFLOW.name
SYSTEM_KIND = WorkflowEvent.ActorKind.SYSTEM
SYSTEM_LABEL = "系统"
# A third of the appeals of the last 40 days wait for their next step.
STALL_SINCE = REFERENCE_DAY - timedelta(days=40)
STALL_SHARE = 0.35

# category → (weight, department short names, titles)
CATEGORIES = {
    "logistics": (118, ("交通运输局", "公安局"), ("货车通行证办理难", "物流园区周边道路拥堵", "货运车辆进城时段受限")),
    "funding": (104, ("财政局", "发展和改革委员会", "工业和信息化局"), ("流动资金贷款续贷难", "政府工程款拖欠",
                                                                  "应收账款融资渠道少")),
    "factors": (96, ("人力资源和社会保障局", "自然资源和规划局", "供电公司"), ("熟练技术工人招聘难", "新建厂房用地报批慢",
                                                                      "高峰时段用电负荷不足")),
    "materials": (82, ("工业和信息化局", "商务局"), ("钢材价格上涨成本压力大", "原材料运输受阻", "砂石供应紧张")),
    "approval": (52, ("行政审批服务局", "住房和城乡建设局"), ("施工许可证办理时间长", "环评审批进度慢", "消防验收手续繁琐")),
    "enforcement": (30, ("市场监督管理局", "生态环境局"), ("多头重复检查", "环保限产标准不一")),
    "tax": (34, ("税务局",), ("增值税留抵退税办理", "研发费用加计扣除咨询")),
    "social_security": (30, ("人力资源和社会保障局",), ("社保费缓缴政策咨询", "稳岗返还未到账")),
    "market": (36, ("商务局", "市场监督管理局"), ("产品销售渠道窄", "商标被侵权")),
    "technology": (21, ("工业和信息化局",), ("技术改造项目申报", "高新技术企业认定辅导")),
    "legal": (18, ("市场监督管理局", "公安局"), ("合同纠纷法律咨询", "被恶意拖欠货款")),
}
CATEGORY = Weighted({c: w for c, (w, _d, _t) in CATEGORIES.items()})
KINDS = Weighted({Appeal.Kind.COORDINATION: 55, Appeal.Kind.REPORT: 25, Appeal.Kind.COMPLAINT: 10,
                  Appeal.Kind.CONSULTATION: 10})
CHANNELS = Weighted({Appeal.Channel.VISIT: 62, Appeal.Channel.BUSINESS_CODE: 20, Appeal.Channel.HOTLINE: 8,
                     Appeal.Channel.SYMPOSIUM: 6, Appeal.Channel.OTHER: 4})
VISIT_CHANNELS = Weighted({Visit.Channel.ON_SITE: 45, Visit.Channel.PHONE: 28, Visit.Channel.WECHAT: 22,
                           Visit.Channel.OTHER: 5})
VISIT_NOTES = {Visit.Channel.ON_SITE: "走访了解企业生产经营情况", Visit.Channel.PHONE: "电话了解企业近况",
               Visit.Channel.WECHAT: "微信联系，宣传惠企政策", Visit.Channel.OTHER: "座谈交流"}
TAGS = ((True, False, False), (False, True, False), (False, False, True), (True, True, False), (False, True, True))
REPLIES = ("已协调解决，企业表示认可", "已召开专题协调会，问题已解决", "已按政策办理完毕", "已作出书面答复并解释政策")
SESSION_PLACES = ("民营企业现场办公会", "政企恳谈会", "“营商环境直通车”现场交办会", "民营企业家座谈会")
POLICY_CHANNELS = Weighted({PolicyNotice.Channel.ON_SITE: 40, PolicyNotice.Channel.WECHAT: 30,
                            PolicyNotice.Channel.MEETING: 15, PolicyNotice.Channel.PHONE: 10,
                            PolicyNotice.Channel.SMS: 5})
POLICY_TITLES = ("支持中小微企业纾困发展的若干措施", "促进工业经济平稳增长的若干措施", "支持物流业降本增效的若干措施",
                 "进一步优化营商环境的若干措施", "建筑业企业纾困帮扶措施", "稳岗扩岗专项支持计划",
                 "支持民营经济高质量发展若干措施", "促进消费扩容提质的若干措施", "科技创新券实施办法",
                 "企业上市奖励办法")


def emit(world, sink) -> None:
    s = _Service(world)
    sink.stream([Pairing, Visit], s.contacts())
    sink.stream([Appeal, WorkflowEvent, Escalation], s.appeals())
    sink.stream([Policy, PolicyNotice], s.policies())


def _year_days(year: int) -> tuple[date, date]:
    """The days of the year that hold data (up to the day before REFERENCE_DAY)."""
    return date(year, 1, 1), min(date(year, 12, 31), REFERENCE_DAY - timedelta(days=1))


def _share_of_year(year: int) -> float:
    first, last = _year_days(year)
    return ((last - first).days + 1) / (366 if year % 4 == 0 else 365)


class _Service:
    def __init__(self, world):
        self.world = world
        self.cal = Calendar()
        self.visitors = {c.index: [p for o in world.orgs if o.city is c and o.parent is not None
                                   for p, _s, until in o.members if p.home is not None and until is None]
                         for c in world.cities}
        self.staff = {c.index: [p.name for p, _s, _u in c.root.members[:3]] for c in world.cities}

    # -- pairings and visits --------------------------------------------------------------------------------------

    def _firm_of(self, rng, person, day):
        firms = person.home.firms
        for _ in range(3):
            firm = firms[rng.randrange(len(firms))] if firms else None
            if firm is not None and firm.member_on(day):
                return firm
        return None

    def contacts(self):
        world, rng = self.world, stream(self.world.seed, "contacts")
        pool = [p for c in world.cities for p in self.visitors[c.index]]
        for person in rng.sample(pool, len(pool) // 2):
            since = rng.day_in(date(2020, 3, 1), REFERENCE_DAY - timedelta(days=10))
            firm = self._firm_of(rng, person, since)
            if firm is None:
                continue
            until = None
            if rng.random() < 0.1 and since + timedelta(days=200) < REFERENCE_DAY - timedelta(days=5):
                until = rng.day_in(since + timedelta(days=200), REFERENCE_DAY - timedelta(days=5))
            pk = world.ids.next(Pairing)
            yield row(Pairing, id=pk, ref=f"PR{pk:06d}", person_id=person.id, enterprise_id=firm.id, since=since,
                      until=until, note="每月至少联系一次")
        for year in YEARS:
            first, last = _year_days(year)
            for _ in range(round(world.counts["visits_per_year"] * _share_of_year(year))):
                person = pool[rng.randrange(len(pool))]
                day = rng.day_in(first, last)
                firm = self._firm_of(rng, person, day)
                if firm is None or not person.party_on(day):
                    continue
                channel = VISIT_CHANNELS.draw(rng)
                pk = world.ids.next(Visit)
                yield row(Visit, id=pk, ref=f"V{pk:07d}", visitor_id=person.id, enterprise_id=firm.id, channel=channel,
                          visited_on=day, notes=VISIT_NOTES[channel])

    # -- appeals --------------------------------------------------------------------------------------------------

    def appeals(self):
        world, rng = self.world, stream(self.world.seed, "appeals")
        content_type = ContentType.objects.get_for_model(Appeal).id
        self.limits = {c: service_rules.limit_for(c, REFERENCE_DAY) for c in CATEGORIES}
        self.window = int(rules.value("service.rating_window", on=REFERENCE_DAY))
        self.max_redo = int(rules.value("service.max_redo", on=REFERENCE_DAY))
        self.department_labels = {pk: "市" + short for c in world.cities for short, pk in c.departments.items()}
        firms = world.firms
        for year in YEARS:
            first, last = _year_days(year)
            for _ in range(round(world.counts["appeals_per_year"] * _share_of_year(year))):
                day = rng.day_in(first, last)
                firm = None
                for _try in range(5):
                    candidate = firms[rng.randrange(len(firms))]
                    if candidate.member_on(day):
                        firm = candidate
                        break
                if firm is None:
                    continue
                yield from self._appeal(rng, firm, day, content_type)

    def _later(self, rng, t, low: int, high: int):
        """Some minutes after t, within office hours on a working day."""
        t = t + timedelta(minutes=rng.randint(low, high) // 5 * 5)
        if t.hour * 60 + t.minute > 17 * 60 + 30 or not self.cal.is_workday(t.date()):
            day = t.date() if t.hour < 12 and self.cal.is_workday(t.date()) else self.cal.next_workday(
                t.date() + timedelta(days=1))
            t = at(day, 8, 30) + timedelta(minutes=rng.randint(0, 18) * 5)
        return t

    def _days_later(self, rng, t, low: int, high: int):
        day = self.cal.add(t.date(), rng.randint(low, high))
        return at(day, 8, 30) + timedelta(minutes=rng.randint(0, 100) * 5)

    def _appeal(self, rng, firm, day: date, content_type: int):
        world = self.world
        city = firm.owner.city
        category = CATEGORY.draw(rng)
        channel = CHANNELS.draw(rng)
        _w, departments, titles = CATEGORIES[category]
        title = rng.choice(titles)
        tags = rng.choice(TAGS)
        collected = at(day, 9) + timedelta(minutes=rng.randint(0, 96) * 5)
        pk = world.ids.next(Appeal)
        by_code = channel == Appeal.Channel.BUSINESS_CODE
        collector = None
        if channel in (Appeal.Channel.VISIT, Appeal.Channel.SYMPOSIUM, Appeal.Channel.OTHER):
            pool = self.visitors[city.index]
            collector = pool[rng.randrange(len(pool))] if pool else None
        fields = dict(
            id=pk, ref=f"Q{pk:07d}", enterprise_id=firm.id, raised_by_id=None if by_code else firm.owner.id,
            collected_by_id=collector.id if collector else None, channel=channel, category=category,
            kind=KINDS.draw(rng), is_blockage=tags[0], is_pain_point=tags[1], is_difficulty=tags[2], title=title,
            description=f"企业反映：{title}，希望有关部门协调解决。", collected_at=collected,
            contact_name=firm.owner.name if by_code else "", contact_phone=firm.owner.phone if by_code else "",
            contact_consent=by_code, tracking_token=f"{rng.getrandbits(128):032x}", state=S.COLLECTED)
        department = city.departments[rng.choice(departments)]
        staff = rng.choice(self.staff[city.index])
        on_site = None
        if rng.random() < 0.25:
            session = self.cal.next_workday(day + timedelta(days=rng.randint(1, 4)))
            leaders = world.leader_on(city, session)
            if leaders and session <= REFERENCE_DAY:
                on_site = (leaders[rng.randrange(len(leaders))], session, city.name + rng.choice(SESSION_PLACES))
        events = self._timeline(rng, collected, category, department, staff, on_site)
        if day > STALL_SINCE and rng.random() < STALL_SHARE:
            # Waiting for its next step (the committee's, the department's or the
            # enterprise's rating): a recent appeal open in any state, late if its
            # clock ran out. A reply waits no longer than the rating window.
            k = rng.randrange(len(events))
            if k and events[k - 1][0] == "reply" and self.cal.between(events[k - 1][1].date(), REFERENCE_DAY) >= self.window:
                k += 1
            events = events[:k]
        state = S.COLLECTED
        for action, t, label, note, data, changes in events:
            if t >= CUTOFF:
                break
            yield row(WorkflowEvent, id=world.ids.next(WorkflowEvent), content_type_id=content_type, object_id=pk,
                      workflow=WORKFLOW, action=action, old_state=state, new_state=TARGET[action],
                      actor_kind=SYSTEM_KIND, actor_label=label, at=t, note=note, data=data)
            state = TARGET[action]
            fields.update(changes)
        fields["state"] = state
        if "first_assigned_at" in fields and fields.get("closed_at"):
            fields["close_days"] = self.cal.elapsed(fields["first_assigned_at"].date(), fields["closed_at"].date())
        yield row(Appeal, **fields)
        if state in Appeal.RUNNING_STATES:
            yield from self._escalations(pk, fields["due_at"], fields["assigned_at"])

    def _timeline(self, rng, t, category: str, department: int, staff: str, on_site) -> list[tuple]:
        """(action, at, actor label, note, event data, appeal field changes) of the whole life."""
        cal = self.cal
        out = []
        limit = self.limits[category]
        label = self.department_labels[department]

        def clock(at_, reassign=False):
            due = cal.due_at(at_, limit)
            changes = {"department_id": department, "assigned_at": at_, "limit_days": limit, "extension_days": 0,
                       "requested_extension_days": 0, "due_at": due, "due_on_fallback": False}
            if not reassign:
                changes["first_assigned_at"] = at_
            return due, changes

        if on_site is not None:
            leader, session, place = on_site
            t = at(session, 15, rng.randint(0, 11) * 5)
            due, changes = clock(t)
            changes.update(assigned_by_id=leader.id, assigned_place=place, assigned_on_site_on=session)
            out.append(("assign_on_site", t, staff, "", {"department": department, "leader": leader.id,
                                                         "place": place, "on": session.isoformat(),
                                                         "due_at": due.isoformat()}, changes))
        else:
            t = self._later(rng, t, 30, 1800)
            if rng.random() < 0.01:
                reason = "属于司法程序中的事项，已告知企业通过诉讼途径解决"
                out.append(("decline", t, staff, reason, {}, {"decline_reason": reason}))
                return out
            out.append(("accept", t, staff, "", {}, {}))
            t = self._later(rng, t, 20, 300)
            due, changes = clock(t)
            out.append(("assign", t, staff, "", {"department": department, "due_at": due.isoformat()}, changes))
        t = self._later(rng, t, 60, 900)
        out.append(("sign", t, label, "", {}, {"signed_at": t}))
        if rng.random() < 0.01:
            t = self._later(rng, t, 60, 900)
            basis = "《部门职能配置规定》"
            out.append(("return", t, label, "不属于本单位职责范围", {"basis": basis},
                        {"return_count": 1, "return_reason": "不属于本单位职责范围", "return_basis": basis}))
            t = self._later(rng, t, 60, 900)
            due, changes = clock(t, reassign=True)
            out.append(("reassign", t, staff, "", {"department": department, "due_at": due.isoformat()}, changes))
            t = self._later(rng, t, 60, 900)
            out.append(("sign", t, label, "", {}, {"signed_at": t}))
        t = self._later(rng, t, 30, 600)
        out.append(("handle", t, label, "", {}, {}))
        if rng.random() < 0.08:
            days = rng.choice((2, 3, 5))
            t = self._later(rng, t, 600, 2400)
            out.append(("request_extension", t, label, "涉及多个部门，需协调后答复", {"days": days},
                        {"requested_extension_days": days}))
            t = self._later(rng, t, 60, 900)
            due = cal.due_at(t_assigned(out), limit + days)
            out.append(("approve_extension", t, staff, "", {"days": days, "due_at": due.isoformat()},
                        {"extension_days": days, "extension_count": 1, "requested_extension_days": 0, "due_at": due}))
        slow = rng.random() < 0.05
        roll = rng.random()
        stubborn = roll < 0.005  # 不满意 after every 重办: the committee closes it with a note
        redos = self.max_redo if stubborn else int(roll < 0.03)
        for round_ in range(redos + 1):
            t = self._days_later(rng, t, 8, 25) if slow and round_ == 0 else self._days_later(rng, t, 1, 3)
            reply = rng.choice(REPLIES)
            out.append(("reply", t, label, reply, {}, {"reply": reply, "replied_at": t}))
            rated = self._days_later(rng, t, 1, 2)
            if round_ < redos:
                out.append(("redo", rated, staff, "企业认为问题未解决", {"rating": R.UNSATISFIED},
                            {"rating": R.UNSATISFIED, "rated_at": rated, "redo_count": round_ + 1, "rating_in_history": True}))
            elif stubborn:
                out.append(("rate_unsatisfied", rated, staff, "企业仍不满意，提请党委研究", {"rating": R.UNSATISFIED},
                            {"rating": R.UNSATISFIED, "rated_at": rated, "rating_in_history": True}))
                closed = self._days_later(rng, rated, 2, 5)
                out.append(("close", closed, staff, "经党委研究，已向企业解释说明，予以办结", {}, {"closed_at": closed}))
                return out
            t = rated
        roll = rng.random()
        if roll < 0.08:
            closed = at(cal.add(t_reply(out).date(), self.window) + timedelta(days=1), 1)
            out.append(("close_unrated", closed, SYSTEM_LABEL, "", {}, {"rating": R.UNRATED, "closed_at": closed}))
        else:
            rating = R.SATISFIED if roll < 0.8 else R.FAIRLY_SATISFIED
            out.append(("rate", t, staff, "电话回访", {"rating": rating},
                        {"rating": rating, "rated_at": t, "closed_at": t, "rating_in_history": True}))
        return out

    def _escalations(self, appeal: int, due, assigned):
        """The escalation steps (APL-2) come due by REFERENCE_DAY for an appeal still running then."""
        cal, today = self.cal, REFERENCE_DAY
        due_day = due.date()
        steps = []
        if cal.between(today, due_day) <= 1:
            steps.append((Escalation.Step.REMINDER, at(cal.previous(due_day), 8)))
        late = cal.between(due_day, today)
        if late >= 1:
            steps.append((Escalation.Step.NOTICE, at(cal.add(due_day, 1), 8)))
        if late >= 5:
            steps.append((Escalation.Step.CIRCULAR, at(cal.add(due_day, 5), 8)))
        for step, when in steps:
            yield row(Escalation, id=self.world.ids.next(Escalation), appeal_id=appeal, step=step, at=min(max(when, assigned), CUTOFF), due_at=due)

    # -- policies ---------------------------------------------------------------------------------------------------

    def policies(self):
        world, rng = self.world, stream(self.world.seed, "policies")
        for year in YEARS:
            first, last = _year_days(year)
            for k in range(max(1, round(world.counts["policies_per_year"] * _share_of_year(year)))):
                city = world.cities[k % len(world.cities)]
                issued = rng.day_in(first, last - timedelta(days=20) if last - first > timedelta(days=40) else last)
                pk = world.ids.next(Policy)
                title = f"{city.name}{POLICY_TITLES[(year + k) % len(POLICY_TITLES)]}"
                yield row(Policy, id=pk, ref=f"PL{pk:05d}", title=title, issuer=f"{city.name}人民政府",
                          document_number=f"〔{year}〕{k + 1}号", issued_on=issued, effective_from=issued,
                          industries="", summary=f"{title}的主要内容和申报条件。")
                pool = self.visitors[city.index]
                told = set()
                for person in rng.sample(pool, min(20, len(pool))):
                    day = rng.day_in(issued + timedelta(days=1), min(issued + timedelta(days=60), REFERENCE_DAY))
                    firm = self._firm_of(rng, person, day)
                    if firm is None or (firm.id, day) in told:
                        continue
                    told.add((firm.id, day))
                    notice = world.ids.next(PolicyNotice)
                    yield row(PolicyNotice, id=notice, ref=f"PN{notice:06d}", policy_id=pk, enterprise_id=firm.id,
                              told_by_id=person.id, told_on=day, channel=POLICY_CHANNELS.draw(rng))


def t_assigned(events):
    """When the clock last started (assign, assign_on_site or reassign)."""
    return next(t for action, t, *_r in reversed(events) if action in ("assign", "assign_on_site", "reassign"))


def t_reply(events):
    return next(t for action, t, *_r in reversed(events) if action == "reply")
