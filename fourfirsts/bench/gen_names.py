"""Names for the benchmark generator, and their search and sort keys built
cheaply.

core.searchkeys costs about 0.5 ms a name (pypinyin and OpenCC on the whole
text); at province scale that is minutes. Every generated name is made of
parts from the fixed tables below, so the keys are built from the parts:

- search_key: exactly what core.searchkeys.search_key computes, with each
  character's readings (core.searchkeys._readings) looked up once and cached;
  the names use only simplified characters, so OpenCC has nothing to convert
  (the tests compare a sample with core.searchkeys);
- sort_key: core.searchkeys.sort_key of each part (cached), joined with its
  separator. pypinyin reads a phrase that spans two parts on its own (娄底市 +
  长沙商会: the real key reads 市长 as shi zhang), so a few sort keys differ
  from the real ones; only the order among such names can differ.
"""

import unicodedata

from fourfirsts.core import searchkeys

SEP = searchkeys.SORT_SEPARATOR
_sort_parts: dict[str, str] = {}
_readings: dict[str, list[str]] = {}


def _sort_of(part: str) -> str:
    key = _sort_parts.get(part)
    if key is None:
        key = _sort_parts[part] = searchkeys.sort_key(part)
    return key


def _normal(text: str) -> str:
    """searchkeys._normal without OpenCC (the tables hold simplified text only)."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _initials(text: str) -> list[str]:
    """searchkeys.pinyin_initials, with each character's readings cached."""
    variants = [""]
    for ch in _normal(text):
        readings = _readings.get(ch)
        if readings is None:
            readings = _readings[ch] = searchkeys._readings(ch)
        if not readings:
            continue
        readings = readings[: max(1, searchkeys.MAX_VARIANTS // len(variants))]
        variants = [v + r for v in variants for r in readings] if len(readings) > 1 else [v + readings[0] for v in variants]
    return [v for v in variants if v]


def search_key(*texts: str) -> str:
    parts: list[str] = []
    for text in texts:
        parts.append(_normal(text))
        parts.extend(_initials(text))
    return " ".join(dict.fromkeys(p for p in parts if p))


def sort_key(parts) -> str:
    key = SEP.join(k for k in map(_sort_of, parts) if k)
    return key[: searchkeys.SORT_KEY_LENGTH].rstrip(SEP)


def keys(parts, *texts: str) -> dict:
    """The Named fields of a name made of `parts`, searchable also by `texts`."""
    name = "".join(parts)
    return {"name": name, "search_key": search_key(name, *texts), "sort_key": sort_key(parts)}


# --- tables ---------------------------------------------------------------------------------

CITIES = ("娄底市", "长沙市", "株洲市", "湘潭市", "衡阳市", "邵阳市", "岳阳市", "常德市", "张家界市", "益阳市",
          "郴州市", "永州市", "怀化市", "湘西州")
# 娄底's own counties; the other cities' are made from PLACE_SYLLABLES.
LOUDI_COUNTIES = ("娄星区", "冷水江市", "涟源市", "双峰县", "新化县", "娄底经开区")
PLACE_SYLLABLES = "安宁平和清河新华东西南石山江湖阳溪桥塘田岭龙凤金玉永兴长乐福泰丰宝沙源林花荷梅竹松云青白高"
COUNTY_ENDINGS = ("县", "区", "市")
TOWN_ENDINGS = ("镇", "乡", "街道")
VILLAGE_SECOND = "井塘田山溪坪冲桥湾岭湖坡园庄"
STREETS = ("长青中街", "乐坪大道", "湘中大道", "人民路", "建设路", "解放路", "新华路", "迎宾大道", "春园路", "学府路")

HOMES = ("安徽", "浙江", "福建", "江西", "广东", "广西", "四川", "重庆", "贵州", "云南", "河南", "河北", "山东",
         "江苏", "湖北", "陕西", "山西", "东北", "温州", "莆田", "潮汕", "上海", "长沙", "株洲", "湘潭", "衡阳",
         "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "湘西", "甘肃", "海南")
TRADE_ASSOCIATIONS = ("钢铁行业协会", "新材料产业协会", "工程机械行业协会", "电子信息产业协会", "建筑业协会",
                      "建材行业协会", "农产品加工业协会", "文化旅游产业协会", "餐饮行业协会", "房地产业协会",
                      "物流与供应链协会", "汽车流通行业协会", "电子陶瓷行业协会", "锑业协会", "煤炭行业协会",
                      "农机行业协会", "文印行业协会", "小额贷款公司协会", "民营医疗机构协会", "民办教育协会",
                      "电子商务协会", "酒店行业协会", "混凝土行业协会", "家居建材协会", "软件和信息技术服务业协会",
                      "茶叶协会", "检验检测协会", "摩托车行业协会", "新能源汽车产业协会", "跨境电子商务协会")
MARKETS = ("湘中大市场商会", "建材大市场商会", "五金机电市场商会", "农产品批发市场商会", "汽配城商会",
           "步行街商会", "商贸城商会", "家具城商会", "服装城商会", "电脑城商会", "茶叶市场商会", "钢材市场商会")
OTHERS = ("青年企业家商会", "女企业家商会", "民营企业家协会", "新生代企业家商会", "个体私营企业协会")

SURNAMES = {"刘": 12, "李": 8, "王": 7, "曾": 6, "罗": 6, "彭": 5, "谢": 5, "陈": 5, "张": 5, "肖": 4, "邓": 4,
            "吴": 4, "周": 4, "袁": 3, "梁": 3, "贺": 3, "唐": 3, "胡": 3, "杨": 3, "黄": 3, "颜": 2, "龚": 2,
            "伍": 2, "康": 2, "段": 2, "朱": 2, "蒋": 2, "戴": 2, "聂": 1, "向": 1, "成": 1, "欧阳": 1}
MALE = "建国军伟勇强明华平志文斌波辉峰涛杰鹏飞林海春东新宏立德昌胜利鑫湘正旭凯俊"
FEMALE = "丽芳娟敏静燕艳霞玲红英梅琴兰萍婷雪慧颖洁秀芬莉佳欣蓉"
BRAND_FIRST = "鑫华宏恒金永天瑞锦众博兴晟富嘉隆凯盛泰德源诚信达通远创亿新湘梅资涟楚"
BRAND_SECOND = "达泰远信盛利成丰华源鑫通宇辉程越邦隆安和科力泽康顺旺腾峰"
FORMS = {"有限公司": 80, "有限责任公司": 12, "股份有限公司": 3, "集团有限公司": 5}

# profile → (GB/T 4754 section, trade words of firm names)
TRADES = {
    "steel": ("C", ("钢铁", "特钢", "钢材加工", "金属制品")),
    "machinery": ("C", ("机械制造", "工程机械", "重工机械", "液压机械")),
    "electronics": ("C", ("电子科技", "电子陶瓷", "电子元件", "智能装备")),
    "software": ("I", ("信息技术", "网络科技", "软件开发", "数字科技")),
    "building": ("C", ("建材", "新型建材", "水泥制品", "商品混凝土")),
    "construction": ("E", ("建设工程", "建筑工程", "路桥建设", "装饰工程")),
    "energy": ("D", ("电力", "新能源", "光伏电力", "燃气")),
    "agri": ("A", ("农业开发", "生态农业", "茶业", "养殖")),
    "food": ("C", ("食品", "粮油", "农产品加工", "酒业")),
    "culture": ("R", ("文化传媒", "影视传媒", "体育文化")),
    "catering": ("H", ("酒店管理", "餐饮管理", "餐饮")),
    "trade": ("F", ("商贸", "贸易", "医药连锁", "电子商务")),
    "logistics": ("G", ("物流", "运输", "供应链管理", "货运")),
    "realestate": ("K", ("房地产开发", "置业", "物业管理")),
    "services": ("L", ("企业管理咨询", "人力资源服务", "广告")),
    "tech": ("M", ("检测技术", "工程设计", "工程咨询")),
    "mining": ("B", ("矿业", "锑业", "煤业", "石材")),
    "household": ("O", ("家政服务", "汽车维修", "美容美发")),
}
TRADE_WEIGHTS = {"steel": 8, "machinery": 6, "electronics": 6, "software": 3, "building": 8, "construction": 10,
                 "energy": 2, "agri": 5, "food": 5, "culture": 3, "catering": 3, "trade": 14, "logistics": 6,
                 "realestate": 4, "services": 3, "tech": 2, "mining": 2, "household": 2}

DEPARTMENTS = (("交通运输局", "交通运输局"), ("自然资源和规划局", "自然资源和规划局"),
               ("市场监督管理局", "市场监督管理局"), ("税务局", "税务局"),
               ("人力资源和社会保障局", "人力资源和社会保障局"), ("发展和改革委员会", "发展和改革委员会"),
               ("供电公司", "供电公司"), ("住房和城乡建设局", "住房和城乡建设局"), ("生态环境局", "生态环境局"),
               ("工业和信息化局", "工业和信息化局"), ("商务局", "商务局"), ("财政局", "财政局"),
               ("公安局", "公安局"), ("行政审批服务局", "行政审批服务局"), ("水利局", "水利局"))
