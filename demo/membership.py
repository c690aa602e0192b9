"""The demo's 发展党员 rows: entrepreneurs who were 群众 apply to the party
orgs and move along the 25 steps, every date inside the DEV rules.

F15 tells the article's story: more private entrepreneurs applied in 2022
than in 2021 (“递交入党申请书的民营经济人士变得越来越多”). Developments
applied for up to 2022 are fixed and stop at the end of 2022; the recent ones
are dated as they fall when today is NOMINAL_TODAY and all their dates move
together with today (so every interval, and every rule, holds), and a step not
yet reached today is left out. Recent rows come last in their sheets.

The demo runs developments through all 25 steps: the 中共预备党员/中共党员 rows
the pipeline writes travel in the workbook as the 发展步骤 that write them
(the registry's 政治面貌 sheet leaves them out), so a backup imports back
into an empty database.
"""

from datetime import date, timedelta

from fourfirsts.core.periods import add_months
from fourfirsts.core.sheets import REF_HEADER

APPLICATIONS = {2019: 2, 2020: 3, 2021: 4, 2022: 7}  # entrepreneurs' applications per year
RECENT = 8
LAST_STEP = "5.25"
END_2022 = date(2022, 12, 31)
AFTER_2022 = date(2023, 1, 1)
NOMINAL_TODAY = date(2026, 11, 27)
FULL_MEMBER, MASSES = "中共党员", "群众"
YES = "是"
CODES = ("1.2", "2.3", "2.4", "2.5", "2.6", "3.7", "3.8", "3.9", "3.10", "3.11", "4.12", "4.13", "4.14", "4.15",
         "4.16", "4.17", "4.18", "5.19", "5.20", "5.21", "5.22", "5.23", "5.24", "5.25")
LABELS = {
    "1.2": "党组织派人谈话", "2.3": "推荐和确定入党积极分子", "2.4": "上级党委备案", "2.5": "指定培养联系人",
    "2.6": "培养教育考察", "3.7": "确定发展对象", "3.8": "报上级党委备案", "3.9": "确定入党介绍人",
    "3.10": "进行政治审查", "3.11": "开展集中培训", "4.12": "支部委员会审查", "4.13": "上级党委预审",
    "4.14": "填写入党志愿书", "4.15": "支部大会讨论", "4.16": "上级党委派人谈话", "4.17": "上级党委审批",
    "4.18": "再上一级党委组织部门备案", "5.19": "编入党支部和党小组", "5.20": "入党宣誓", "5.21": "继续教育考察",
    "5.22": "提出转正申请", "5.23": "支部大会讨论", "5.24": "上级党委审批", "5.25": "材料归档",
}


def _full_on(person, day: date) -> bool:
    return any(label == FULL_MEMBER and since <= day and (until is None or until >= day)
               for label, since, until, _source in person.statuses)


class _Membership:
    def __init__(self, b):
        self.b = b
        self.pool = [p for p in b.people if p.entrepreneur and len(p.statuses) == 1
                     and p.statuses[0][0] == MASSES and p.statuses[0][2] is None]
        self.branches = [o for o in b.orgs[1:]]
        assoc = b.by_name.get("娄底市安徽商会")
        self.demo_org = assoc.covered[0][0] if assoc and assoc.covered else None
        self.n_dev = self.n_review = 0

    def org_for(self, person, day: date):
        for org, since in (person.home.covered if person.home else []):
            if since <= day and org.established <= day:
                return org
        choices = [o for o in self.branches if o.established <= day]
        return self.b.rng.choice(choices) if choices else self.b.orgs[0]

    def full_members(self, org, day: date, count: int, exclude=()) -> list:
        mine = [p for p, since, until in org.members if since <= day and (until is None or until >= day)
                and _full_on(p, day) and p not in exclude]
        if len(mine) < count:
            others = sorted({p for o in self.b.orgs for p, *_ in o.members if _full_on(p, day)} - set(mine)
                            - set(exclude), key=lambda p: p.ref)
            mine += others
        return sorted(mine[:max(count, 0)], key=lambda p: p.ref) if len(mine) >= count else []

    # -- one development -------------------------------------------------------------------------

    def plan(self, applied: date) -> dict[str, date]:
        """Every step's date, inside the DEV rules (see rules.md §3)."""
        r = self.b.rng.randint
        d = {"1.2": applied + timedelta(days=r(5, 25))}
        d["2.3"] = d["1.2"] + timedelta(days=r(30, 90))
        d["2.4"], d["2.5"], d["2.6"] = (d["2.3"] + timedelta(days=n) for n in (7, 10, 170))
        d["3.7"] = add_months(d["2.3"], 12) + timedelta(days=r(5, 40))
        for code, n in (("3.8", 5), ("3.9", 10), ("3.10", 20), ("3.11", 30), ("4.12", 40), ("4.13", 50),
                        ("4.14", 55), ("4.15", 70), ("4.16", 80), ("4.17", 110), ("4.18", 117), ("5.19", 120),
                        ("5.20", 130), ("5.21", 230)):
            d[code] = d["3.7"] + timedelta(days=n)
        end = add_months(d["4.15"], 12)
        d["5.22"], d["5.23"], d["5.24"], d["5.25"] = (end - timedelta(days=20), end + timedelta(days=5),
                                                      end + timedelta(days=30), end + timedelta(days=40))
        return d

    def development(self, person, applied: date, org, *, shift: timedelta, first: date, last: date) -> None:
        """Rows of one development; dates are plan + shift, and a step is written
        only while its date is within first…last."""
        b = self.b
        plan = self.plan(applied)
        self.n_dev += 1
        ref = f"RD{self.n_dev:03d}"
        b.rows.setdefault("入党申请", []).append({REF_HEADER: ref, "申请人": person.ref, "党组织": org.ref,
                                               "申请日期": applied + shift, "民营经济人士": YES})
        activist = plan["2.3"]
        for n in (150, 300):
            day = activist + timedelta(days=n) + shift
            if day < plan["3.7"] + shift and first <= day <= last:
                self.n_review += 1
                b.rows.setdefault("积极分子考察", []).append({
                    REF_HEADER: f"RV{self.n_review:04d}", "入党申请": ref, "考察日期": day,
                    "考察意见": "思想上积极要求进步，能发挥先锋模范作用"})
        b.rows.setdefault("发展步骤", []).append({REF_HEADER: f"{ref}-01", "入党申请": ref,
                                                "步骤": "1.1 递交入党申请书", "日期": applied + shift})
        contacts = introducers = None
        for order, code in enumerate(CODES[: CODES.index(LAST_STEP) + 1], start=2):
            day = plan[code] + shift
            if not first <= day <= last:
                break
            cells = {"入党申请": ref, "步骤": f"{code} {LABELS[code]}", "日期": day}
            if code == "2.5":
                contacts = self.full_members(org, day, 1)
                if not contacts:
                    break
                cells["相关人员"] = "、".join(p.ref for p in contacts)
            if code == "3.9":
                introducers = self.full_members(org, day, 2, exclude=contacts or ())
                if len(introducers) < 2:
                    break
                cells["相关人员"] = "、".join(p.ref for p in introducers)
            if code in ("3.7", "5.23"):
                cells["公示开始"], cells["公示结束"] = day - timedelta(days=21), day - timedelta(days=1)
            if code == "3.11":
                cells["培训天数"], cells["培训学时"] = 3, 24
            if code in ("4.15", "5.23"):
                entitled = max(5, len(org.members))
                present = entitled - b.rng.randint(0, entitled // 4)
                cells["有表决权的党员数"], cells["到会有表决权的党员数"], cells["赞成票数"] = entitled, present, present
            b.rows.setdefault("发展步骤", []).append({REF_HEADER: f"{ref}-{order:02d}", **cells})
            if code == "4.17":
                self.close_status(person, plan["4.15"] + shift)

    def close_status(self, person, probationary_from: date) -> None:
        """Approval (4.17) makes the person 中共预备党员 from the branch meeting,
        and the pipeline ends their open 政治面貌 the day before: the workbook's
        row says so too, so importing it again changes nothing."""
        for row in self.b.rows.get("政治面貌", []):
            if row.get("人员") == person.ref and row.get("截止日期") in (None, ""):
                row["截止日期"] = probationary_from - timedelta(days=1)

    # -- the years --------------------------------------------------------------------------------

    def history(self) -> None:
        b, people = self.b, list(self.pool)
        for year, count in APPLICATIONS.items():
            for _i in range(count):
                if not people:
                    return
                person = people.pop(b.rng.randrange(len(people)))
                applied = b.day_in(date(year, 1, 10), date(year, 12, 10))
                self.development(person, applied, self.org_for(person, applied), shift=timedelta(0),
                                 first=date(2000, 1, 1), last=END_2022)
        self.pool = people

    def recent(self) -> None:
        b = self.b
        for i in range(RECENT):
            if not self.pool:
                return
            person = self.pool.pop(b.rng.randrange(len(self.pool)))
            nominal = NOMINAL_TODAY - timedelta(days=b.rng.randint(20, 1300))
            org = self.demo_org if i % 2 == 0 and self.demo_org else self.org_for(person, nominal)
            if nominal + b.shift < AFTER_2022 or org.established > nominal + b.shift:
                continue
            self.development(person, nominal, org, shift=b.shift, first=AFTER_2022, last=b.today)


def build(b) -> None:
    """Rows appended to the builder's: the history up to 2022, then the recent ones."""
    m = _Membership(b)
    m.history()
    b.stage("membership_recent")
    m.recent()
