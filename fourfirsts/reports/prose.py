"""The annual report's prose, in the article's shape: an opening, then one
section per pillar whose sentences are filled with figures from the registry.

A sentence is a tree of clauses. A clause names the figures it prints and is
left out when every one of them is zero (the report never says "0次"); a
clause with children is left out when all its children are. So a year
without training classes drops "举办线上线下党员培训班0期" but keeps the
lectures, and a year without anything to say about a pillar keeps only its
lead-in.

Placeholders: `{F01}` the figure's display (`95次`), `{F07.raisers}` one of
its parts as a plain number, `{F16.lead}` the first names of F16, `{F03.label}`
the figure's label, `{F06.top}` the four largest appeal categories, and
`{year}`, `{subject}`, `{members}`, `{asof}`, `{children}`.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fourfirsts.core import figures
from fourfirsts.core.access import scope_of
from fourfirsts.registry.models import PartyOrg
from fourfirsts.reports.document import AnnualReport, Line, Section

# Which pillar each app's figures belong to.
PILLAR_OF_APP = {
    "agenda": "agenda",
    "service": "service",
    "volunteering": "identity",
    "membership": "identity",
    "governance": "responsibility",
    "registry": "responsibility",
}
FIRST_YEAR = 2000  # the earliest year a report is written for
PILLARS = ("agenda", "service", "identity", "responsibility")
NUMBERS = (gettext_lazy("一"), gettext_lazy("二"), gettext_lazy("三"), gettext_lazy("四"))


@dataclass(frozen=True)
class Clause:
    text: str
    figures: tuple[str, ...] = ()
    children: tuple["Clause", ...] = ()
    joiner: str = "、"


def C(text: str, *figure_ids: str, children=(), joiner="、") -> Clause:  # noqa: N802 - reads like prose
    return Clause(text, tuple(figure_ids), tuple(children), joiner)


def _sentences(federation: bool):
    """The prose of each pillar (built per call: gettext needs the active
    language). A party org's report speaks of its own work: the federation's
    classes and lectures, its instructors sent out and the city's honours
    are not the org's to claim."""
    return {
        "agenda": (_("坚持第一议题"), [
            C(_("旗帜鲜明讲政治，把学习贯彻习近平新时代中国特色社会主义思想、习近平总书记最新重要讲话指示批示精神"
                "作为“第一议题”，通过“三会一课”、主题党日等方式，第一时间传达学习，第一时间推动落实。")),
            C(_("{year}年，{subject}{children}，以理论学习为抓手，引导广大民营经济人士与党想在一起、站在一起、干在一起。"),
              joiner="，", children=[
                  C(_("组织理论学习共计{F01}"), "F01"),
                  *([C(_("举办{children}"), children=[C(_("线上线下党员培训班{F02}"), "F02"),
                                                    C(_("{F03.label}{F03}"), "F03")])] if federation else []),
              ]),
            C(_("{inyear}{children}。"), joiner="，", children=[
                C(_("“第一议题”落实率{F24}"), "F24"),
                C(_("第一议题从发布到首次学习的时长中位数为{F25}"), "F25"),
                C(_("“三会一课”完成率{F26}"), "F26"),
            ]),
        ]),
        "service": (_("服务第一要务"), [
            C(_("将商协会党建与工商联业务工作深度融合起来，把服务民营经济高质量发展作为“第一要务”。"
                "商协会党员争当优化营商环境的带头者、助推者，积极推广应用“营商码”，宣传惠企纾困政策，"
                "认真帮助企业解决“急难愁盼”。")),
            C(_("{year}年，{children}。"), joiner="，", children=[
                C(_("{F04}会员党员深入走访调研商协会会员企业"), "F04"),
                C(_("以电话、微信等方式建立经常性联系{F05}"), "F05"),
                C(_("收集到会员企业在{F06.top}等方面遇到的“堵点”“痛点”“难点”问题{F06}"), "F06"),
                C(_("其中{F07.raisers}位民营企业家提出的{F07}诉求得到市委书记、市长现场交办"), "F07"),
            ]),
            C(_("诉求{children}。"), joiner="，", children=[
                C(_("答复率{F27}"), "F27"), C(_("办结率{F28}"), "F28"), C(_("满意率{F29}"), "F29"),
                C(_("办结时长中位数为{F30}"), "F30"),
            ]),
            C(_("{asof}，仍有{F31}诉求超过办理期限{pursuing}。"), "F31"),
        ]),
        "identity": (_("擦亮第一身份"), [
            C(_("{members}会员党员深入基层一线，积极开展捐资助学、文明创建等志愿服务活动，全面助力乡村振兴、基层治理，"
                "充分发挥党员先锋模范作用。")),
            C(_("{year}年，{members}党员{children}。"), joiner="，", children=[
                C(_("开展{children}"), children=[C(_("文明劝导{F08}"), "F08"), C(_("进社区“弯腰行动”{F09}"), "F09")]),
                C(_("志愿服务时长累计{F32}"), "F32"),
            ]),
            C(_("积极参与“万企兴万村”行动，{children}。"), joiner="，", children=[
                C(_("帮扶薄弱村{F10}"), "F10"),
                C(_("累计实施产业帮扶项目{F11}"), "F11"),
                C(_("投入帮扶资金{F12}"), "F12"),
            ]),
            C(_("深入村（社区）和学校开展爱心捐助活动，为困难学子、困难群众送去关怀与希望，{children}。"),
              joiner="，", children=[C(_("累计捐资助学{F13}"), "F13"), C(_("助困济困{F14}"), "F14")]),
            C(_("如今，党员已经成为商协会中一道最亮眼的风景，{F15}。") if federation
              else _("如今，向本组织递交入党申请书的民营经济人士{F15.trend}。"), "F15"),
            C(_("{asof}，处于入党申请人、积极分子、发展对象和预备党员阶段的共{F33}。"), "F33"),
        ]),
        "responsibility": (_("履行第一责任"), [
            C(_("全面落实从严治党主体责任，坚定执行“党建进章程”，将坚持党的领导、党组织设置、党务工作力量配备和"
                "经费保障等内容写入商会章程{children}。"), children=[C(_("，党建进章程率{F23}"), "F23")]),
            C(_("围绕“两个覆盖”，按照“商会和商会党组织同步筹备同步建立”原则，{children}。") if federation
              else _("围绕“两个覆盖”，{children}。"), children=[
                C(_("指导{F16.lead}市工商联所属商协会成立党组织，并挑选出政治素质高、奉献意识强的企业家担任党组织负责人")
                  if federation else _("{F16.lead}当年纳入党组织覆盖"), "F16"),
            ]),
            C(_("{asof}，{covered}{children}。"), joiner="，", children=[
                C(_("组织覆盖率{F21}"), "F21"),
                C(_("工作覆盖率{F22}"), "F22"),
            ]),
            C(_("全力推进党组织标准化规范化建设，{children}，不断提升所属商协会党建工作质量。"), joiner="，", children=[
                C(_("从市工商联机关选派{F17}党员干部担任商协会党建工作指导员") if federation
                  else _("{F17}党建工作指导员联系指导所覆盖商协会"), "F17"),
                C(_("指导员履职率{F34}"), "F34"),
            ]),
            C(_("{asof}，{honoured}{children}。"), joiner="，", children=[
                C(_("培育出{F18}省、市级“标杆示范党组织”"), "F18"),
                C(_("成功创建{children}"), children=[C(_("{F19}全国“四好”商会"), "F19"),
                                                   C(_("{F20}全省“四好”商会"), "F20")]),
            ]),
        ]),
    }


def _opening() -> C:
    return C(_("{year}年，{author}坚持把党建工作作为服务民营经济健康发展和民营经济人士健康成长的重要载体和主要途径，"
               "通过抓实“四个第一”党建工作体系，强化政治引领、夯实组织基础、服务经济发展、履行党员责任，"
               "实现了党建与会建共赢发展。"))


# --- filling clauses -------------------------------------------------------------------------

PLACEHOLDER = re.compile(r"\{(F\d+)(?:\.(\w+))?\}")


class Filler:
    def __init__(self, results: dict, words: dict):
        self.results = results  # id → (Figure, FigureResult)
        self.words = words  # {year}, {subject}, {author}

    def is_zero(self, figure_id: str) -> bool:
        _figure, result = self.results[figure_id]
        return not result.value and not result.previous

    def render(self, clause: Clause) -> str | None:
        """The clause's text, or None when it is left out."""
        if clause.figures and all(self.is_zero(f) for f in clause.figures):
            return None
        children = [t for t in (self.render(c) for c in clause.children) if t]
        if clause.children and not children:
            return None
        text = PLACEHOLDER.sub(self._figure_text, clause.text)
        for key, value in {**self.words, "children": clause.joiner.join(children)}.items():
            text = text.replace("{" + key + "}", value)
        return text

    def _figure_text(self, match) -> str:
        figure, result = self.results[match.group(1)]
        part = match.group(2)
        if part is None:
            return figure.display(result)
        if part == "label":
            return str(figure.label)
        if part == "lead":
            return _lead(figure, result)
        if part == "trend":
            return _trend_words(result)
        if part == "top":
            return _top_categories(result)
        return str(result.parts[part])


def _lead(figure, result) -> str:
    """F16's names and count: "甲、乙等4家", "甲、乙共2家", or one name alone."""
    lead = result.parts.get("lead", "")
    if result.value == 1:
        return lead
    return lead + ("" if lead.endswith(_("等")) else _("共")) + figure.display(result)


def _trend_words(result) -> str:
    """F15's trend for one org's report (the federation's prints F15's own sentence)."""
    if result.value > (result.previous or 0):
        return _("变得越来越多")
    if result.value < (result.previous or 0):
        return _("人数较上年有所减少")
    return _("人数与上年持平")


def _top_categories(result, n: int = 4) -> str:
    by_category = result.parts.get("by_category", {})
    top = sorted((k for k, v in by_category.items() if v), key=lambda k: -by_category[k])[:n]
    return "、".join(top)


# --- the report ------------------------------------------------------------------------------


def build(who, year: int, today: date | None = None, progress=None) -> AnnualReport:
    """The report for `year` as `who` (a user, a Scope, or None for the
    federation) may see it: a secretary's report covers their org.
    `progress(done)` is called after each figure."""
    today = today or timezone.localdate()
    scope = scope_of(who) if who is not None else None
    results = {f_id: (figures.get(f_id), r) for f_id, r in figures.evaluate_all(who, year, today, progress).items()}
    author, subject, members = _author(scope)
    federation = scope is None or scope.sees_all
    past = year < today.year
    filler = Filler(results, {
        "year": str(year), "subject": subject, "author": author, "members": members,
        "asof": _("截至年底") if past else _("截至目前"), "inyear": _("全年") if past else _("年内"),
        "pursuing": "" if past else _("，正在督办"),
        "covered": _("全市商协会") if federation else _("所覆盖商协会"),
        "honoured": _("全市共") if federation else _("所覆盖商协会和本组织共"),
    })
    sections = []
    for number, (pillar, (heading, clauses)) in zip(NUMBERS, _sentences(federation).items(), strict=True):
        text = "".join(t for t in (filler.render(c) for c in clauses) if t)
        lines = tuple(Line(f, r) for f, r in results.values() if pillar_of(f) == pillar)
        sections.append(Section(pillar=pillar, number=str(number), heading=heading, paragraphs=(text,), lines=lines))
    return AnnualReport(
        year=year,
        title=_("%(year)s年度“四个第一”党建工作报告") % {"year": year},
        author=author,
        opening=(filler.render(_opening()),),
        sections=tuple(sections),
        made_on=today,
        federation=federation,
    )


def author_of(who) -> str:
    """Whose numbers `who` sees: the committee's, or their own org's."""
    return _author(scope_of(who) if who is not None else None)[0]


def pillar_of(figure) -> str:
    try:
        return PILLAR_OF_APP[figure.app]
    except KeyError:
        raise KeyError(f"figure {figure.id}: app {figure.app!r} belongs to no pillar") from None


def _author(scope) -> tuple[str, str, str]:
    """Who reports, how the prose names the orgs that did the work, and whose members."""
    if scope is None or scope.sees_all:
        committee = (PartyOrg.objects.filter(parent__isnull=True, kind=PartyOrg.Kind.PARTY_COMMITTEE)
                     .order_by("established_on", "pk").values_list("name", flat=True).first())
        return committee or _("商协会党委"), _("商协会党委和各商协会党组织"), _("各商协会的")
    names = list(PartyOrg.objects.filter(pk__in=scope.party_org_ids, parent__isnull=False)
                 .order_by("sort_key", "pk").values_list("name", flat=True)[:3]) if scope.party_org_ids else []
    if not names:
        names = list(PartyOrg.objects.filter(pk__in=scope.party_org_ids)
                     .order_by("sort_key", "pk").values_list("name", flat=True)[:3])
    more = len(scope.party_org_ids) > len(names)
    author = "、".join(names) + (_("等") if more else "") if names else _("本单位")
    return author, author, author


def to_text(report: AnnualReport) -> str:
    """Plain text: title, author and date, the opening, then each section
    under its numbered heading."""
    out = [report.title, f"{report.author}  {report.made_on_text}", ""]
    out.extend(report.opening)
    for section in report.sections:
        out.extend(["", f"{section.number}、{section.heading}"])
        out.extend(section.paragraphs)
    return "\n".join(out) + "\n"
