"""Every figure against its floor (fourfirsts/bench/floors.py: the plainest SQL
for the same number), on the demo: the registry's values for 2021–2023, and
the 2021 and 2023 reports printing each article figure as the floor says,
leaving out the ones that are zero."""

import re

import pytest

from fourfirsts.bench import floors
from fourfirsts.core import cnnum, figures
from fourfirsts.reports import prose

YEARS = (2021, 2022, 2023)
REPORT_YEARS = (2021, 2023)

# How the report's prose prints each article figure; {} is the figure's display.
PRINTED = {
    "F01": "组织理论学习共计{}",
    "F02": "线上线下党员培训班{}",
    "F03": "{label}{}",
    "F04": "{}会员党员深入走访调研",
    "F05": "建立经常性联系{}",
    "F06": "“难点”问题{}",
    "F07": "其中{raisers}位民营企业家提出的{}诉求",
    "F08": "文明劝导{}",
    "F09": "进社区“弯腰行动”{}",
    "F10": "帮扶薄弱村{}",
    "F11": "累计实施产业帮扶项目{}",
    "F12": "投入帮扶资金{}",
    "F13": "累计捐资助学{}",
    "F14": "助困济困{}",
    "F16": "指导{lead}市工商联所属商协会成立党组织",
    "F17": "选派{}党员干部",
    "F18": "培育出{}省、市级",
    "F19": "{}全国“四好”商会",
    "F20": "{}全省“四好”商会",
}
# F15 is a sentence chosen by comparing the year with the one before (figures.md).
F15_SENTENCES = {
    "up": "向各商协党组织递交入党申请书的民营经济人士变得越来越多",
    "same": "向各商协党组织递交入党申请书的民营经济人士人数与上年持平",
    "down": "向各商协党组织递交入党申请书的民营经济人士人数较上年有所减少",
}
ZERO_TOKEN = re.compile(r"(?<![0-9.])0(?:次|件|个|家|名|期|位|元|天|小时)")


def observed(figure, result):
    """The figure's result in its floor's shape."""
    if figure.id == "F07":
        return {"value": result.value, "raisers": result.parts.get("raisers")}
    if figure.id == "F15":
        return {"value": result.value, "previous": result.previous}
    if figure.id == "F16":
        return {"value": result.value, "names": list(result.names)}
    return result.value


def lead(names: list[str], display: str) -> str:
    """F16's names and count: the first two, then 等 when there are more, else 共;
    one association alone is named without a count."""
    if len(names) == 1:
        return names[0]
    return "、".join(names[:2]) + ("等" if len(names) > 2 else "共") + display


def printed(figure, floor) -> str:
    """What the report should print for the figure, from the floor alone."""
    value = floors.value_of(floor)
    if figure.id == "F15":
        current, previous = floor["value"], floor["previous"]
        return F15_SENTENCES["up" if current > previous else "down" if current < previous else "same"]
    display = cnnum.STYLES[figure.style](value, figure.unit)
    words = {"label": str(figure.label)}
    if figure.id == "F07":
        words["raisers"] = str(floor["raisers"])
    if figure.id == "F16":
        words["lead"] = lead(floor["names"], display)
    return PRINTED[figure.id].replace("{}", display).format(**words)


def words_of(figure) -> str:
    """The longest fixed part of the figure's words: absent when it is left out."""
    if figure.id == "F15":
        return "递交入党申请书"
    text = PRINTED[figure.id].replace("{label}", str(figure.label))
    return max(re.split(r"\{\w*\}", text), key=len)


@pytest.mark.django_db
def test_every_figure_equals_its_floor_in_2021_2022_and_2023(demo, db):
    registered = figures.all_figures()
    assert sorted(floors.FLOORS) == sorted(f.id for f in registered)

    wrong = []
    for year in YEARS:
        for figure in registered:
            value = observed(figure, figure.evaluate(None, year, demo))
            floor = floors.FLOORS[figure.id](year, demo)
            if value != floor:
                wrong.append((figure.id, year, value, floor))
    assert wrong == []


@pytest.mark.django_db
def test_the_2021_and_2023_reports_print_each_article_figure_as_its_floor_says(demo, db):
    article = [figures.get(fid) for fid in (*PRINTED, "F15")]
    for year in REPORT_YEARS:
        text = re.sub(r"\s+", "", prose.to_text(prose.build(None, year, demo)))
        missing, unwanted = [], []
        for figure in article:
            floor = floors.FLOORS[figure.id](year, demo)
            zero = not floors.value_of(floor) and not (figure.id == "F15" and floor["previous"])
            if zero:
                if words_of(figure) in text:
                    unwanted.append((figure.id, words_of(figure)))
            elif printed(figure, floor) not in text:
                missing.append((figure.id, printed(figure, floor)))
        assert (year, missing, unwanted) == (year, [], [])
        assert ZERO_TOKEN.findall(text) == [], year
        assert "文明劝导0次" not in text
