"""The 25 steps of membership development (rules.md §3), declared as a table:
code, stage, label, order, and the development stage a step moves the person to.

Stage codes are the glossary's: applicant, activist, candidate, probationary,
full. 4.17 (上级党委审批) makes the person 中共预备党员 *from the branch meeting's
date* (4.15): 《发展党员工作细则》 art. 30 counts probation from the day the
branch general meeting accepts the applicant, and the approval confirms that
decision. 5.24 makes them 中共党员 from the day probation ends.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

APPLICANT, ACTIVIST, CANDIDATE, PROBATIONARY, FULL = "applicant", "activist", "candidate", "probationary", "full"
STAGES = (
    (APPLICANT, _("入党申请人")),
    (ACTIVIST, _("入党积极分子")),
    (CANDIDATE, _("发展对象")),
    (PROBATIONARY, _("预备党员")),
    (FULL, _("正式党员")),
)
STAGE_LABELS = dict(STAGES)
STAGE_GROUPS = {
    1: _("申请入党"), 2: _("入党积极分子的确定和培养教育"), 3: _("发展对象的确定和考察"),
    4: _("预备党员的接收"), 5: _("预备党员的教育考察和转正"),
}


@dataclass(frozen=True)
class Step:
    code: str
    group: int
    label: str
    sets_stage: str = ""
    # Extra facts the step carries: people (contacts / introducers), training,
    # votes, notice (公示), delay_reason.
    needs: tuple[str, ...] = ()

    @property
    def order(self) -> int:
        return int(self.code.split(".")[1])


STEPS: tuple[Step, ...] = (
    Step("1.1", 1, _("递交入党申请书"), APPLICANT),
    Step("1.2", 1, _("党组织派人谈话")),
    Step("2.3", 2, _("推荐和确定入党积极分子"), ACTIVIST),
    Step("2.4", 2, _("上级党委备案")),
    Step("2.5", 2, _("指定培养联系人"), needs=("people",)),
    Step("2.6", 2, _("培养教育考察")),
    Step("3.7", 3, _("确定发展对象"), CANDIDATE, needs=("notice",)),
    Step("3.8", 3, _("报上级党委备案")),
    Step("3.9", 3, _("确定入党介绍人"), needs=("people",)),
    Step("3.10", 3, _("进行政治审查")),
    Step("3.11", 3, _("开展集中培训"), needs=("training",)),
    Step("4.12", 4, _("支部委员会审查")),
    Step("4.13", 4, _("上级党委预审")),
    Step("4.14", 4, _("填写入党志愿书")),
    Step("4.15", 4, _("支部大会讨论"), needs=("votes",)),
    Step("4.16", 4, _("上级党委派人谈话")),
    Step("4.17", 4, _("上级党委审批"), PROBATIONARY, needs=("delay_reason",)),
    Step("4.18", 4, _("再上一级党委组织部门备案")),
    Step("5.19", 5, _("编入党支部和党小组")),
    Step("5.20", 5, _("入党宣誓")),
    Step("5.21", 5, _("继续教育考察")),
    Step("5.22", 5, _("提出转正申请")),
    Step("5.23", 5, _("支部大会讨论"), needs=("votes", "notice")),
    Step("5.24", 5, _("上级党委审批"), FULL),
    Step("5.25", 5, _("材料归档")),
)
BY_CODE = {s.code: s for s in STEPS}
CODES = tuple(s.code for s in STEPS)
# Steps the higher committee takes: the committee records them, or a secretary
# of an org above the development's org.
HIGHER_COMMITTEE_STEPS = frozenset({"4.13", "4.16", "4.17", "4.18", "5.24"})
PEOPLE_LABELS = {"2.5": _("培养联系人"), "3.9": _("入党介绍人")}


def step(code: str) -> Step:
    return BY_CODE[code]


def previous(code: str) -> Step | None:
    i = CODES.index(code)
    return STEPS[i - 1] if i else None


def stage_after(code: str) -> str:
    """The stage a person is at once the step is done."""
    stage = APPLICANT
    for s in STEPS:
        if s.sets_stage:
            stage = s.sets_stage
        if s.code == code:
            return stage
    raise KeyError(code)
