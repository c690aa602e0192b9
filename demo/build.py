"""The demo workbook: a plausible 娄底市 federation of commerce associations.

`build_workbook(path, today)` writes one XLSX in the exchange format (the
sheets, headers and choice labels registered in each app's `sheets.py`), which
`manage.py demo` imports like any other workbook.

What it holds: about 100 associations (异地商会, 行业协会, 乡镇商会, 市场商会),
a party committee with 18 branches and joint branches covering 25 of them,
about 250 party members, 80 entrepreneurs who are not, 600 member
enterprises, 15 departments, the city leaders, and 9 instructors (a tenth
left in 2021). For 2022, the article's year: 4 associations came under a
party org (娄底市安徽商会 first, 娄底经开区电力局协会 second), and 9
instructors served.

Dates: a `random.Random` per stage, seeded from SEED, and no draw depends on
`today`, so everything dated 2022 or earlier (and its 编号) is the same
whatever `today` is. A date after 2022 is written as it falls when today is
NOMINAL_TODAY and moves with `today` (`_Builder.later`), kept between
2023-01-01 and `today`, so the recent months stay recent. Repeated terms
(instructors' 2-year terms, the branches' 届满日期) follow their rule up to
`today`. Rows whose number depends on `today` (a recent association still
preparing, a term not yet begun) come last in their sheet, so they never
shift another row's 编号.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from stdnum.cn import ric, uscc

from demo import governance, membership, service, volunteering
from fourfirsts.core.sheets import REF_HEADER

SEED = 20230401  # the article's date
NOMINAL_TODAY = date(2026, 11, 27)
AFTER_2022 = date(2023, 1, 1)
LAST_PAST_DAY = date(2021, 12, 31)

FEDERATION = "娄底市工商联"
SUPERVISOR = "娄底市工商业联合会"
ROOT_ORG = "娄底市工商联商协会党委"
ASSOCIATION_A = "娄底市安徽商会"
POWER_ASSOCIATION = "娄底经开区电力局协会"
HANDLER_DEPARTMENT = "娄底市交通运输局"

# Sheet names and the choice labels the rows use (checked against the
# registry when the workbook is written).
NON_LOCAL, INDUSTRY, TOWNSHIP, MARKET, OTHER = (
    "异地商会",
    "行业协会",
    "乡镇商会",
    "市场商会",
    "其他",
)
PREPARING, ACTIVE, DEREGISTERED = "筹备中", "正常", "注销"
COMMITTEE, BRANCH, JOINT = "党委", "党支部", "联合党支部"
MEMBER, PROBATIONARY = "中共党员", "中共预备党员"
PRE_SYSTEM, FORM = "系统前入党记录", "表单或导入"
YES, NO = "是", "否"

# --- places, people, trades ------------------------------------------------------------

# place → 身份证 area code, 统一社会信用代码 area code, prefix for firm names
PLACES = {
    "娄星区": ("431302", "431302", ("娄底", "娄底市", "湖南")),
    "娄底经开区": ("431302", "431300", ("娄底", "湖南", "娄底经开区")),
    "娄底万宝新区": ("431302", "431300", ("娄底", "湖南")),
    "冷水江市": ("431381", "431381", ("冷水江", "冷水江市", "湖南")),
    "涟源市": ("431382", "431382", ("涟源", "涟源市", "湖南")),
    "双峰县": ("431321", "431321", ("双峰", "双峰县", "湖南")),
    "新化县": ("431322", "431322", ("新化", "新化县", "湖南")),
}
PLACE_WEIGHTS = {
    "娄星区": 30,
    "娄底经开区": 15,
    "娄底万宝新区": 5,
    "冷水江市": 12,
    "涟源市": 12,
    "双峰县": 12,
    "新化县": 14,
}
ADDRESS_PREFIX = {
    "娄星区": "娄底市娄星区",
    "娄底经开区": "娄底经济技术开发区",
    "娄底万宝新区": "娄底市万宝新区",
}
STREETS = {
    "娄星区": (
        "长青中街",
        "乐坪大道",
        "湘中大道",
        "氐星路",
        "月塘街",
        "涟滨西街",
        "贤童街",
        "大科西街",
    ),
    "娄底经开区": ("吉星路", "湘阳街", "春园路", "娄涟路"),
    "娄底万宝新区": ("万宝大道", "石井路"),
    "冷水江市": ("锑都中路", "冷水江大道", "布溪路"),
    "涟源市": ("蓝田大道", "人民中路", "交通路"),
    "双峰县": ("蔡和森大道", "永丰中路", "双峰大道"),
    "新化县": ("上梅中路", "天华南路", "梅苑南路"),
}

# 异地商会: home, 身份证 area code of the home, founding year
HOMES = (
    ("安徽", "340104", 2013),
    ("浙江", "330102", 2008),
    ("福建", "350102", 2007),
    ("江西", "360102", 2015),
    ("广东", "440103", 2016),
    ("广西", "450102", 2017),
    ("四川", "510104", 2012),
    ("重庆", "500101", 2014),
    ("贵州", "520102", 2018),
    ("云南", "530102", 2019),
    ("河南", "410102", 2011),
    ("河北", "130102", 2017),
    ("山东", "370102", 2013),
    ("江苏", "320102", 2010),
    ("湖北", "420102", 2012),
    ("陕西", "610102", 2018),
    ("山西", "140105", 2019),
    ("东北", "210102", 2016),
    ("温州", "330302", 2006),
    ("莆田", "350302", 2012),
    ("潮汕", "445102", 2015),
    ("上海", "310101", 2014),
    ("长沙", "430102", 2012),
    ("株洲", "430202", 2013),
    ("湘潭", "430302", 2014),
    ("衡阳", "430405", 2013),
    ("邵阳", "430502", 2009),
    ("岳阳", "430602", 2014),
    ("常德", "430702", 2015),
    ("张家界", "430802", 2018),
    ("益阳", "430902", 2014),
    ("郴州", "431002", 2016),
    ("永州", "431102", 2016),
    ("怀化", "431202", 2017),
    ("湘西", "433101", 2019),
)

# 行业协会: name, place, industry profile, founding year
TRADE_ASSOCIATIONS = (
    ("娄底市钢铁行业协会", "娄星区", "steel", 2005),
    ("娄底市新材料产业协会", "娄底经开区", "newmat", 2016),
    ("娄底市工程机械行业协会", "娄底经开区", "machinery", 2013),
    ("娄底市电子信息产业协会", "娄底经开区", "electronics", 2016),
    ("娄底市建筑业协会", "娄星区", "construction", 2003),
    ("娄底市建材行业协会", "娄星区", "building", 2010),
    ("娄底市农产品加工业协会", "娄星区", "food", 2014),
    ("娄底市文化旅游产业协会", "娄星区", "culture", 2017),
    ("娄底市餐饮行业协会", "娄星区", "catering", 2011),
    ("娄底市房地产业协会", "娄星区", "realestate", 2006),
    ("娄底市物流与供应链协会", "娄底经开区", "logistics", 2018),
    ("娄底市汽车流通行业协会", "娄底经开区", "cars", 2012),
    ("新化县电子陶瓷行业协会", "新化县", "electronics", 2019),
    ("冷水江市锑业协会", "冷水江市", "mining", 2008),
    ("涟源市煤炭行业协会", "涟源市", "mining", 2004),
    ("双峰县农机行业协会", "双峰县", "agrimach", 2012),
    ("新化县文印行业协会", "新化县", "printing", 2015),
    ("娄底市小额贷款公司协会", "娄星区", "finance", 2013),
    ("娄底市民营医疗机构协会", "娄星区", "medical", 2015),
    ("娄底市民办教育协会", "娄星区", "education", 2014),
    ("娄底市电子商务协会", "娄底经开区", "trade", 2016),
    ("娄底市酒店行业协会", "娄星区", "catering", 2012),
    ("娄底市混凝土行业协会", "娄星区", "building", 2017),
    (POWER_ASSOCIATION, "娄底经开区", "power", 2021),
    ("娄底市家居建材协会", "娄底万宝新区", "trade", 2018),
    ("娄底市软件和信息技术服务业协会", "娄底经开区", "software", 2020),
    ("娄底市茶叶协会", "新化县", "agri", 2016),
    ("娄底市检验检测协会", "娄底经开区", "tech", 2019),
    ("娄底市摩托车行业协会", "娄星区", "cars", 2006),
)

TOWNSHIPS = (
    ("娄星区", "乐坪街道", 2017),
    ("娄星区", "杉山镇", 2018),
    ("娄星区", "大科街道", 2019),
    ("娄底万宝新区", "万宝镇", 2020),
    ("冷水江市", "锡矿山街道", 2016),
    ("冷水江市", "禾青镇", 2018),
    ("冷水江市", "渣渡镇", 2019),
    ("涟源市", "桥头河镇", 2017),
    ("涟源市", "蓝田街道", 2016),
    ("涟源市", "杨市镇", 2019),
    ("涟源市", "六亩塘镇", 2020),
    ("双峰县", "永丰街道", 2015),
    ("双峰县", "井字镇", 2018),
    ("双峰县", "荷叶镇", 2017),
    ("双峰县", "梓门桥镇", 2019),
    ("新化县", "上梅街道", 2016),
    ("新化县", "洋溪镇", 2018),
    ("新化县", "游家镇", 2019),
    ("新化县", "琅塘镇", 2020),
    ("新化县", "圳上镇", 2020),
)

MARKETS = (
    ("娄底市湘中大市场商会", "娄星区", 2012),
    ("娄底市建材大市场商会", "娄星区", 2015),
    ("娄底市五金机电市场商会", "娄底经开区", 2019),
    ("娄底市农产品批发市场商会", "娄星区", 2013),
    ("娄底市汽配城商会", "娄底经开区", 2016),
    ("冷水江市步行街商会", "冷水江市", 2017),
    ("涟源市商贸城商会", "涟源市", 2014),
    ("双峰县商贸城商会", "双峰县", 2018),
    ("新化县梅山家具城商会", "新化县", 2019),
    ("娄底市服装城商会", "娄星区", 2011),
    ("娄底市电脑城商会", "娄星区", 2009),
)

OTHERS = (
    ("娄底市青年企业家商会", 2014),
    ("娄底市女企业家商会", 2015),
    ("娄底市民营企业家协会", 2010),
)

# Recent associations: name, kind, place, profile, home, nominal dates
# (preparing since, active since or None while still preparing).
RECENT = (
    (
        "娄底市甘肃商会",
        NON_LOCAL,
        "娄星区",
        "mix",
        ("甘肃", "620102"),
        date(2026, 3, 20),
        date(2026, 7, 16),
    ),
    (
        "娄底市跨境电子商务协会",
        INDUSTRY,
        "娄底经开区",
        "trade",
        None,
        date(2026, 5, 8),
        date(2026, 9, 25),
    ),
    ("娄底市海南商会", NON_LOCAL, "娄星区", "mix", ("海南", "460105"), date(2026, 9, 18), None),
    ("娄底市新能源汽车产业协会", INDUSTRY, "娄底经开区", "cars", None, date(2026, 10, 29), None),
)
DEREGISTRATIONS = {"娄底市摩托车行业协会": date(2019, 6, 30), "娄底市电脑城商会": date(2021, 9, 30)}

# Party orgs under the committee: name, kind, established (fixed, or nominal
# for the later ones), members, [(association, covered since or None = established)].
BRANCHES = (
    ("娄底市浙江商会党支部", BRANCH, date(2016, 7, 1), 26, [("娄底市浙江商会", None)]),
    ("娄底市邵阳商会党支部", BRANCH, date(2017, 6, 28), 20, [("娄底市邵阳商会", None)]),
    ("娄底市长沙商会党支部", BRANCH, date(2018, 5, 20), 18, [("娄底市长沙商会", None)]),
    ("娄底市福建商会党支部", BRANCH, date(2015, 10, 16), 12, [("娄底市福建商会", None)]),
    ("娄底市湘潭商会党支部", BRANCH, date(2019, 6, 25), 9, [("娄底市湘潭商会", None)]),
    ("娄底市钢铁行业协会党支部", BRANCH, date(2017, 9, 12), 24, [("娄底市钢铁行业协会", None)]),
    (
        "娄底市工程机械行业协会党支部",
        BRANCH,
        date(2018, 11, 6),
        16,
        [("娄底市工程机械行业协会", None)],
    ),
    ("娄底市建筑业协会党支部", BRANCH, date(2016, 4, 18), 18, [("娄底市建筑业协会", None)]),
    (
        "娄底市电子信息产业协会党支部",
        BRANCH,
        date(2020, 7, 1),
        8,
        [("娄底市电子信息产业协会", None)],
    ),
    ("娄底市安徽商会党支部", BRANCH, date(2022, 3, 15), 9, [(ASSOCIATION_A, None)]),
    ("娄底经开区电力局协会党支部", BRANCH, date(2022, 5, 20), 12, [(POWER_ASSOCIATION, None)]),
    ("娄底市江西商会党支部", BRANCH, date(2022, 11, 8), 6, [("娄底市江西商会", None)]),
    ("娄底市广东商会党支部", BRANCH, date(2023, 6, 12), 5, [("娄底市广东商会", None)]),
    (
        "娄底市农产品加工业协会党支部",
        BRANCH,
        date(2024, 4, 16),
        4,
        [("娄底市农产品加工业协会", None)],
    ),
    (
        "娄底市异地商会第一联合党支部",
        JOINT,
        date(2019, 4, 10),
        18,
        [
            ("娄底市衡阳商会", None),
            ("娄底市益阳商会", None),
            ("娄底市常德商会", None),
            ("娄底市永州商会", date(2022, 8, 18)),
        ],
    ),
    (
        "娄底市行业协会联合党支部",
        JOINT,
        date(2018, 8, 8),
        14,
        [("娄底市建材行业协会", None), ("娄底市房地产业协会", None)],
    ),
    (
        "娄星区乡镇商会联合党支部",
        JOINT,
        date(2020, 6, 30),
        11,
        [("娄星区乐坪街道商会", None), ("娄星区杉山镇商会", None)],
    ),
    (
        "娄底市市场商会联合党支部",
        JOINT,
        date(2021, 5, 18),
        8,
        [
            ("娄底市湘中大市场商会", None),
            ("娄底市建材大市场商会", None),
            ("娄底市五金机电市场商会", NOMINAL_TODAY - timedelta(days=50)),
        ],
    ),
)
NO_COMMITTEE_YET = "娄底市市场商会联合党支部"  # ≥7 members but no branch committee: a gap to find
TERM_EXPIRED = "娄底市行业协会联合党支部"  # its committee's term has run out
PARTY_GROUPS = {
    "娄底市浙江商会党支部": (date(2018, 3, 1), ("第一党小组", "第二党小组", "第三党小组")),
    "娄底市钢铁行业协会党支部": (date(2019, 5, 10), ("冶炼党小组", "加工党小组")),
    "娄底市邵阳商会党支部": (date(2018, 9, 1), ("第一党小组", "第二党小组")),
    "娄底市异地商会第一联合党支部": (None, ()),  # one group per association, when it is covered
}

DEPARTMENTS = (
    ("娄底市交通运输局", "市交通运输局"),
    ("娄底市自然资源和规划局", "市自然资源和规划局"),
    ("娄底市市场监督管理局", "市市场监督管理局"),
    ("国家税务总局娄底市税务局", "市税务局"),
    ("娄底市人力资源和社会保障局", "市人力资源和社会保障局"),
    ("娄底市发展和改革委员会", "市发展和改革委员会"),
    ("国网湖南省电力有限公司娄底供电分公司", "国网娄底供电公司"),
    ("娄底市住房和城乡建设局", "市住房和城乡建设局"),
    ("娄底市生态环境局", "市生态环境局"),
    ("娄底市工业和信息化局", "市工业和信息化局"),
    ("娄底市商务局", "市商务局"),
    ("娄底市财政局", "市财政局"),
    ("娄底市公安局", "市公安局"),
    ("娄底市行政审批服务局", "市行政审批服务局"),
    ("娄底市水利局", "市水利局"),
)

INSTRUCTOR_POSTS = (
    "市工商联党组成员、副主席",
    "市工商联办公室主任",
    "市工商联会员部部长",
    "市工商联经济服务部部长",
    "市工商联宣传信息部部长",
    "市工商联法律维权部部长",
    "市工商联商会党建工作科科长",
    "市工商联四级调研员",
    "市工商联一级主任科员",
    "市工商联会员部副部长",
)
INSTRUCTOR_TERM_YEARS = 2  # INS-1
FIRST_TERM = date(2021, 3, 1)

SURNAMES = {
    "刘": 12,
    "李": 8,
    "王": 7,
    "曾": 6,
    "罗": 6,
    "彭": 5,
    "谢": 5,
    "陈": 5,
    "张": 5,
    "肖": 4,
    "邓": 4,
    "吴": 4,
    "周": 4,
    "袁": 3,
    "梁": 3,
    "贺": 3,
    "唐": 3,
    "胡": 3,
    "杨": 3,
    "黄": 3,
    "颜": 2,
    "龚": 2,
    "伍": 2,
    "康": 2,
    "段": 2,
    "朱": 2,
    "蒋": 2,
    "戴": 2,
    "聂": 1,
    "向": 1,
    "成": 1,
    "欧阳": 1,
}
MALE = "建国军伟勇强明华平志文斌波辉峰涛杰鹏飞林海春东新宏立德昌胜利鑫湘正旭凯俊"
FEMALE = "丽芳娟敏静燕艳霞玲红英梅琴兰萍婷雪慧颖洁秀芬莉佳欣蓉"
BRAND_FIRST = "鑫华宏恒金永天瑞锦众博兴晟富嘉隆凯盛泰德源诚信达通远创亿新湘梅资涟楚"
BRAND_SECOND = "达泰远信盛利成丰华源鑫通宇辉程越邦隆安和科力泽康顺旺腾峰"
MOBILE_PREFIXES = (
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "158",
    "159",
    "176",
    "177",
    "180",
    "181",
    "186",
    "187",
    "188",
    "189",
    "191",
    "199",
)

# industry → (GB/T 4754 section, trade words)
TRADES = {
    "steel": ("C", ("钢铁", "特钢", "钢材加工", "金属制品", "冶金材料")),
    "newmat": ("C", ("新材料科技", "新材料", "粉末冶金", "耐磨材料")),
    "machinery": ("C", ("机械制造", "工程机械", "重工机械", "液压机械", "机械设备")),
    "agrimach": ("C", ("农业机械", "农机制造", "农机装备")),
    "electronics": ("C", ("电子科技", "电子陶瓷", "电子元件", "智能装备")),
    "software": ("I", ("信息技术", "网络科技", "软件开发", "数字科技")),
    "building": ("C", ("建材", "新型建材", "水泥制品", "商品混凝土", "陶瓷")),
    "construction": ("E", ("建设工程", "建筑工程", "路桥建设", "装饰工程", "市政工程")),
    "power": ("E", ("电力工程", "电力安装", "输变电工程", "电气设备安装")),
    "energy": ("D", ("电力", "新能源", "光伏电力", "燃气")),
    "agri": ("A", ("农业开发", "生态农业", "茶业", "油茶开发", "养殖")),
    "food": ("C", ("食品", "粮油", "农产品加工", "酒业", "腊味食品")),
    "culture": ("R", ("文化传媒", "影视传媒", "体育文化", "演艺")),
    "tourism": ("N", ("旅游开发", "景区管理")),
    "catering": ("H", ("酒店管理", "餐饮管理", "餐饮")),
    "trade": ("F", ("商贸", "贸易", "医药连锁", "电子商务", "建材贸易")),
    "cars": ("F", ("汽车销售服务", "汽车贸易", "摩托车销售")),
    "logistics": ("G", ("物流", "运输", "供应链管理", "货运")),
    "realestate": ("K", ("房地产开发", "置业", "物业管理")),
    "finance": ("J", ("小额贷款", "融资担保")),
    "services": ("L", ("企业管理咨询", "人力资源服务", "广告")),
    "tech": ("M", ("检测技术", "工程设计", "工程咨询")),
    "mining": ("B", ("矿业", "锑业", "煤业", "石材")),
    "printing": ("C", ("印务", "文印科技", "包装印刷")),
    "medical": ("Q", ("医院", "医疗管理", "康复医院")),
    "education": ("P", ("职业培训", "教育发展")),
    "household": ("O", ("家政服务", "汽车维修", "美容美发")),
}
MIX = {  # 娄底's economy, for associations of no one trade
    "steel": 8,
    "newmat": 6,
    "machinery": 6,
    "agrimach": 2,
    "electronics": 6,
    "software": 3,
    "building": 8,
    "construction": 10,
    "power": 1,
    "energy": 1,
    "agri": 5,
    "food": 5,
    "culture": 3,
    "tourism": 2,
    "catering": 3,
    "trade": 12,
    "cars": 2,
    "logistics": 6,
    "realestate": 4,
    "finance": 1,
    "services": 3,
    "tech": 2,
    "mining": 2,
    "printing": 1,
    "medical": 1,
    "education": 1,
    "household": 2,
}
MARKET_MIX = {"trade": 10, "cars": 2, "building": 2, "food": 2, "household": 2, "catering": 1}
EMPLOYEE_TITLES = (
    "总经理",
    "副总经理",
    "办公室主任",
    "财务总监",
    "行政总监",
    "生产部经理",
    "综合部部长",
)


# --- the records -----------------------------------------------------------------------------


@dataclass(eq=False)
class Assoc:
    ref: str
    name: str
    kind: str
    place: str
    profile: str  # an industry, "mix" or "market"
    founded: date | None
    home: tuple[str, str] | None = None  # 异地商会: (home, 身份证 area code)
    registration: str = ""
    statuses: list = field(default_factory=list)  # (label, since)
    covered: list = field(default_factory=list)  # (org, since)
    deregistered: date | None = None
    recent: bool = False  # founded after 2022: its rows move with today
    residents: list = field(default_factory=list)  # people whose association this is
    enterprises: list = field(default_factory=list)

    @property
    def first_covered(self) -> date | None:
        return min((since for _, since in self.covered), default=None)


@dataclass(eq=False)
class Person:
    ref: str
    name: str
    gender: str
    birth: date
    id_number: str
    phone: str
    entrepreneur: bool
    home: Assoc | None = None
    place: str = "娄星区"
    brand: str = ""
    statuses: list = field(default_factory=list)  # (label, since, until, source)


@dataclass(eq=False)
class Org:
    ref: str
    name: str
    kind: str
    established: date
    parent: "Org | None" = None
    members: list = field(default_factory=list)  # (person, since, until)
    secretary: Person | None = None
    has_committee: bool = False
    seats: list = field(default_factory=list)  # (person, post, since)
    term_end: date | None = None


@dataclass(eq=False)
class Firm:
    ref: str
    name: str
    uscc: str
    trade: str
    industry: str
    size: str
    founded: date
    owner: Person
    contact_name: str
    contact_phone: str
    memberships: list = field(default_factory=list)  # (assoc, since, until)


class _Builder:
    def __init__(self, today: date):
        if today < AFTER_2022:
            raise ValueError(f"演示数据以2022年为“去年”，today 应不早于 {AFTER_2022}：{today}")
        self.today = today
        self.shift = today - NOMINAL_TODAY
        self.rng = random.Random(SEED)
        self.rows: dict[str, list[dict]] = {}
        self._counters: dict[str, int] = {}
        self._used: set = set()
        self.associations: list[Assoc] = []
        self.by_name: dict[str, Assoc] = {}
        self.people: list[Person] = []
        self.orgs: list[Org] = []
        self.firms: list[Firm] = []
        self.posts: list[tuple] = []  # (person, firm, assoc, title, since, until)
        self.late_posts: list[tuple] = []  # in the recent associations, written last

    # -- dates and helpers --------------------------------------------------------------------

    def later(self, nominal: date) -> date:
        """A date after 2022, given as it falls when today is NOMINAL_TODAY."""
        return min(self.today, max(AFTER_2022, nominal + self.shift))

    def ago(self, days: int) -> date:
        return self.later(NOMINAL_TODAY - timedelta(days=days))

    def day_in(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    @staticmethod
    def spread(first: date, last: date, offset: int) -> date:
        """A day between first and last picked by a drawn offset (no draw here,
        so the caller's draws do not depend on the dates)."""
        if last <= first:
            return first
        return first + timedelta(days=offset % ((last - first).days + 1))

    def day_of(self, year: int) -> date:
        return self.day_in(date(year, 1, 5), date(year, 12, 25))

    def stage(self, name: str) -> None:
        """A fresh random stream per stage: a draw that depends on `today` in
        one stage cannot shift what the next stage draws."""
        self.rng = random.Random(f"{SEED}/{name}")

    def pick(self, weights: dict):
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def unique(self, kind: str, make):
        for _ in range(1000):
            value = make()
            if (kind, value) not in self._used:
                self._used.add((kind, value))
                return value
        raise RuntimeError(f"no unique {kind} left")

    def next_ref(self, sheet: str, prefix: str, width: int) -> str:
        n = self._counters[sheet] = self._counters.get(sheet, 0) + 1
        return f"{prefix}{n:0{width}d}"

    def add(self, sheet: str, prefix: str, width: int, **cells) -> str:
        ref = self.next_ref(sheet, prefix, width)
        self.rows.setdefault(sheet, []).append({REF_HEADER: ref, **cells})
        return ref

    # -- identifiers ----------------------------------------------------------------------------

    def id_number(self, area: str, born: date, male: bool) -> str:
        def make():
            seq = self.rng.randint(0, 99) * 10 + self.rng.choice(
                (1, 3, 5, 7, 9) if male else (0, 2, 4, 6, 8)
            )
            body = f"{area}{born:%Y%m%d}{seq:03d}"
            return body + ric.calc_check_digit(body + "0")

        return self.unique("id", make)

    def mobile(self) -> str:
        return self.unique(
            "phone",
            lambda: self.rng.choice(MOBILE_PREFIXES) + f"{self.rng.randint(0, 99999999):08d}",
        )

    def uscc(self, head: str, area: str) -> str:
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"

        def make():
            body = head + area + "MA4" + "".join(self.rng.choice(alphabet) for _ in range(6))
            return body + uscc.calc_check_digit(body)

        return self.unique("uscc", make)

    def name(self, male: bool) -> str:
        def make():
            pool = MALE if male else FEMALE
            given = self.rng.choice(pool) + (
                self.rng.choice(pool) if self.rng.random() < 0.8 else ""
            )
            return self.pick(SURNAMES) + given

        return self.unique("name", make)

    def brand(self) -> str:
        def make():
            first, second = self.rng.choice(BRAND_FIRST), self.rng.choice(BRAND_SECOND)
            return first + second if first != second else first + "和"

        return self.unique("brand", make)

    def person(
        self,
        *,
        born_in: tuple[int, int],
        entrepreneur: bool,
        home: Assoc | None = None,
        male_share: float = 0.75,
        place: str | None = None,
    ) -> Person:
        male = self.rng.random() < male_share
        birth = self.day_in(date(born_in[0], 1, 1), date(born_in[1], 12, 28))
        place = place or (home.place if home else None) or self.pick(PLACE_WEIGHTS)
        area = PLACES[place][0]
        if home and home.home and self.rng.random() < 0.7:
            area = home.home[1]
        elif self.rng.random() < 0.15:
            area = "431301"  # 娄底市市辖区, older cards
        person = Person(
            ref=self.next_ref("人员", "P", 3),
            name=self.name(male),
            gender="男" if male else "女",
            birth=birth,
            id_number=self.id_number(area, birth, male),
            phone=self.mobile(),
            entrepreneur=entrepreneur,
            home=home,
            place=place,
        )
        if entrepreneur:
            person.brand = self.brand()
        if home:
            home.residents.append(person)
        self.people.append(person)
        return person

    def party_history(self, person: Person, joined_by: date) -> None:
        """Joined before the system: probationary for a year, then full, all by 2022."""
        latest = min(joined_by, date(2021, 6, 30))
        earliest = date(person.birth.year + 20, person.birth.month, min(person.birth.day, 28))
        joined = self.day_in(earliest, latest) if earliest < latest else latest
        probation = 365 if self.rng.random() < 0.9 else 548
        full = joined + timedelta(days=probation)
        if self.rng.random() < 0.8:
            person.statuses.append((PROBATIONARY, joined, full - timedelta(days=1), PRE_SYSTEM))
        person.statuses.append((MEMBER, full, None, PRE_SYSTEM))

    # -- associations ---------------------------------------------------------------------------

    def association(self, name, kind, place, profile, founded, home=None) -> Assoc:
        assoc = Assoc(
            ref=self.next_ref("商协会", "A", 3),
            name=name,
            kind=kind,
            place=place,
            profile=profile,
            founded=founded,
            home=home,
        )
        registration = self.uscc("51", PLACES[place][1] if kind == TOWNSHIP else "431300")
        assoc.registration = registration if founded else ""  # drawn either way: see `stage`
        self.associations.append(assoc)
        self.by_name[name] = assoc
        return assoc

    def build_associations(self) -> None:
        for home, area, year in HOMES:
            self.association(
                f"娄底市{home}商会",
                NON_LOCAL,
                self.pick({"娄星区": 5, "娄底经开区": 2}),
                "mix",
                self.day_of(year),
                home=(home, area),
            )
        for name, place, profile, year in TRADE_ASSOCIATIONS:
            founded = date(2021, 12, 10) if name == POWER_ASSOCIATION else self.day_of(year)
            self.association(name, INDUSTRY, place, profile, founded)
        for county, town, year in TOWNSHIPS:
            label = "娄星区" if county == "娄底万宝新区" else county
            self.association(f"{label}{town}商会", TOWNSHIP, county, "mix", self.day_of(year))
        for name, place, year in MARKETS:
            self.association(name, MARKET, place, "market", self.day_of(year))
        for name, year in OTHERS:
            self.association(name, OTHER, "娄星区", "mix", self.day_of(year))
        for name, kind, place, profile, home, preparing, active in RECENT:
            prep_since = self.later(preparing)
            active_since = self.later(active) if active else None
            if active_since and active_since <= prep_since:
                active_since = prep_since + timedelta(days=1)
            if active_since and active_since > self.today:
                active_since = None
            assoc = self.association(name, kind, place, profile, active_since, home=home)
            assoc.recent = True
            assoc.statuses.append((PREPARING, prep_since))
            if active_since:
                assoc.statuses.append((ACTIVE, active_since))
        for assoc in self.associations:
            if assoc.founded and not assoc.statuses:
                assoc.statuses.append((ACTIVE, assoc.founded))
            if assoc.name in DEREGISTRATIONS:
                assoc.deregistered = DEREGISTRATIONS[assoc.name]
                assoc.statuses.append((DEREGISTERED, assoc.deregistered))

    def active_uncovered(self) -> list[Assoc]:
        """Associations in operation without a party org (the recent ones apart)."""
        return [
            a
            for a in self.associations
            if a.founded and not a.recent and not a.deregistered and not a.covered
        ]

    # -- party orgs and members ---------------------------------------------------------------------

    def build_orgs(self) -> None:
        root = Org(
            ref=self.next_ref("党组织", "O", 2),
            name=ROOT_ORG,
            kind=COMMITTEE,
            established=date(2012, 6, 18),
            has_committee=True,
        )
        self.orgs.append(root)
        for name, kind, established, size, covers in BRANCHES:
            established = established if established.year <= 2022 else self.later(established)
            org = Org(
                ref=self.next_ref("党组织", "O", 2),
                name=name,
                kind=kind,
                established=established,
                parent=root,
            )
            self.orgs.append(org)
            for assoc_name, since in covers:
                since = (
                    established
                    if since is None
                    else since
                    if since.year <= 2022
                    else self.later(since)
                )
                self.by_name[assoc_name].covered.append((org, since))
            self.members(org, size)
        self.federation_cadres(root)

    def members(self, org: Org, size: int) -> None:
        covers = [(a, since) for a in self.associations for o, since in a.covered if o is org]
        covers.sort(key=lambda c: (c[1], c[0].ref))
        founding = max(3, round(size * 0.7))
        for i in range(size):
            assoc, covered_since = (
                covers[i % len(covers)] if i < len(covers) * 3 else self.rng.choice(covers)
            )
            entrepreneur = i == 0 or self.rng.random() < 0.55
            recent = self.rng.random() < 0.05 and i >= founding
            leaves = self.rng.random() < 0.03 and i >= 3 and not recent
            late_day = self.rng.randint(60, 1500)
            recent_days = self.rng.randint(20, 1100)
            leave_days = self.rng.randint(30, 900)
            if i < founding or covered_since > date(2021, 9, 1):
                since = covered_since
            else:
                since = self.spread(covered_since + timedelta(days=60), LAST_PAST_DAY, late_day)
            if recent:
                since = max(covered_since + timedelta(days=1), self.ago(recent_days))
            born = (1960, 1988) if entrepreneur else (1966, 1996)
            person = self.person(
                born_in=born,
                entrepreneur=entrepreneur,
                home=assoc,
                male_share=0.8 if entrepreneur else 0.6,
            )
            self.party_history(person, since - timedelta(days=30))
            until = None
            if leaves and since < AFTER_2022:
                until = max(since + timedelta(days=400), self.ago(leave_days))
                if until > self.today:
                    until = None
            org.members.append((person, since, until))
        org.secretary = org.members[0][0]
        full_members = sorted(since for _, since, _ in org.members)
        if len(full_members) >= 7 and org.name != NO_COMMITTEE_YET:
            org.has_committee = True
            elected = full_members[6]
            posts = (
                ("书记", "副书记", "组织委员", "宣传委员", "纪检委员")
                if size >= 15
                else ("书记", "组织委员", "宣传委员")
            )
            others = [
                p for p, since, until in org.members[1:] if since <= elected and until is None
            ]
            org.seats = [(org.secretary, posts[0], elected)] + [
                (p, post, elected) for p, post in zip(others, posts[1:], strict=False)
            ]
            org.term_end = self.term_end(elected, 3, expired=org.name == TERM_EXPIRED)
        else:
            org.term_end = self.term_end(org.established, 3)

    def term_end(self, start: date, years: int, expired: bool = False) -> date:
        """The end of the term running today (re-elected on time), or of the one
        that ran out before today when the org is overdue."""
        end = start
        while True:
            nxt = date(end.year + years, end.month, min(end.day, 28))
            if nxt - timedelta(days=1) >= self.today:
                if expired and end > start:
                    return end - timedelta(days=1)
                return nxt - timedelta(days=1)
            end = nxt

    def federation_cadres(self, root: Org) -> None:
        """The committee's own members: two leaders and ten instructors, cadres of 市工商联."""
        self.cadres = []
        for i in range(12):
            person = self.person(
                born_in=(1968, 1990), entrepreneur=False, male_share=0.65, place="娄星区"
            )
            since = self.day_in(date(2012, 6, 18), date(2018, 12, 31))
            self.party_history(person, since - timedelta(days=30))
            until = date(2021, 2, 28) if i == 11 else None  # the instructor who left
            root.members.append((person, since, until))
            self.cadres.append(person)
        root.secretary = self.cadres[0]
        elected = date(2019, 1, 10)
        root.seats = [(self.cadres[0], "书记", elected), (self.cadres[1], "副书记", elected)] + [
            (p, "委员", elected) for p in self.cadres[2:5]
        ]
        root.term_end = self.term_end(elected, 5)
        self.instructors = self.cadres[2:]  # the last left in 2021

    def non_member_entrepreneurs(self, count: int = 80) -> None:
        homes = self.active_uncovered() + [a for a in self.associations if a.recent]
        extra = [
            a
            for a in self.associations
            if a.kind in (NON_LOCAL, INDUSTRY) and a.founded and not a.recent and not a.deregistered
        ]
        for i in range(count):
            home = homes[i] if i < len(homes) else self.rng.choice(extra)
            person = self.person(born_in=(1958, 1990), entrepreneur=True, home=home, male_share=0.8)
            grown = date(person.birth.year + 18, 6, 1)
            roll = self.rng.random()
            party = self.pick(
                {
                    "民建会员": 18,
                    "无党派人士": 6,
                    "民革会员": 3,
                    "民盟盟员": 3,
                    "九三学社社员": 3,
                    "致公党党员": 2,
                    "民进会员": 2,
                    "农工党党员": 1,
                }
            )
            joined = self.day_in(date(person.birth.year + 30, 1, 1), date(2021, 10, 31))
            if roll < 0.6 or joined <= grown:
                person.statuses.append(("群众", person.birth, None, FORM))
            else:
                person.statuses.append(("群众", person.birth, joined - timedelta(days=1), FORM))
                person.statuses.append((party, joined, None, FORM))

    # -- enterprises ----------------------------------------------------------------------------

    def build_firms(self, total: int = 600) -> None:
        owners = [p for p in self.people if p.entrepreneur]
        # The party members' firms are in the few covered associations; the
        # others' carry the many small ones, so those own a few more each.
        counts = [
            self.rng.choices(
                (1, 2, 3, 4, 5, 6),
                weights=(35, 30, 20, 10, 4, 1)
                if o.statuses[-1][0] == MEMBER
                else (5, 15, 25, 25, 20, 10),
            )[0]
            for o in owners
        ]
        while sum(counts) < total:
            counts[self.rng.randrange(len(counts))] += 1
        while sum(counts) > total:
            i = self.rng.randrange(len(counts))
            if counts[i] > 1:
                counts[i] -= 1
        for owner, count in zip(owners, counts, strict=True):
            first_trade = None
            for j in range(count):
                trade = (
                    self.trade_for(owner.home)
                    if j == 0
                    else (first_trade if self.rng.random() < 0.6 else self.pick(MIX))
                )
                first_trade = first_trade or trade
                self.firm(owner, trade, group=(j == 0 and count >= 4))
        self.secondary_memberships()

    def trade_for(self, assoc: Assoc | None) -> str:
        if assoc is None or assoc.profile == "mix":
            return self.pick(MIX)
        if assoc.profile == "market":
            return self.pick(MARKET_MIX)
        if assoc.profile == "power":
            return self.pick({"power": 4, "energy": 1, "construction": 1})
        return assoc.profile if self.rng.random() < 0.85 else self.pick(MIX)

    def firm(self, owner: Person, trade: str, group: bool) -> Firm:
        section, words = TRADES[trade]
        prefix = self.rng.choice(PLACES[owner.place][2])

        def make():
            form = (
                "集团有限公司"
                if group
                else self.pick({"有限公司": 80, "有限责任公司": 12, "股份有限公司": 3})
            )
            word = self.rng.choice(words)
            return f"{prefix}{owner.brand}{word}{form}"

        name = self.unique("firm", make)
        if group:
            size = self.pick({"大型": 10, "中型": 50, "小型": 40})
        else:
            size = self.pick({"大型": 1, "中型": 10, "小型": 45, "微型": 44})
        founded = self.day_in(
            max(date(1998, 1, 1), date(owner.birth.year + 24, 1, 1)), date(2021, 6, 30)
        )
        own_contact = self.rng.random() < 0.6
        other_male = self.rng.random() < 0.5
        contact = owner.name if own_contact else self.name(other_male)
        phone = owner.phone if self.rng.random() < 0.5 else self.mobile()
        firm = Firm(
            ref=self.next_ref("会员企业", "E", 4),
            name=name,
            uscc=self.uscc("91", PLACES[owner.place][1]),
            trade=trade,
            industry=section,
            size=size,
            founded=founded,
            owner=owner,
            contact_name=contact,
            contact_phone=phone,
        )
        self.firms.append(firm)
        self.posts.append((owner, firm, None, "法定代表人", founded, None))
        self.join(firm, owner.home)
        return firm

    def join(self, firm: Firm, assoc: Assoc, until: date | None = None) -> None:
        roll = self.rng.random()
        offset = self.rng.randint(0, 1500)
        in_2022 = self.day_of(2022)
        recent_days = self.rng.randint(10, 1300)
        leaves = self.rng.random() < 0.03
        stay = self.rng.randint(400, 1500)
        # A preparing association's membership is kept (and left out when the
        # rows are written), so that no draw and no 编号 depends on today.
        start = max(firm.founded, assoc.founded or firm.founded)
        since = self.spread(start, LAST_PAST_DAY, offset)
        if roll < 0.06:
            since = self.ago(recent_days)
        elif roll < 0.10:
            since = in_2022
        since = max(since, start)
        if until is None and leaves and since < date(2019, 1, 1):
            until = min(since + timedelta(days=stay), LAST_PAST_DAY)
        if assoc.deregistered:
            since = min(since, assoc.deregistered - timedelta(days=200))
            until = assoc.deregistered
        firm.memberships.append((assoc, since, until))
        assoc.enterprises.append(firm)

    def secondary_memberships(self) -> None:
        open_ = [a for a in self.associations if a.founded and not a.recent and not a.deregistered]
        by_profile: dict[str, list[Assoc]] = {}
        for a in open_:
            if a.kind == INDUSTRY:
                by_profile.setdefault(a.profile, []).append(a)
        townships = {a.place: [] for a in open_}
        for a in open_:
            if a.kind == TOWNSHIP:
                townships[a.place].append(a)
        young = self.by_name["娄底市青年企业家商会"]
        women = self.by_name["娄底市女企业家商会"]
        for firm in self.firms:
            roll, choice = self.rng.random(), self.rng.random()
            # A firm whose owner is setting up a new association belongs to an older one too.
            must = firm.memberships[0][0].recent
            if roll >= 0.3 and not must:
                continue
            options = by_profile.get(firm.trade, []) or townships.get(firm.owner.place, [])
            if firm.owner.gender == "女" and choice < 0.5:
                options = [women]
            elif firm.owner.birth.year >= 1980 and choice < 0.3:
                options = [young]
            options = [a for a in options if a not in {m[0] for m in firm.memberships}]
            if must and not options:
                options = [self.by_name["娄底市民营企业家协会"]]
            if options:
                self.join(firm, options[int(choice * 1000) % len(options)])
        # No chamber of one or two: small ones take in firms of their place.
        for assoc in open_:
            short = 3 - len(assoc.enterprises)
            if short <= 0:
                continue
            pool = [
                f
                for f in self.firms
                if len(f.memberships) == 1
                and f.owner.place == assoc.place
                and f.memberships[0][0] is not assoc
            ]
            for firm in self.rng.sample(pool, min(short, len(pool))):
                self.join(firm, assoc)
        for name in DEREGISTRATIONS:
            assoc = self.by_name[name]
            pool = [
                f
                for f in self.firms
                if len(f.memberships) == 1 and f.founded < assoc.deregistered - timedelta(days=400)
            ]
            for firm in self.rng.sample(pool, 4):
                self.join(firm, assoc)

    # -- posts --------------------------------------------------------------------------------------

    def association_posts(self) -> None:
        for assoc in self.associations:
            cross, offset = self.rng.random() < 0.5, self.rng.randint(0, 2500)
            if assoc.founded is None:
                continue
            residents = list(assoc.residents)
            bosses = [p for p in residents if p.entrepreneur]
            staff = [p for p in residents if not p.entrepreneur]
            elected = self.spread(max(assoc.founded, date(2015, 1, 1)), LAST_PAST_DAY, offset)
            if assoc.recent or assoc.founded.year >= 2022:
                elected = assoc.founded
            until = assoc.deregistered
            if until:
                elected = min(elected, until - timedelta(days=365))
            posts = self.late_posts if assoc.recent else self.posts
            secretary = next(
                (o.secretary for o, _ in assoc.covered if o.secretary in residents), None
            )
            if not bosses:
                continue
            chair = (
                secretary
                if (secretary and cross)
                else next((p for p in bosses if p is not secretary), bosses[0])
            )
            posts.append((chair, None, assoc, "会长", elected, until))
            if secretary and secretary is not chair:
                posts.append((secretary, None, assoc, "常务副会长", elected, until))
            general = (
                staff[0]
                if staff
                else next((p for p in bosses if p not in (chair, secretary)), None)
            )
            if general:
                posts.append((general, None, assoc, "秘书长", elected, until))
        for person in self.people:
            if person.entrepreneur or person.home is None:
                continue
            roll, title = self.rng.random(), self.rng.choice(EMPLOYEE_TITLES)
            firms = [f for f in person.home.enterprises if f.owner is not person]
            if roll < 0.8 and firms:
                firm = firms[int(roll * 1000) % len(firms)]
                since = max(firm.founded, date(person.birth.year + 24, 3, 1))
                if since <= LAST_PAST_DAY:
                    self.posts.append((person, firm, None, title, since, None))

    # -- the federation's side --------------------------------------------------------------------

    def city_leaders(self) -> None:
        self.offices = []
        handover = {
            "市委书记": self.later(date(2023, 9, 18)),
            "市长": self.later(date(2023, 12, 29)),
        }
        for title, since in (("市委书记", date(2021, 2, 5)), ("市长", date(2021, 4, 20))):
            first = self.person(
                born_in=(1965, 1971), entrepreneur=False, male_share=0.9, place="娄星区"
            )
            second = self.person(
                born_in=(1968, 1974), entrepreneur=False, male_share=0.8, place="娄星区"
            )
            self.offices.append((first, title, True, since, handover[title] - timedelta(days=1)))
            self.offices.append((second, title, True, handover[title], None))
        for since, until in (
            (date(2021, 6, 10), None),
            (date(2022, 1, 20), self.later(date(2025, 1, 15))),
        ):
            deputy = self.person(
                born_in=(1968, 1978), entrepreneur=False, male_share=0.7, place="娄星区"
            )
            self.offices.append((deputy, "副市长", False, since, until))

    def instructor_assignments(self) -> None:
        """Nine instructors on 2-year terms from 2021-03-01, 4–5 associations each,
        with and without a party org (INS-1); the tenth served 2019–2021."""
        covered = [a for a in self.associations if a.covered]
        # Covered in 2022 (by date), then later (in list order, which unlike
        # their dates does not move with today).
        first = sorted(
            (a for a in covered if a.first_covered >= date(2022, 1, 1)),
            key=lambda a: (min(a.first_covered, AFTER_2022), self.associations.index(a)),
        )
        older = [a for a in covered if a not in first]
        with_org = first + self.rng.sample(older, 20 - len(first))
        candidates = [a for a in self.active_uncovered() if a.founded.year <= 2020]
        without_org = self.rng.sample(candidates, 20)
        mixed = [a for pair in zip(with_org, without_org, strict=True) for a in pair]
        sizes = (5, 5, 5, 5, 4, 4, 4, 4, 4)
        self.assigned: dict[Person, list[Assoc]] = {}
        start = 0
        for person, size in zip(self.instructors[:9], sizes, strict=True):
            self.assigned[person] = mixed[start : start + size]
            start += size
        leaver = self.instructors[9]
        self.assigned[leaver] = without_org[:2] + older[:2]
        rows = []
        for person, assocs in self.assigned.items():
            post = INSTRUCTOR_POSTS[self.instructors.index(person)]
            terms = [(date(2019, 3, 1), date(2021, 2, 28))] if person is leaver else self.terms()
            for assoc in assocs:
                for term, (since, until) in enumerate(terms):
                    since = max(since, assoc.founded)
                    if until and until < since:
                        continue
                    org = next(
                        (o for o, s in sorted(assoc.covered, key=lambda c: c[1]) if s <= since),
                        None,
                    )
                    rows.append(
                        (-1 if person is leaver else term, (person, assoc, org, post, since, until))
                    )
        # Term by term, so a term that begins later than today adds rows at the end.
        self.instructor_rows = [row for _, row in sorted(rows, key=lambda r: r[0])]

    def terms(self) -> list[tuple[date, date | None]]:
        starts, day = [], FIRST_TERM
        while day <= self.today:
            starts.append(day)
            day = date(day.year + INSTRUCTOR_TERM_YEARS, day.month, day.day)
        return [
            (s, starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else None)
            for i, s in enumerate(starts)
        ]

    # -- rows ----------------------------------------------------------------------------------------

    def emit(self) -> None:
        for name, short in DEPARTMENTS:
            contact_male = self.rng.random() < 0.6
            self.add(
                "承办单位",
                "D",
                2,
                名称=name,
                简称=short,
                联系人=self.name(contact_male),
                联系电话=self.mobile(),
            )
        for a in self.associations:
            street = self.rng.choice(STREETS[a.place])
            number = self.rng.randint(1, 388)
            phone = f"0738-{self.rng.randint(8100000, 8899999)}"
            self.rows.setdefault("商协会", []).append(
                {
                    "编号": a.ref,
                    "名称": a.name,
                    "类别": a.kind,
                    "登记证号": a.registration,
                    "成立日期": a.founded,
                    "业务主管单位": SUPERVISOR,
                    "地址": f"{ADDRESS_PREFIX.get(a.place, a.place)}{street}{number}号",
                    "联系人": a.residents[0].name if a.residents else "",
                    "联系电话": phone if a.founded else "",
                }
            )
            for status, since in a.statuses:
                self.add("商协会状态", "S", 3, 商协会=a.ref, 状态=status, 起始日期=since)
        for p in self.people:
            self.rows.setdefault("人员", []).append(
                {
                    "编号": p.ref,
                    "姓名": p.name,
                    "性别": p.gender,
                    "出生日期": p.birth,
                    "身份证号码": p.id_number,
                    "手机号码": p.phone,
                    "民营经济人士": YES if p.entrepreneur else NO,
                }
            )
        for o in self.orgs:
            self.rows.setdefault("党组织", []).append(
                {
                    "编号": o.ref,
                    "名称": o.name,
                    "类型": o.kind,
                    "上级党组织": o.parent.ref if o.parent else "",
                    "成立日期": o.established,
                    "撤销日期": None,
                    "书记": o.secretary.ref if o.secretary else "",
                    "届满日期": o.term_end,
                    "设支部委员会": YES if o.has_committee else NO,
                }
            )
        for a in self.associations:
            for org, since in a.covered:
                self.add(
                    "党组织覆盖",
                    "C",
                    3,
                    党组织=org.ref,
                    商协会=a.ref,
                    起始日期=since,
                    截止日期=None,
                )
        for o in self.orgs:
            for person, post, since in o.seats:
                self.add(
                    "支部委员",
                    "W",
                    3,
                    党组织=o.ref,
                    人员=person.ref,
                    职务=post,
                    起始日期=since,
                    截止日期=None,
                )
        self.emit_party_groups()
        for f in self.firms:
            self.rows.setdefault("会员企业", []).append(
                {
                    "编号": f.ref,
                    "名称": f.name,
                    "统一社会信用代码": f.uscc,
                    "行业门类": f.industry,
                    "规模": f.size,
                    "联系人": f.contact_name,
                    "联系电话": f.contact_phone,
                }
            )
        memberships = [(f, m) for f in self.firms for m in f.memberships]
        for f, (assoc, since, until) in [m for m in memberships if not m[1][0].recent] + [
            m for m in memberships if m[1][0].recent
        ]:
            if assoc.founded:  # not while the association is still preparing
                self.add(
                    "企业入会",
                    "M",
                    4,
                    会员企业=f.ref,
                    商协会=assoc.ref,
                    入会日期=since,
                    退会日期=until,
                )
        for o in self.orgs:
            for person, since, until in o.members:
                self.add(
                    "组织关系",
                    "R",
                    3,
                    人员=person.ref,
                    党组织=o.ref,
                    起始日期=since,
                    截止日期=until,
                )
        for p in self.people:
            for status, since, until, source in p.statuses:
                self.add(
                    "政治面貌",
                    "Z",
                    4,
                    人员=p.ref,
                    政治面貌=status,
                    起始日期=since,
                    截止日期=until,
                    来源=source,
                )
        for person, firm, assoc, title, since, until in self.posts + self.late_posts:
            self.add(
                "职务",
                "J",
                4,
                人员=person.ref,
                会员企业=firm.ref if firm else "",
                商协会=assoc.ref if assoc else "",
                职务=title,
                起始日期=since,
                截止日期=until,
            )
        for person, title, leader, since, until in self.offices:
            self.add(
                "公职",
                "GZ",
                2,
                人员=person.ref,
                职务=title,
                市领导=YES if leader else NO,
                起始日期=since,
                截止日期=until,
            )
        for person, assoc, org, post, since, until in self.instructor_rows:
            self.add(
                "指导员选派",
                "I",
                3,
                指导员=person.ref,
                商协会=assoc.ref,
                党组织=org.ref if org else "",
                派出单位=FEDERATION,
                职务=post,
                起始日期=since,
                截止日期=until,
            )

    def emit_party_groups(self) -> None:
        for o in self.orgs:
            if o.name not in PARTY_GROUPS:
                continue
            established, names = PARTY_GROUPS[o.name]
            if names:
                groups = [(n, established, None) for n in names]
            else:  # a joint branch: a group for each association it covers
                covers = sorted(
                    ((a, s) for a in self.associations for org, s in a.covered if org is o),
                    key=lambda c: (c[1], c[0].ref),
                )
                groups = [(a.name.removeprefix("娄底市") + "党小组", s, a) for a, s in covers]
            refs = []
            for name, since, assoc in groups:
                refs.append(
                    (
                        self.add(
                            "党小组", "G", 2, 党组织=o.ref, 名称=name, 成立日期=since, 撤销日期=None
                        ),
                        since,
                        assoc,
                    )
                )
            for i, (person, since, until) in enumerate(o.members):
                if names:
                    ref, start, _ = refs[i % len(refs)]
                else:
                    ref, start, _ = next(g for g in refs if g[2] is person.home)
                self.add(
                    "党小组成员",
                    "GM",
                    3,
                    党小组=ref,
                    人员=person.ref,
                    起始日期=max(since, start),
                    截止日期=until,
                )

    def build(self) -> dict[str, list[dict]]:
        for stage in (
            self.build_associations,
            self.build_orgs,
            self.non_member_entrepreneurs,
            self.build_firms,
            self.association_posts,
            self.city_leaders,
            self.instructor_assignments,
            self.emit,
        ):
            self.stage(stage.__name__)
            stage()
        for name, stage in (("agenda", _agenda), ("classes", _classes), ("service", service.build),
                            ("volunteering", volunteering.build), ("membership", membership.build),
                            ("governance", governance.build)):
            self.stage(name)
            stage(self)
        return self.rows


# --- writing ------------------------------------------------------------------------------------


def demo_rows(today: date) -> dict[str, list[dict]]:
    """The demo's rows by sheet name, each row a dict of header → cell value."""
    return _Builder(today).build()


def _cells(sheet, row: dict) -> list:
    """The row's cells in the sheet's column order; a choice given by its code
    is written as its label. Unknown columns, choices and blank required cells
    are the builder's bugs: they fail here rather than at import."""
    for header in row:
        if header != REF_HEADER and sheet.column(header) is None:
            raise ValueError(f"{sheet.name}: 未登记的列“{header}”")
    cells = [row[REF_HEADER]]
    for col in sheet.columns:
        value = row.get(col.header)
        if col.kind == "choice" and value not in ("", None):
            value = col.choices.get(value, value)
            if value not in col.choices.values():
                raise ValueError(
                    f"{sheet.name} {row[REF_HEADER]} {col.header}：“{value}”不是登记的选项"
                )
        if col.required and value in ("", None):
            raise ValueError(f"{sheet.name} {row[REF_HEADER]} {col.header}：必填项为空")
        cells.append(value)
    return cells


def build_workbook(path, today: date) -> None:
    """Write the demo workbook to `path` (the registered sheets, in their order)."""
    import xlsxwriter

    from fourfirsts.core import sheets as registry

    rows = demo_rows(today)
    unknown = set(rows) - {s.name for s in registry.all_sheets()}
    if unknown:
        raise ValueError(f"未登记的工作表：{'、'.join(sorted(unknown))}")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(str(path))
    book.set_properties(
        {"title": "四个第一 演示数据", "created": datetime(today.year, today.month, today.day)}
    )
    bold = book.add_format({"bold": True})
    dates = book.add_format({"num_format": "yyyy-mm-dd"})
    for sheet in registry.all_sheets():
        if sheet.name not in rows:
            continue
        ws = book.add_worksheet(sheet.name)
        ws.write_row(0, 0, sheet.headers, bold)
        ws.set_column(0, len(sheet.headers) - 1, 16)
        ws.freeze_panes(1, 1)
        for r, row in enumerate(rows[sheet.name], start=1):
            for c, value in enumerate(_cells(sheet, row)):
                if isinstance(value, date):
                    ws.write_datetime(r, c, datetime(value.year, value.month, value.day), dates)
                elif isinstance(value, int) and not isinstance(value, bool):
                    ws.write_number(r, c, value)
                elif value not in (None, ""):
                    ws.write_string(r, c, str(value))
    book.close()


# --- 第一议题: topics, meetings, classes, lectures ----------------------------------------------

TOPIC_KINDS = ("讲话", "文章", "指示批示", "党内法规", "会议精神")
TOPIC_THEMES = (
    ("习近平总书记关于民营经济发展的重要讲话", "讲话", True),
    ("习近平总书记在中央全面深化改革委员会会议上的重要讲话", "讲话", False),
    ("《求是》杂志发表习近平总书记重要文章", "文章", False),
    ("习近平总书记关于安全生产的重要指示", "指示批示", False),
    ("《中国共产党支部工作条例（试行）》", "党内法规", False),
    ("《中国共产党纪律处分条例》", "党内法规", False),
    ("中央经济工作会议精神", "会议精神", True),
    ("全国两会精神", "会议精神", False),
    ("习近平总书记考察湖南时的重要讲话", "讲话", True),
    ("习近平总书记关于促进民营经济健康发展的重要论述", "文章", True),
    ("省委全会精神", "会议精神", False),
    ("习近平总书记关于统一战线工作的重要指示", "指示批示", False),
)
TOPIC_SOURCES = ("新华社", "人民日报", "求是网", "共产党员网", "湖南日报")
STUDY_FORMS = ("传达学习", "诵读原文", "交流研讨", "专家解读", "知识问答", "观看专题片", "案例分析")
PLACES_FOR_MEETINGS = ("商会党员活动室", "会议室", "党建活动中心", "会员企业会议室")
ABSENCE_REASONS = ("出差", "病假", "外出办事", "企业生产任务")
STUDY_2022 = 95  # F01: the article's 组织理论学习共计95次
BEHIND = ("娄底市湘潭商会党支部", "娄星区乡镇商会联合党支部", "娄底市电子信息产业协会党支部")
K_GENERAL, K_COMMITTEE, K_GROUP, K_LECTURE = "支部党员大会", "支委会/党委会", "党小组会", "党课"
K_THEME, K_LIFE, K_REVIEW = "主题党日", "组织生活会", "民主评议党员"
K_CENTRAL, K_TOPIC_STUDY, K_GROUP_STUDY = "理论学习中心组学习", "专题学习", "集中学习"
FT1 = (K_GENERAL, K_COMMITTEE, K_CENTRAL)
RECENT_DAYS = 90  # meetings this close to today have their attendance recorded


def _month_day(rng, year, month, first=3, last=26):
    return date(year, month, rng.randint(first, last))


def _agenda(self: "_Builder") -> None:
    """Topics pushed to every org, the orgs' 三会一课 and theme days (most
    complete, a few orgs behind), study sessions (95 in 2022), classes and
    lectures. 2022 and before come first and never depend on today; the
    rows after 2022 are drawn from their own stream, up to today."""
    self.topics = []  # (ref, released)
    self.pending = {o.ref: [] for o in self.orgs}
    for year in (2020, 2021, 2022):
        _agenda_year(self, year, date(year, 1, 1), date(year, 12, 31))
    self.stage("agenda_recent")
    for year in range(2023, self.today.year + 1):
        _agenda_year(self, year, date(year, 1, 1), min(date(year, 12, 31), self.today))


def _groups_since(self, org) -> date | None:
    if org.name not in PARTY_GROUPS:
        return None
    established, names = PARTY_GROUPS[org.name]
    if names:
        return established
    return min((s for a in self.associations for o, s in a.covered if o is org), default=None)


def _agenda_year(self, year: int, first: date, last: date) -> None:
    rng = self.rng
    # Topics: one a month, pushed on release to every org then in existence.
    for month in range(1, 13):
        released = _month_day(rng, year, month, 1, 20)
        theme, kind, private = TOPIC_THEMES[(year * 12 + month) % len(TOPIC_THEMES)]
        source = rng.choice(TOPIC_SOURCES)
        if released > last:
            continue
        ref = self.add("第一议题", "T", 4, 标题=f"{theme}（{year}年{month}月）", 类别=kind, 发布日期=released,
                       来源=source, 链接="", 涉及民营经济=YES if private else NO)
        self.topics.append((ref, released))
        for o in self.orgs:
            if o.established <= released:
                self.add("议题推送", "TP", 5, 议题=ref, 党组织=o.ref, 推送日期=released)
                self.pending[o.ref].append((ref, released))
    meetings = []  # (day, org, kind, leader)
    for o in self.orgs:
        behind = o.name in BEHIND
        p = 0.72 if behind else 0.96
        is_root = o.parent is None
        groups_since = _groups_since(self, o)
        for month in range(1, 13):
            if o.has_committee and rng.random() < p:
                meetings.append((_month_day(rng, year, month), o, K_COMMITTEE, None))
            if is_root:
                continue
            if rng.random() < p:
                meetings.append((_month_day(rng, year, month), o, K_THEME, None))
            if groups_since and groups_since <= date(year, month, 1) and rng.random() < p:
                meetings.append((_month_day(rng, year, month), o, K_GROUP, None))
            if month % 3 == 2:
                if rng.random() < p + 0.02:
                    meetings.append((_month_day(rng, year, month), o, K_GENERAL, None))
                if rng.random() < p:
                    leader = o.secretary if month == 5 else None
                    meetings.append((_month_day(rng, year, month), o, K_LECTURE, leader))
        if is_root:
            meetings.append((_month_day(rng, year, 7), o, K_LECTURE, o.secretary))
        else:
            if rng.random() < p:
                meetings.append((_month_day(rng, year, 12, 10, 28), o, K_LIFE, None))
            if rng.random() < p:
                meetings.append((_month_day(rng, year, 12, 10, 28), o, K_REVIEW, None))
    # Study sessions: the committee's central group monthly, the orgs' topic and group studies.
    root = self.orgs[0]
    for month in range(1, 13):
        meetings.append((_month_day(rng, year, month), root, K_CENTRAL, root.secretary))
    branches = [o for o in self.orgs[1:] if o.established <= date(year, 6, 30)]
    extra = STUDY_2022 - 12 if year == 2022 else rng.randint(70, 90)
    for _ in range(extra):
        o = rng.choice(branches)
        day = self.day_in(max(first, o.established + timedelta(days=1)), date(year, 12, 28))
        meetings.append((day, o, rng.choice((K_TOPIC_STUDY, K_GROUP_STUDY)), None))
    meetings.sort(key=lambda m: (m[0], m[1].ref, m[2]))
    for day, o, kind, leader in meetings:
        if day < first or day > last or day <= o.established:
            continue
        _meeting(self, day, o, kind, leader)


def _meeting(self, day: date, o, kind: str, leader) -> None:
    rng = self.rng
    active = [p for p, since, until in o.members if since <= day and (until is None or until >= day)]
    if not active:
        return
    queue = self.pending[o.ref]
    ready = [t for t in queue if t[1] <= day]
    first_topic, others, reason = "", [], ""
    studies = kind in FT1 or kind in (K_THEME, K_TOPIC_STUDY, K_GROUP_STUDY, K_GROUP)
    if studies and ready:
        first_topic = ready[0][0]
        others = [t[0] for t in ready[1:2]]
        for t in ready[:2]:
            queue.remove(t)
    elif kind in FT1:
        latest = [t for t in self.topics if t[1] <= day]
        if latest and rng.random() < 0.9:
            first_topic = latest[-1][0]
        else:
            reason = "本次为换届选举专题会议" if kind != K_CENTRAL else "本次为专题调研汇报"
    if kind in FT1 and first_topic and rng.random() < 0.03:
        first_topic, reason = "", "本次为紧急工作部署会议"
    secretary = o.secretary if o.secretary in active else active[0]
    recorder = next((p for p in active if p is not secretary), secretary)
    ref = self.add(
        "会议", "M", 5, 党组织=o.ref, 类型=kind,
        主题=f"{day.month}月{kind}", 日期=day, 开始时间=rng.choice(("09:00", "14:30", "19:30")),
        地点=rng.choice(PLACES_FOR_MEETINGS), 主持人=secretary.ref, 记录人=recorder.ref,
        **{"领学人/授课人": (leader or secretary).ref},
        列席人员="", 议程="1. 学习第一议题\n2. 研究近期工作" if first_topic else "研究近期工作",
        第一议题=first_topic, 未学习第一议题的原因=reason,
        学习形式=rng.choice(STUDY_FORMS) if first_topic else "",
        会议纪要="", 会议决定="", 落实措施="",
    )
    # 2022 and before: further topics, and attendance from 15 Nov 2022, drawn from
    # the year's own stream as ever. After 2022 the further topics of every
    # meeting, and attendance for the meetings of the last RECENT_DAYS, each
    # meeting drawing from a stream of its own: so these rows depend on today
    # only through which meetings there are (see test_demo's `past`).
    if day.year <= 2022:
        for topic in others:
            self.add("会议议题", "MT", 5, 会议=ref, 议题=topic)
        if day >= date(2022, 11, 15):
            _attendance(self, rng, ref, active)
        return
    recent = day > self.today - timedelta(days=RECENT_DAYS)
    if recent and first_topic and kind in (K_CENTRAL, K_TOPIC_STUDY, K_GROUP_STUDY, K_THEME):
        # A study session or theme day takes up the latest topic released before the first one, too.
        earlier = [t[0] for t in self.topics if t[1] <= day and t[0] != first_topic and t[0] not in others]
        others = [*others, *earlier[-1:]]
    for topic in others:
        self.add("会议议题", "MT", 5, 会议=ref, 议题=topic)
    if recent:
        _attendance(self, random.Random(f"{SEED}/{ref}"), ref, active)


def _attendance(self, rng, ref: str, active) -> None:
    for p in active:
        present = rng.random() < 0.88
        self.add("会议出席", "A", 5, 会议=ref, 人员=p.ref, 出席=YES if present else NO,
                 缺席原因="" if present else rng.choice(ABSENCE_REASONS))


def _classes(self: "_Builder") -> None:
    """Training classes (4 starting in 2022, online and offline) and the
    lecture series (1 session in 2022); later ones up to today."""
    fixed = (
        ("2021年度党务干部培训班", "线下", date(2021, 6, 15), date(2021, 6, 17), 24),
        ("2021年新党员网络培训班", "线上", date(2021, 10, 11), date(2021, 10, 22), 16),
        ("2022年商协会党组织书记培训班", "线下", date(2022, 4, 19), date(2022, 4, 21), 24),
        ("2022年学习贯彻党的二十大精神网络培训班", "线上", date(2022, 11, 7), date(2022, 11, 18), 20),
        ("2022年民营经济人士党员培训班", "线下", date(2022, 8, 23), date(2022, 8, 25), 24),
        ("2022年发展对象网上专题培训班", "线上", date(2022, 6, 6), date(2022, 6, 17), 16),
    )
    members = [p for o in self.orgs[1:] for p, since, _ in o.members if since.year <= 2020]
    for name, mode, start, end, hours in fixed:
        ref = self.add("培训班", "K", 3, 名称=name, 形式=mode, 开始日期=start, 结束日期=end, 学时=hours,
                       主办单位="娄底市工商联商协会党委")
        for p in self.rng.sample(members, 12):
            self.add("培训班学员", "KP", 4, 培训班=ref, 人员=p.ref, 结业=YES if self.rng.random() < 0.9 else NO)
    self.add("讲座", "L", 3, 主题="新时代民营经济高质量发展", 主讲人="湖南省委党校 刘教授",
             日期=date(2021, 9, 16), 地点="娄底市工商联报告厅", 听众人数=180)
    self.add("讲座", "L", 3, 主题="学习贯彻党的二十大精神 推动民营经济发展壮大", 主讲人="湖南大学 陈教授",
             日期=date(2022, 12, 8), 地点="娄底市工商联报告厅", 听众人数=260)
    self.stage("classes_recent")
    for year in range(2023, self.today.year + 1):
        for i, (mode, month) in enumerate((("线下", 4), ("线上", 7), ("线上线下", 10))):
            start = date(year, month, 10 + i)
            if start > self.today:
                continue
            self.add("培训班", "K", 3, 名称=f"{year}年商协会党员培训班（第{i + 1}期）", 形式=mode,
                     开始日期=start, 结束日期=start + timedelta(days=2), 学时=16,
                     主办单位="娄底市工商联商协会党委")
        held = date(year, 6, 18)
        if held <= self.today:
            self.add("讲座", "L", 3, 主题=f"{year}年民营经济政策解读", 主讲人="娄底市委党校 李教授",
                     日期=held, 地点="娄底市工商联报告厅", 听众人数=self.rng.randint(150, 300))
