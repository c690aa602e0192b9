"""The annual report as data, before it becomes txt, html, docx, pdf or xlsx:
every renderer reads this one structure, so the formats never disagree."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from fourfirsts.core.figures import Figure, FigureResult


@dataclass(frozen=True)
class Line:
    """One figure of the report with its result, for the tables (xlsx)."""

    figure: Figure
    result: FigureResult

    @property
    def display(self) -> str:
        return self.figure.display(self.result)


@dataclass(frozen=True)
class Section:
    """One pillar: `number` is the Chinese ordinal of the heading ("一"),
    `heading` its title ("坚持第一议题"), `paragraphs` its prose."""

    pillar: str  # "agenda", "service", "identity", "responsibility"
    number: str
    heading: str
    paragraphs: tuple[str, ...]
    lines: tuple[Line, ...] = ()


@dataclass(frozen=True)
class AnnualReport:
    year: int
    title: str  # "2022年度“四个第一”党建工作报告"
    author: str  # who reports: the committee, or one party org for a secretary's report
    opening: tuple[str, ...]  # the paragraphs before the first section
    sections: tuple[Section, ...]
    made_on: date  # the report's date, printed under the author
    federation: bool = True  # False for one org's report

    @property
    def made_on_text(self) -> str:
        d = self.made_on
        return _("%(y)s年%(m)s月%(d)s日") % {"y": d.year, "m": d.month, "d": d.day}

    @property
    def lines(self) -> list[Line]:
        return [line for s in self.sections for line in s.lines]
