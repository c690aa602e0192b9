"""The demo's 擦亮第一身份 rows: volunteer activities with their hours, 万企兴万村
villages, pairings, projects and the money paid in by date, and donations.

2022, the article's year (drawn from the builder's "volunteering" stream,
never from `today`): 5 文明劝导 and 7 弯腰行动 activities (F08, F09); 42 weak
villages paired by the end of 2022, each weak in the year of its first pairing
(F10; a few other villages are paired but were not weak then, or are weak but
paired later); 59 industry projects started by then (F11); 127,000,000 yuan
paid in to projects by 31 Dec 2022 (F12, 1.27亿元); 60,000 yuan for education
(F13, 6万元) and 93,600 yuan of hardship relief (F14, 9万余元) donated by then.
The recent months before `today` (the "volunteering_recent" stream) hold
further activities, some hours still waiting for the secretary, payments
and donations.
"""

from datetime import date

from fourfirsts.core.sheets import REF_HEADER

CIVILITY_2022 = 5
BEND_DOWN_2022 = 7
WEAK_VILLAGES_2022 = 42
INDUSTRY_PROJECTS_2022 = 59
FUNDS_2022 = 127_000_000
EDUCATION_2022 = 60_000
HARDSHIP_2022 = 93_600

TOWNSHIPS = {
    "新化县": ("琅塘镇", "吉庆镇", "水车镇", "奉家镇", "维山乡"),
    "涟源市": ("桥头河镇", "六亩塘镇", "石马山镇", "杨市镇"),
    "双峰县": ("井字镇", "青树坪镇", "梓门桥镇", "甘棠镇"),
    "冷水江市": ("渣渡镇", "岩口镇", "毛易镇"),
    "娄星区": ("杉山镇", "双江乡", "蛇形山镇"),
}
VILLAGE_FIRST = "石大新杨白金龙长高黄青桃枫竹梅荷上下东西"
VILLAGE_SECOND = "井塘田山溪坪冲桥湾岭"
INDUSTRY = ("油茶种植基地", "高山蔬菜基地", "黄精种植", "生猪养殖场", "中药材种植", "稻虾综合种养", "光伏发电",
            "农产品加工厂", "茶叶种植加工", "楠竹加工", "肉牛养殖", "乡村旅游", "柑橘种植", "食用菌基地")
OTHER_PROJECTS = {  # tag → (class, names)
    "employment": ("business", ("扶贫车间", "劳务输出对接")),
    "consumption": ("business", ("农产品消费帮扶", "以购代捐")),
    "welfare": ("public", ("村道硬化", "安全饮水工程", "村部修缮")),
    "talent": ("public", ("乡村人才培训",)),
    "culture": ("public", ("农家书屋", "村级文化广场")),
}
BENEFIT_LINKS = ("land_rent", "wages", "orders", "shares")
PLACES = ("娄星区乐坪大道", "娄底火车站广场", "涟滨公园", "珠山公园", "贺家社区", "大科街道社区", "春园社区")
OTHER_KINDS = ("community", "civilization", "grassroots", "rural")
TITLES = {
    "civility_persuasion": "文明交通劝导",
    "bend_down": "进社区“弯腰行动”捡拾垃圾",
    "community": "党员志愿服务进社区",
    "civilization": "文明城市创建志愿服务",
    "grassroots": "协助社区基层治理",
    "rural": "乡村振兴志愿服务",
}


def _split(rng, total: int, parts: int, step: int = 1000) -> list[int]:
    """`total` in `parts` positive multiples of `step` (the last takes the rest)."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(parts)]
    scale = total / sum(weights)
    amounts = [max(step, int(w * scale) // step * step) for w in weights[:-1]]
    amounts.append(total - sum(amounts))
    assert amounts[-1] > 0
    return amounts


class _Volunteering:
    def __init__(self, b):
        self.b = b
        self.rng = b.rng
        self.project_rows: dict[str, dict] = {}
        self.orgs = [o for o in b.orgs if o.parent is not None and o.established <= date(2020, 12, 31)]
        self.assocs = [a for a in b.associations if a.founded and a.founded <= date(2019, 1, 1)
                       and any(since <= date(2019, 1, 1) for f in a.enterprises for x, since, _ in f.memberships
                               if x is a)]

    def row(self, sheet: str, prefix: str, width: int, **cells) -> str:
        return self.b.add(sheet, prefix, width, **cells)

    # -- activities -------------------------------------------------------------------------

    def members_on(self, org, day: date):
        return [p for p, since, until in org.members if since <= day and (until is None or until >= day)]

    def activity(self, code: str, day: date, *, recent: bool = False) -> None:
        org = self.rng.choice(self.orgs)
        hours = self.rng.choice((2, 2, 3, 4))
        ref = self.row("志愿活动", "HD", 4, 类型=code, 主题=TITLES[code], 党组织=org.ref, 日期=day,
                       地点=self.rng.choice(PLACES), 活动内容=f"{org.name}组织党员开展{TITLES[code]}。",
                       每人服务时长=hours)
        people = self.members_on(org, day)
        for person in self.rng.sample(people, min(len(people), self.rng.randint(3, 8))):
            waiting = recent and self.rng.random() < 0.4
            self.row("志愿服务时长", "SC", 5, 志愿活动=ref, 人员=person.ref, 服务时长=hours,
                     状态="reported" if waiting else "confirmed", 确认日期="" if waiting else day)

    def activities(self) -> None:
        for year, counts in ((2021, {"civility_persuasion": 3, "bend_down": 4}),
                             (2022, {"civility_persuasion": CIVILITY_2022, "bend_down": BEND_DOWN_2022})):
            for code in OTHER_KINDS:
                counts[code] = self.rng.randint(1, 3)
            for code, n in counts.items():
                for i in range(n):
                    self.activity(code, self.b.spread(date(year, 1, 10), date(year, 12, 20), i * 53 + 7))

    # -- villages, pairings, projects, payments ---------------------------------------------

    def village(self) -> tuple[str, str]:
        county = self.rng.choice(list(TOWNSHIPS))
        township = self.rng.choice(TOWNSHIPS[county])
        name = self.b.unique("village", lambda: self.rng.choice(VILLAGE_FIRST) + self.rng.choice(VILLAGE_SECOND) + "村")
        ref = self.row("村庄", "CZ", 3, 省="湖南省", 市="娄底市", **{"县（市、区）": county, "乡镇（街道）": township},
                       村=name)
        return ref, county

    def pairing(self, village: str, day: date, *, association_only: bool = False) -> tuple[str, date]:
        assoc = self.rng.choice(self.assocs)
        firms = [f for f in assoc.enterprises for a, since, until in f.memberships
                 if a is assoc and since <= day and (until is None or until >= day)]
        if association_only or not firms:
            ref = self.row("结对帮扶", "JD", 3, 村庄=village, 结对方式="association", 商协会=assoc.ref, 结对日期=day)
            return ref, day
        group = len(firms) > 2 and self.rng.random() < 0.25
        lead, *others = self.rng.sample(firms, 3 if group else 1)
        ref = self.row("结对帮扶", "JD", 3, 村庄=village, 结对方式="group" if group else "enterprise",
                       商协会=assoc.ref, 企业=lead.ref, 结对日期=day)
        for firm in others:
            self.row("结对帮扶企业", "JQ", 3, 结对帮扶=ref, 企业=firm.ref)
        return ref, day

    def project(self, pairing: str, paired: date, name: str, tag: str, klass: str, starts: date,
                status: str = "ongoing") -> tuple[str, date]:
        jobs = self.rng.randint(3, 40) if klass == "business" else 0
        ref = self.row(
            "帮扶项目", "XM", 3, 结对帮扶=pairing, 项目名称=name, 项目类别=klass, 帮扶类型=tag,
            项目内容=f"{name}，带动村民增收。", 计划投资=0, 捐赠物资折价=self.rng.choice((0, 0, 20000, 50000)),
            带动固定就业=jobs, 带动临时就业=jobs * 2, 受益农户=self.rng.randint(10, 120),
            村集体增收=self.rng.randint(2, 30) * 10000 if klass == "business" else 0,
            利益联结方式=self.rng.choice(BENEFIT_LINKS) if klass == "business" else "", 开始日期=starts,
            状态=status, 进展情况="按计划实施" if status == "ongoing" else "已建成投产")
        self.project_rows[ref] = self.b.rows["帮扶项目"][-1]
        return ref, starts

    def villages(self) -> None:
        b, rng = self.b, self.rng
        paired: list[tuple[str, date]] = []
        for i in range(WEAK_VILLAGES_2022):
            village, _ = self.village()
            day = b.spread(date(2020, 3, 1), date(2022, 11, 30), i * 37 + 11)
            self.row("薄弱村认定", "BR", 3, 村庄=village, 起始年份=2018 + i % 3, 截止年份=2023 + i % 3)
            paired.append(self.pairing(village, day))
        for i in range(6):  # paired, never weak
            village, _ = self.village()
            paired.append(self.pairing(village, b.spread(date(2021, 3, 1), date(2022, 10, 30), i * 41),
                                       association_only=i % 2 == 0))
        for i in range(3):  # weak 2019–2021, first paired in 2022: not a weak village when paired
            village, _ = self.village()
            self.row("薄弱村认定", "BR", 3, 村庄=village, 起始年份=2019, 截止年份=2021)
            paired.append(self.pairing(village, date(2022, 4 + i, 15)))
        # Weak since 2022, paired only after it (in the recent months). Undated rows:
        # drawn here, so they do not move with today.
        self.later_villages = []
        for _ in range(3):
            village, _ = self.village()
            self.row("薄弱村认定", "BR", 3, 村庄=village, 起始年份=2022, 截止年份="")
            self.later_villages.append(village)
        # 59 industry projects started by 31 Dec 2022, and projects of the other tags.
        projects = []
        for i in range(INDUSTRY_PROJECTS_2022):
            pairing, day = paired[i % len(paired)]
            starts = b.spread(day, date(2022, 12, 20), i * 29 + 3)
            projects.append(self.project(pairing, day, rng.choice(INDUSTRY), "industry", "business", starts,
                                         "completed" if starts.year < 2022 and i % 3 == 0 else "ongoing"))
        for i, (tag, (klass, names)) in enumerate(sorted(OTHER_PROJECTS.items()) * 4):
            pairing, day = paired[(i * 7) % len(paired)]
            starts = b.spread(day, date(2022, 12, 20), i * 31 + 5)
            projects.append(self.project(pairing, day, rng.choice(names), tag, klass, starts))
        # 127,000,000 paid in by 31 Dec 2022: one to three payments per project.
        amounts = _split(rng, FUNDS_2022, len(projects), step=10_000)
        for (project, starts), amount in zip(projects, amounts, strict=True):
            self.project_rows[project]["计划投资"] = amount // 100_000 * 100_000 + 500_000
            parts = _split(rng, amount, rng.randint(1, 3), step=10_000) if amount >= 30_000 else [amount]
            for k, part in enumerate(parts):
                paid = b.spread(starts, date(2022, 12, 31), k * 67 + 9)
                self.row("项目资金到位", "ZJ", 4, 帮扶项目=project, 到位日期=paid, 到位金额=part,
                         说明="首期资金" if k == 0 else "")
        self.projects = projects
        self.paired = paired

    # -- donations -------------------------------------------------------------------------------

    def donation(self, kind: str, amount: int, day: date, goods: int = 0) -> None:
        org = self.rng.choice(self.orgs)
        firms = [f for a in self.assocs for f in a.enterprises]
        firm = self.rng.choice(firms)
        recipient = {"education_aid": "新化县山区中小学贫困学生", "hardship_relief": "结对村困难群众",
                     "other": "社区防疫志愿服务站"}[kind]
        self.row("捐赠", "JZ", 3, 类型=kind, 捐赠方类型="enterprise", 捐赠企业=firm.ref,
                 受助对象=f"{recipient}{self.rng.randint(5, 40)}名", 捐款金额=amount, 物资折价=goods,
                 捐赠日期=day, 组织党组织=org.ref)

    def donations(self) -> None:
        for amount, day, goods in ((20_000, date(2021, 8, 25), 5_000), (15_000, date(2022, 8, 20), 0),
                                   (25_000, date(2022, 9, 1), 8_000)):
            self.donation("education_aid", amount, day, goods)
        for amount, day, goods in ((30_000, date(2021, 1, 20), 0), (41_600, date(2022, 1, 18), 12_000),
                                   (22_000, date(2022, 6, 1), 0)):
            self.donation("hardship_relief", amount, day, goods)
        self.donation("other", 10_000, date(2022, 4, 10))

    # -- recent months ------------------------------------------------------------------------------

    def recent(self) -> None:
        b = self.b
        b.stage("volunteering_recent")
        self.rng = b.rng
        for i in range(10):
            code = ("civility_persuasion", "bend_down", "community", "rural")[i % 4]
            self.activity(code, b.ago(150 - i * 14), recent=True)
        for i, (project, _) in enumerate(self.projects[:12]):  # paid in after 2022
            self.row("项目资金到位", "ZJ", 4, 帮扶项目=project, 到位日期=b.ago(700 - i * 50),
                     到位金额=self.rng.randint(5, 50) * 10_000, 说明="")
        for i, village in enumerate(self.later_villages):  # weak villages paired after 2022
            pairing, day = self.pairing(village, b.ago(200 - i * 40))
            self.project(pairing, day, self.rng.choice(INDUSTRY), "industry", "business", b.ago(190 - i * 40))
        self.donation("education_aid", 18_000, b.ago(80))
        self.donation("hardship_relief", 26_000, b.ago(45), 6_000)


KINDS = (  # the seeded activity kinds (migration 0002), as the workbook holds them
    ("civility_persuasion", "文明劝导"), ("bend_down", "弯腰行动"), ("community", "进社区"),
    ("civilization", "文明创建"), ("grassroots", "基层治理"), ("rural", "乡村振兴"),
    ("education_aid", "捐资助学活动"), ("other", "其他"),
)


def build(b) -> None:
    """Rows appended to the builder's."""
    for order, (code, name) in enumerate(KINDS, start=1):
        b.rows.setdefault("志愿活动类型", []).append({REF_HEADER: code, "名称": name, "排序": order * 10, "启用": "是"})
    v = _Volunteering(b)
    v.activities()
    v.villages()
    v.donations()
    v.recent()

