"""The demo's 服务第一要务 rows: pairings, visits and contacts, appeals with
their whole history, escalations, relief policies and who was told of them.

2022, the article's year (drawn from the builder's "service" stream, never
from `today`): 173 party members visit or contact member enterprises (F04),
on site, by phone, by WeChat (F05); 621 appeals are collected from member
enterprises (F06), mostly in the article's four fields; 151 of them, raised by
52 entrepreneurs, are assigned on site by the city party secretary and the
mayor (F07); every one is replied to, rated (a few 未评价) and closed within
2022. The recent months before `today` (the "service_recent" stream, rows
written after 2022's) hold appeals in every open state, a few overdue with
the escalations already sent, so that loading the demo and starting the
worker sends nothing for old appeals.
"""

from datetime import date, datetime, timedelta

from fourfirsts.core import workdays
from fourfirsts.core.sheets import REF_HEADER

YES, NO = "是", "否"
MEMBER, PROBATIONARY = "中共党员", "中共预备党员"
APPEALS_2022 = 621
ON_SITE_2022 = 151
RAISERS_2022 = 52
VISITORS_2022 = 173
RECENT_DAYS = 150
LIMIT = 5  # working days, the default of every category (service.limit.*)

# category label → (count in 2022, departments by short name, titles)
CATEGORIES = {
    "物流运输": (118, ("市交通运输局", "市公安局"), (
        "货车通行证办理难", "物流园区周边道路拥堵", "危化品运输车辆审验周期长", "货运车辆进城时段受限",
        "快递分拨中心用地手续", "冷链运输车辆通行受阻")),
    "资金周转": (104, ("市财政局", "市发展和改革委员会", "市工业和信息化局"), (
        "流动资金贷款续贷难", "政府工程款拖欠", "应收账款融资渠道少", "贷款担保费用偏高",
        "技改补贴资金未到位", "中小企业应急转贷需求")),
    "要素保障": (96, ("市人力资源和社会保障局", "市自然资源和规划局", "国网娄底供电公司"), (
        "熟练技术工人招聘难", "新建厂房用地报批慢", "高峰时段用电负荷不足", "工业用地土地证办理",
        "员工宿舍配套不足", "专线供电改造")),
    "原材料供应": (82, ("市工业和信息化局", "市商务局"), (
        "钢材价格上涨成本压力大", "原材料运输受阻", "进口原料报关周期长", "砂石供应紧张",
        "上游供货商断供", "大宗原料采购资金压力")),
    "行政审批": (52, ("市行政审批服务局", "市住房和城乡建设局"), (
        "施工许可证办理时间长", "环评审批进度慢", "消防验收手续繁琐", "项目立项备案咨询")),
    "行政执法": (30, ("市市场监督管理局", "市生态环境局"), (
        "多头重复检查", "环保限产标准不一", "处罚裁量标准咨询")),
    "税收": (34, ("市税务局",), ("增值税留抵退税办理", "研发费用加计扣除咨询", "出口退税进度慢")),
    "社保": (30, ("市人力资源和社会保障局",), ("社保费缓缴政策咨询", "稳岗返还未到账", "员工工伤认定")),
    "市场": (36, ("市商务局", "市市场监督管理局"), ("产品销售渠道窄", "商标被侵权", "参加展会补贴申请")),
    "技术": (21, ("市工业和信息化局",), ("技术改造项目申报", "高新技术企业认定辅导", "数字化转型咨询")),
    "法律": (18, ("市市场监督管理局", "市公安局"), ("合同纠纷法律咨询", "被恶意拖欠货款", "知识产权维权")),
}
KINDS = {"协调帮助": 55, "情况反映": 25, "投诉维权": 10, "个案咨询": 10}
CHANNELS = {"走访调研": 62, "营商码": 20, "热线电话": 8, "座谈会": 6, "其他": 4}
VISIT_CHANNELS = {"上门走访": 45, "电话": 28, "微信": 22, "其他": 5}
SESSIONS = (  # 2022 on-site sessions: day, leader's title, place
    (date(2022, 3, 17), "市委书记", "娄底经开区民营企业现场办公会"),
    (date(2022, 4, 21), "市长", "娄星区政企恳谈会"),
    (date(2022, 5, 19), "市委书记", "冷水江市企业现场办公会"),
    (date(2022, 6, 16), "市长", "涟源市民营企业座谈会"),
    (date(2022, 7, 14), "市委书记", "双峰县企业现场办公会"),
    (date(2022, 8, 18), "市长", "新化县民营企业座谈会"),
    (date(2022, 9, 15), "市委书记", "市工商联“营商环境直通车”现场交办会"),
    (date(2022, 10, 20), "市长", "娄底经开区政企恳谈会"),
    (date(2022, 11, 10), "市委书记", "娄星区民营企业现场办公会"),
    (date(2022, 11, 24), "市长", "市工商联民营企业家座谈会"),
)
REPLIES = ("已协调解决，企业表示认可", "已召开专题协调会，问题已解决", "已按政策办理完毕", "已作出书面答复并解释政策",
           "已联系企业当面沟通并办结")
POLICIES_2022 = (  # title, issuer, number, issued, industries
    ("国务院关于印发扎实稳住经济一揽子政策措施的通知", "国务院", "国发〔2022〕12号", date(2022, 5, 31), ""),
    ("关于进一步加大增值税期末留抵退税政策实施力度的公告", "财政部 税务总局", "财政部 税务总局公告2022年第14号",
     date(2022, 3, 21), ""),
    ("关于做好失业保险稳岗位提技能防失业工作的通知", "人力资源社会保障部", "人社部发〔2022〕23号", date(2022, 4, 29), ""),
    ("湖南省贯彻落实扎实稳住经济一揽子政策措施的实施方案", "湖南省人民政府", "湘政发〔2022〕9号", date(2022, 6, 10), ""),
    ("娄底市支持中小微企业纾困发展的若干措施", "娄底市人民政府办公室", "娄政办发〔2022〕8号", date(2022, 3, 28), ""),
    ("娄底市促进工业经济平稳增长的若干措施", "娄底市人民政府", "娄政发〔2022〕5号", date(2022, 4, 15), "C,D"),
    ("娄底市支持物流业降本增效的若干措施", "娄底市人民政府办公室", "娄政办发〔2022〕12号", date(2022, 6, 20), "F,G"),
    ("娄底市进一步优化营商环境的若干措施", "娄底市人民政府", "娄政发〔2022〕9号", date(2022, 8, 8), ""),
    ("娄底市建筑业企业纾困帮扶措施", "娄底市住房和城乡建设局", "娄建发〔2022〕21号", date(2022, 9, 5), "E"),
    ("娄底市稳岗扩岗专项支持计划", "娄底市人力资源和社会保障局", "娄人社发〔2022〕16号", date(2022, 10, 12), ""),
)
POLICY_CHANNELS = {"上门宣讲": 40, "微信": 30, "会议": 15, "电话": 10, "短信": 5}


def _work(d: date) -> bool:
    """A working day, without the database: the library's calendar, else Monday–Friday
    (what the service counts on for a year with no schedule saved, as in a new demo)."""
    return workdays.is_workday(d) if workdays.library_knows(d.year) else d.weekday() < 5


def _next_work(d: date) -> date:
    while not _work(d):
        d += timedelta(days=1)
    return d


def _add_work(d: date, n: int) -> date:
    d = _next_work(d)
    for _ in range(n):
        d = _next_work(d + timedelta(days=1))
    return d


def _previous_work(d: date) -> date:
    d -= timedelta(days=1)
    while not _work(d):
        d -= timedelta(days=1)
    return d


def _hhmm(t: datetime) -> str:
    text = f"{t:%H:%M}"
    return "" if text == "09:00" else text  # 09:00 is written blank, as the export writes it


def _party_on(person, day: date) -> bool:
    return any(label in (MEMBER, PROBATIONARY) and since <= day and (until is None or until >= day)
               for label, since, until, _ in person.statuses)


def _member_on(firm, day: date) -> bool:
    return any(a.founded and since <= day and (until is None or until >= day) for a, since, until in firm.memberships)


class _Service:
    def __init__(self, b):
        self.b, self.today = b, b.today
        self.departments = {row["简称"]: row[REF_HEADER] for row in b.rows["承办单位"]}
        self.staff = [p.name for p in b.cadres[:5]]
        self.cap: datetime | None = None  # no step after this (the recent appeals: yesterday afternoon)
        self.firms_of: dict = {}
        for firm in b.firms:
            self.firms_of.setdefault(firm.owner, []).append(firm)

    @property
    def rng(self):
        return self.b.rng

    def row(self, sheet: str, ref: str, **cells) -> None:
        self.b.rows.setdefault(sheet, []).append({REF_HEADER: ref, **cells})

    # -- time ------------------------------------------------------------------------------

    def later(self, t: datetime, low: int, high: int) -> datetime:
        """Some minutes after t, within office hours (08:30–17:30) on a working day."""
        t = t + timedelta(minutes=self.rng.randint(low, high) // 5 * 5)
        if t.hour * 60 + t.minute > 17 * 60 + 30 or not _work(t.date()):
            day = _next_work(t.date() + timedelta(days=1)) if t.hour >= 12 or not _work(t.date()) else t.date()
            t = datetime(day.year, day.month, day.day, 8, 30) + timedelta(minutes=self.rng.randint(0, 18) * 5)
        return t

    def days_later(self, t: datetime, low: int, high: int) -> datetime:
        day = _add_work(t.date(), self.rng.randint(low, high))
        return datetime(day.year, day.month, day.day, 8, 30) + timedelta(minutes=self.rng.randint(0, 100) * 5)

    # -- people and firms ------------------------------------------------------------------

    def party_members(self, first: date, last: date):
        """Party members all through first…last with member firms in their home association."""
        out = []
        for org in self.b.orgs:
            for person, _since, _until in org.members:
                if person.home is None or not (_party_on(person, first) and _party_on(person, last)):
                    continue
                if any(_member_on(f, first) or _member_on(f, last) for f in person.home.enterprises):
                    out.append(person)
        return sorted(set(out), key=lambda p: p.ref)

    def firm_of(self, person, day: date):
        firms = [f for f in person.home.enterprises if _member_on(f, day)] if person.home else []
        return self.rng.choice(firms) if firms else None

    # -- rows --------------------------------------------------------------------------------

    def visit(self, visitor, firm, day: date, channel: str) -> str:
        ref = self.b.next_ref("走访联系", "V", 5)
        notes = {"上门走访": "走访了解企业生产经营情况", "电话": "电话了解企业近况", "微信": "微信联系，宣传惠企政策",
                 "其他": "座谈交流"}[channel]
        self.row("走访联系", ref, 走访人=visitor.ref, 企业=firm.ref, 方式=channel, 日期=day, 情况记录=notes)
        return ref

    def appeal(self, *, firm, raiser, collector, channel, category, when: datetime, visit="") -> str:
        ref = self.b.next_ref("问题诉求", "Q", 4)
        rng = self.rng
        tags = rng.choice(((YES, NO, NO), (NO, YES, NO), (NO, NO, YES), (YES, YES, NO), (NO, YES, YES)))
        title = rng.choice(CATEGORIES[category][2])
        by_code = channel == "营商码"
        self.row(
            "问题诉求", ref, 企业=firm.ref, 提出人=raiser.ref if raiser else "", 收集人=collector.ref if collector else "",
            渠道=channel, 类别=category, 性质=self.b.pick(KINDS), 堵点=tags[0], 痛点=tags[1], 难点=tags[2],
            标题=title, 诉求内容=f"{firm.name}反映：{title}，希望有关部门协调解决。", 收集日期=when.date(),
            收集时刻=_hhmm(when), 来源走访=visit, 联系人=firm.contact_name if by_code else "",
            联系电话=firm.contact_phone if by_code else "", 同意提供联系方式=YES if by_code else NO,
        )
        self.steps = 0
        self.current = ref
        return ref

    def step(self, action: str, t: datetime, who: str, *, note="", department="", leader="", place="", on_site=None,
             days=None, rating="", basis="") -> None:
        self.steps += 1
        if self.cap is not None and t > self.cap:
            t = self.cap
        self.row(
            "诉求办理记录", f"{self.current}-{self.steps:02d}", 问题诉求=self.current, 操作=action, 日期=t.date(),
            时刻=_hhmm(t), 办理人=who, 承办单位=self.departments[department] if department else "",
            交办领导=leader, 交办地点=place, 现场交办日期=on_site, 延期天数=days, 评价=rating, 退回依据=basis, 说明=note,
        )

    def history(self, t: datetime, category: str, *, until: str = "closed", leader=None, place="",
                deadline: date | None = None) -> datetime:
        """The steps of one appeal from collection at t to the state `until`;
        returns the time of the last step. `leader`: (person, day) assigned on
        site; `deadline`: no 未评价 closing after it."""
        rng = self.rng
        staff = rng.choice(self.staff)
        department = rng.choice(CATEGORIES[category][1])
        if until == "collected":
            return t
        if leader is not None:
            t = datetime.combine(leader[1], datetime.min.time()) + timedelta(hours=15, minutes=rng.randint(0, 11) * 5)
            self.step("现场交办", t, staff, department=department, leader=leader[0].ref, place=place, on_site=t.date())
        else:
            t = self.later(t, 30, 1800)
            if until == "declined":
                self.step("不予受理", t, staff, note="属于司法程序中的事项，已告知企业通过诉讼途径解决")
                return t
            self.step("受理", t, staff)
            if until == "accepted":
                return t
            t = self.later(t, 20, 300)
            self.step("交办", t, staff, department=department)
        self.assigned = t
        if until == "assigned":
            return t
        t = self.later(t, 60, 900)
        self.step("签收", t, department)
        if until == "signed":
            return t
        if until == "returned":
            t = self.later(t, 60, 900)
            self.step("退回", t, department, note="不属于本单位职责范围", basis="《娄底市人民政府部门职能配置规定》")
            return t
        t = self.later(t, 30, 600)
        self.step("办理", t, department)
        if until == "handling":
            return t
        if until == "extension_requested" or (until == "closed" and rng.random() < 0.08):
            t = self.later(t, 600, 2400)
            days = rng.choice((2, 3, 5))
            self.step("申请延期", t, department, days=days, note="涉及多个部门，需协调后答复")
            if until == "extension_requested":
                return t
            t = self.later(t, 60, 900)
            self.step("批准延期", t, staff, days=days)
        redo = 2 if until == "rated" else (1 if until == "closed" and rng.random() < 0.04 else 0)
        for round_ in range(redo + 1):
            t = self.days_later(t, 1, 3)
            self.step("答复", t, department, note=rng.choice(REPLIES))
            if until == "replied":
                return t
            rate_at = self.days_later(t, 1, 2)
            if round_ < redo:
                self.step("重办", rate_at, staff, rating="不满意", note="企业认为问题未解决")
                t = self.later(rate_at, 60, 900)
            elif until == "rated":
                self.step("不满意待定", rate_at, staff, rating="不满意", note="企业仍不满意，提请党委研究")
                return rate_at
            else:
                t = rate_at
        roll = rng.random()
        unrated = datetime.combine(_add_work(t.date(), 10), datetime.min.time()) + timedelta(hours=1)
        if roll < 0.08 and (deadline is None or unrated.date() <= deadline):
            t = unrated
            self.step("未评价办结", t, "系统", rating="未评价")
        else:
            self.step("回访评价", t, staff, rating="满意" if roll < 0.8 else "基本满意", note="电话回访")
        return t


def build(b) -> None:
    """The service rows, appended to the builder's (see the module's docstring)."""
    s = _Service(b)
    _year_2022(s)
    b.stage("service_recent")
    _recent(s)


def _year_2022(s: _Service) -> None:
    b, rng = s.b, s.rng
    first, last = date(2022, 1, 4), date(2022, 12, 28)
    # Pairings: party members with firms of their association, from 2020 to 2022.
    pool = s.party_members(date(2022, 1, 1), date(2022, 12, 31))
    for person in rng.sample(pool, 120):
        since = b.day_in(date(2020, 3, 1), date(2022, 10, 31))
        firm = s.firm_of(person, since)
        if firm is None:
            continue
        ended = rng.random() < 0.1 and since < date(2021, 6, 1)
        until = b.day_in(since + timedelta(days=200), date(2022, 12, 20)) if ended else None
        s.row("结对联系", b.next_ref("结对联系", "PR", 4), 联系人=person.ref, 企业=firm.ref, 结对日期=since, 结束日期=until,
              备注="每月至少联系一次")
    # Visits and contacts: 173 party members, each a few times in the year.
    visitors = rng.sample(pool, VISITORS_2022)
    visits = []
    for person in visitors:
        for _ in range(rng.randint(2, 8)):
            day = b.day_in(first, last)
            firm = s.firm_of(person, day)
            if firm is None:
                continue
            visits.append((day, person, firm, b.pick(VISIT_CHANNELS)))
        if not any(v[1] is person for v in visits):  # at least one, on a day the firm was a member
            day = date(2022, 12, 28)
            visits.append((day, person, s.firm_of(person, day) or s.firm_of(person, first), "电话"))
    visits.sort(key=lambda v: (v[0], v[1].ref, v[2].ref))
    visit_refs = [(s.visit(person, firm, day, channel), day, person, firm) for day, person, firm, channel in visits]

    # 151 on-site appeals: 52 entrepreneurs at the ten sessions, 2 to 5 each.
    leaders = {title: p for p, title, leader, since, until in b.offices if leader and since <= date(2022, 1, 1)}
    counts = [2] * RAISERS_2022
    while sum(counts) < ON_SITE_2022:
        i = rng.randrange(RAISERS_2022)
        counts[i] += counts[i] < 5
    entrepreneurs = sorted((p for p in b.people if p.entrepreneur), key=lambda p: p.ref)
    raisers, on_site = [], []
    for n, (day, title, place) in enumerate(SESSIONS):
        attending = [p for p in entrepreneurs if p not in raisers
                     and any(_member_on(f, day - timedelta(days=5)) for f in s.firms_of.get(p, ()))]
        take = RAISERS_2022 // len(SESSIONS) + (n < RAISERS_2022 % len(SESSIONS))
        for person in rng.sample(attending, take):
            raisers.append(person)
            firms = [f for f in s.firms_of[person] if _member_on(f, day - timedelta(days=5))]
            for _ in range(counts[len(raisers) - 1]):
                on_site.append((day, title, place, person, rng.choice(firms)))
    categories = [c for c, (n, _d, _t) in CATEGORIES.items() for _ in range(n)]
    rng.shuffle(categories)
    # The other 470: through visits, 营商码, the hotline, symposiums.
    others = []
    for _i in range(APPEALS_2022 - ON_SITE_2022):
        channel = b.pick(CHANNELS)
        if channel == "走访调研":
            ref, day, person, firm = rng.choice([v for v in visit_refs if v[1] <= date(2022, 11, 25)])
            others.append((day, channel, firm, firm.owner, person, ref))
            continue
        day = b.day_in(first, date(2022, 11, 25))
        firm = rng.choice([f for f in b.firms if _member_on(f, day)])
        collector = rng.choice(visitors) if channel in ("座谈会", "其他") else None
        others.append((day, channel, firm, None if channel == "营商码" else firm.owner, collector, ""))
    appeals = [(day - timedelta(days=rng.randint(1, 4)), "座谈会", firm, person, None, "", (leaders[title], day), place)
               for day, title, place, person, firm in on_site]
    appeals += [(*o, None, "") for o in others]
    appeals.sort(key=lambda a: (a[0], a[2].ref))
    for (day, channel, firm, raiser, collector, visit, leader, place), category in zip(appeals, categories, strict=True):
        when = datetime(day.year, day.month, day.day, 9, 0) + timedelta(minutes=rng.randint(0, 96) * 5)
        s.appeal(firm=firm, raiser=raiser, collector=collector, channel=channel, category=category, when=when,
                 visit=visit)
        end = s.history(when, category, leader=leader, place=place, deadline=date(2022, 12, 30))
        if end.year > 2022:
            raise ValueError(f"{s.current}: 2022年的诉求应在2022年内办结")

    # Relief policies and who told which firm.
    notices = set()
    for title, issuer, number, issued, industries in POLICIES_2022:
        ref = b.next_ref("惠企政策", "PL", 3)
        s.row("惠企政策", ref, 标题=title, 发文机关=issuer, 文号=number, 发布日期=issued, 施行日期=issued,
              有效期至=None, 适用行业=industries, 摘要=f"{title}的主要内容和申报条件。", 原文链接="")
        for person in rng.sample(visitors, 20):
            day = b.day_in(issued + timedelta(days=1), min(issued + timedelta(days=60), date(2022, 12, 28)))
            firm = s.firm_of(person, day)
            if firm is None or (ref, firm.ref, day) in notices:
                continue
            notices.add((ref, firm.ref, day))
            s.row("政策告知", b.next_ref("政策告知", "PN", 4), 政策=ref, 企业=firm.ref, 告知人=person.ref, 告知日期=day,
                  方式=b.pick(POLICY_CHANNELS), 备注="")


# Recent appeals: (state, how many, working days before today it was collected)
RECENT_OPEN = (
    ("collected", 3, (1, 3)), ("accepted", 3, (1, 3)), ("declined", 2, (5, 30)), ("assigned", 3, (1, 2)),
    ("signed", 3, (1, 2)), ("handling", 4, (1, 2)), ("extension_requested", 2, (2, 2)), ("returned", 2, (3, 20)),
    ("replied", 4, (4, 4)), ("rated", 1, (40, 45)),
)
OVERDUE = (("signed", 2), ("handling", 3))


def _recent(s: _Service) -> None:
    b, rng, today = s.b, s.rng, s.today
    start = max(date(2023, 1, 3), today - timedelta(days=RECENT_DAYS))
    yesterday = today - timedelta(days=1)
    pool = s.party_members(start, yesterday)
    for person in rng.sample(pool, min(15, len(pool))):
        since = b.day_in(start, yesterday)
        firm = s.firm_of(person, since)
        if firm:
            s.row("结对联系", b.next_ref("结对联系", "PR", 4), 联系人=person.ref, 企业=firm.ref, 结对日期=since,
                  结束日期=None, 备注="")
    visits = []
    for person in rng.sample(pool, min(80, len(pool))):
        for _ in range(rng.randint(1, 5)):
            day = b.day_in(start, yesterday)
            firm = s.firm_of(person, day)
            if firm:
                visits.append((day, person, firm, b.pick(VISIT_CHANNELS)))
    visits.sort(key=lambda v: (v[0], v[1].ref, v[2].ref))
    for day, person, firm, channel in visits:
        s.visit(person, firm, day, channel)

    def firm_on(day):
        return rng.choice([f for f in b.firms if _member_on(f, day)])

    def at(day):
        return datetime(day.year, day.month, day.day, 9, 0) + timedelta(minutes=rng.randint(0, 90) * 5)

    def back(n):  # n working days before today
        d = today
        for _ in range(n):
            d = _previous_work(d)
        return d

    categories = list(CATEGORIES)
    plan = []
    s.cap = datetime.combine(yesterday, datetime.min.time()) + timedelta(hours=16)
    for day in sorted(b.day_in(start, back(40)) for _ in range(70)):  # closed in these months
        plan.append((day, "closed"))
    for state, count, (low, high) in RECENT_OPEN:
        plan += [(back(rng.randint(low, high)), state) for _ in range(count)]
    overdue = [(back(rng.randint(30, 40)), state) for state, count in OVERDUE for _ in range(count)]
    leaders = [(p, since, until) for p, title, leader, since, until in b.offices if leader]
    for day, state in sorted(plan + [(d, f"overdue-{st}") for d, st in overdue], key=lambda p: p[0]):
        category = rng.choice(categories)
        firm = firm_on(day)
        when = at(day)
        s.appeal(firm=firm, raiser=firm.owner, collector=None, channel=b.pick(CHANNELS), category=category, when=when)
        on_site = None
        if state == "closed" and rng.random() < 0.1:
            session = _next_work(day + timedelta(days=2))
            holder = next((p for p, since, until in leaders if since <= session and (until is None or until >= session)),
                          None)
            on_site = (holder, session) if holder and session < back(15) else None
        overdue_state = state.removeprefix("overdue-")
        s.history(when, category, until=overdue_state, leader=on_site, place="民营企业现场办公会" if on_site else "")
        if state.startswith("overdue-"):
            due = _add_work(s.assigned.date(), LIMIT)
            for step, when_ in (("催办", _previous_work(due)), ("催办通知书", _add_work(due, 1)),
                                ("通报", _add_work(due, 5))):
                s.row("诉求督办", f"{s.current}-{_STEP_CODES[step]}", 问题诉求=s.current, 督办环节=step, 日期=when_,
                      时刻="08:00", 当时的办理期限=due)

    # A recent policy and its notices.
    issued = b.day_in(start, back(10))
    ref = b.next_ref("惠企政策", "PL", 3)
    s.row("惠企政策", ref, 标题=f"娄底市{issued.year}年支持民营经济高质量发展若干措施", 发文机关="娄底市人民政府",
          文号=f"娄政发〔{issued.year}〕{rng.randint(10, 30)}号", 发布日期=issued, 施行日期=issued, 有效期至=None,
          适用行业="", 摘要="支持民营经济发展的融资、用地、用工和减税降费措施。", 原文链接="")
    told = set()
    for person in rng.sample(pool, min(30, len(pool))):
        day = b.day_in(issued + timedelta(days=1), yesterday)
        firm = s.firm_of(person, day)
        if firm and (firm.ref, day) not in told:
            told.add((firm.ref, day))
            s.row("政策告知", b.next_ref("政策告知", "PN", 4), 政策=ref, 企业=firm.ref, 告知人=person.ref, 告知日期=day,
                  方式=b.pick(POLICY_CHANNELS), 备注="")


_STEP_CODES = {"催办": "reminder", "催办通知书": "notice", "通报": "circular"}
