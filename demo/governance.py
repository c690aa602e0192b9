"""The demo's 第一责任 rows: honours, charters, instructors' logs, a
standardisation checklist with its assessments, support, and the
establishment of the associations still preparing.

2022, the article's year (drawn from the builder's "governance" stream, never
from `today`): on 31 Dec 2022, 3 party orgs hold a provincial or city
标杆示范党组织 honour (F18), 4 associations a national “四好” honour (F19)
and 13 a provincial one (F20; two of them hold both). Other honours expired
before then, or are still being declared. F16 (4 associations under a party
org in 2022, 娄底市安徽商会 and 娄底经开区电力局协会 first) comes from the
registry's rows. Rows that move with `today` (the recent associations'
establishment, recent logs) come last in their sheets.
"""

from datetime import date, timedelta

from fourfirsts.core.sheets import REF_HEADER

NATIONAL_2022 = 4
PROVINCIAL_2022 = 13
BENCHMARK_2022 = 3
REQUIRED = ("坚持党的全面领导", "设立党组织", "支持党组织开展活动", "写明业务主管单位、登记管理机关和党建领导机关")
OPTIONAL = ("重大事项党组织前置研究", "党组织参与负责人人选审核", "书记、会长交叉任职", "保障党组织经费和场地")
ITEMS = (("组织设置规范、届期未满", 15), ("支部委员会健全", 10), ("党员组织关系转入", 10), ("三会一课和主题党日", 20),
         ("第一议题落实", 10), ("发展党员", 10), ("阵地和经费保障", 10), ("党建进章程", 5), ("台账规范", 5),
         ("服务会员、万企兴万村、公益成效", 5))
PREPARING = "筹备中"


def build(b) -> None:
    """Rows appended to the builder's."""
    g = _Governance(b)
    g.honours()
    g.charters()
    g.standardisation()
    g.support()
    g.logs()
    g.establishments()


class _Governance:
    def __init__(self, b):
        self.b = b
        self.rng = b.rng
        last = date(2022, 12, 31)
        self.operating = [a for a in b.associations
                          if a.founded and a.founded <= date(2020, 12, 31) and not a.recent
                          and not (a.deregistered and a.deregistered <= last)]
        self.orgs = [o for o in b.orgs[1:] if o.established <= date(2021, 12, 31)]

    def honours(self) -> None:
        b, rng = self.b, self.rng
        picked = rng.sample(self.operating, NATIONAL_2022 + PROVINCIAL_2022 - 2)
        national = picked[:NATIONAL_2022]
        provincial = picked[:2] + picked[NATIONAL_2022:]
        for level, who in (("全国", national), ("省级", provincial)):
            for a in who:
                year = rng.choice((2021, 2022))
                day = b.day_in(date(year, 3, 1), date(year, 11, 30))
                self._honour("“四好”商会", level, assoc=a.ref, day=day,
                             until=date(year + 2, day.month, 1) - timedelta(days=1), cycle=f"{year}—{year + 1}")
        # Expired before the end of 2022, and city-level ones: not counted by F19/F20.
        for a in rng.sample([a for a in self.operating if a not in picked], 8):
            day = b.day_in(date(2018, 3, 1), date(2020, 6, 30))
            level = rng.choice(("省级", "市级"))
            self._honour("“四好”商会", level, assoc=a.ref, day=day,
                         until=date(day.year + 2, day.month, 1) - timedelta(days=1),
                         cycle=f"{day.year}—{day.year + 1}")
        for a in rng.sample([a for a in self.operating if a not in picked], 5):
            day = b.day_in(date(2022, 3, 1), date(2022, 10, 31))
            self._honour("“四好”商会", "市级", assoc=a.ref, day=day, until=None, cycle="2022—2023")
        benchmark = rng.sample(self.orgs, BENCHMARK_2022 + 1)
        for o, level in zip(benchmark[:BENCHMARK_2022], ("省级", "市级", "市级"), strict=True):
            day = b.day_in(date(2021, 6, 1), date(2022, 7, 1))
            self._honour("标杆示范党组织", level, org=o.ref, day=day, until=None, cycle="")
        self._honour("标杆示范党组织", "市级", org=benchmark[-1].ref, day=date(2019, 7, 1),
                     until=date(2021, 6, 30), cycle="2019—2020")
        # Declared, not yet recognised.
        for a in rng.sample(self.operating, 3):
            b.add("荣誉", "HN", 3, 荣誉类别="“四好”商会", 荣誉名称="", 级别="省级", 商协会=a.ref, 党组织="",
                  周期="2023—2024", 阶段=rng.choice(("申报", "推荐", "审核")), 认定日期=None, 有效期至=None,
                  撤销日期=None, 备注="")

    def _honour(self, kind, level, day, until, cycle, assoc="", org=""):
        self.b.add("荣誉", "HN", 3, 荣誉类别=kind, 荣誉名称="", 级别=level, 商协会=assoc, 党组织=org, 周期=cycle,
                   阶段="认定", 认定日期=day, 有效期至=until, 撤销日期=None, 备注="")

    def charters(self) -> None:
        b, rng = self.b, self.rng
        for a in self.operating:
            if rng.random() < 0.25:
                continue
            year = rng.randint(max(2016, a.founded.year), 2022)
            ref = b.add("章程", "ZC", 3, 商协会=a.ref, 版本=f"{year}年修订版",
                        核准日期=b.day_in(date(year, 2, 1), date(year, 11, 30)))
            covered = bool(a.covered)
            clauses = list(REQUIRED) if covered or rng.random() < 0.4 else list(REQUIRED[:rng.randint(1, 3)])
            clauses += [c for c in OPTIONAL if rng.random() < 0.5]
            for n, clause in enumerate(clauses, start=3):
                b.add("章程条款", "ZT", 4, 章程=ref, 条款=clause, 依据=f"第{n}条")

    def standardisation(self) -> None:
        b, rng = self.b, self.rng
        for year in (2021, 2022):
            checklist = b.add("考核清单", "KH", 2, 名称="商会党组织规范化建设考核", 年度=year)
            items = [b.add("考核项目", "KX", 3, 考核清单=checklist, 考核项目=name, 分值=weight, 排序=n)
                     for n, (name, weight) in enumerate(ITEMS, start=1)]
            for o in self.orgs:
                if o.established.year >= year:
                    continue
                ref = b.add("规范化考核", "KP", 3, 考核清单=checklist, 党组织=o.ref,
                            考核日期=b.day_in(date(year, 12, 1), date(year, 12, 20)))
                for item, (_name, weight) in zip(items, ITEMS, strict=True):
                    score = max(0, weight - rng.choice((0, 0, 0, 1, 1, 2, 3)))
                    b.add("考核得分", "KF", 4, 规范化考核=ref, 考核项目=item, 得分=score,
                          佐证="台账、会议记录" if score == weight else "")

    def support(self) -> None:
        b, rng = self.b, self.rng
        for o in self.orgs:
            for year in (2021, 2022):
                if rng.random() < 0.5:
                    continue
                amount = rng.choice((5000, 10000, 20000, 30000))
                b.add("双支撑", "SZ", 3, 党组织=o.ref, 类别="经费支持", 金额=amount, 人数=None, 选派人员="",
                      用途=rng.choice(("党建活动阵地建设", "党员教育培训", "主题党日活动")),
                      日期=b.day_in(date(year, 3, 1), date(year, 11, 30)), 支持方="商会")
            if rng.random() < 0.3:
                b.add("双支撑", "SZ", 3, 党组织=o.ref, 类别="人员支持", 金额=None, 人数=1, 选派人员="",
                      用途="选派党建工作联络员", 日期=b.day_in(date(2022, 3, 1), date(2022, 6, 30)), 支持方="市工商联")

    def logs(self) -> None:
        """2022: most assignments contacted about weekly and visited monthly, a few fall behind."""
        b, rng = self.b, self.rng
        first, last = date(2022, 1, 1), date(2022, 12, 31)
        for row in b.rows.get("指导员选派", []):
            since, until = row["起始日期"], row["截止日期"]
            if since > last or (until and until < first):
                continue
            diligent = rng.random() < 0.8
            day = max(first, since)
            end = min(last, until or last)
            while day <= end:
                if rng.random() < (0.9 if diligent else 0.5):
                    b.add("指导员工作记录", "ZD", 5, 指导员选派=row[REF_HEADER], 方式="联系", 日期=day,
                          记录=rng.choice(("电话了解党员思想动态", "微信联系书记商议活动", "督促三会一课")))
                if day.day <= 7 and rng.random() < (0.95 if diligent else 0.4):
                    b.add("指导员工作记录", "ZD", 5, 指导员选派=row[REF_HEADER], 方式="实地走访",
                          日期=min(end, day + timedelta(days=2)), 记录="实地走访，指导党组织规范化建设")
                day += timedelta(days=7)

    def establishments(self) -> None:
        """The recent associations (rows that move with today): commitment and
        survey filed, one further along."""
        b = self.b
        for a in [a for a in b.associations if a.recent]:
            prep = next(since for label, since in a.statuses if label == PREPARING)
            ref = b.add("同步建立", "TJ", 2, 商协会=a.ref, 登记日期=prep, 拟建党组织名称=f"{a.name}党支部",
                        拟建党组织类型="党支部", 上级党组织=b.orgs[0].ref, 建立的党组织="")
            for step, days in (("支持党建工作承诺书", 3), ("党员情况调查表", 6)):
                day = min(b.today, prep + timedelta(days=days))
                b.add("同步建立步骤", "TB", 3, 同步建立=ref, 步骤=step, 完成日期=day, 说明="")
