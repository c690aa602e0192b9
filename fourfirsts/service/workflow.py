"""The appeal workflow as a table (rules.md §4). Object-level rules (only the
assigned department's handlers; the return and redo limits) are in services."""

from django.utils.translation import gettext_lazy as _

from fourfirsts.core.access import Role
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.workflow import Transition, Workflow
from fourfirsts.service.models import Appeal

S = Appeal.State
SYSTEM = WorkflowEvent.ActorKind.SYSTEM  # imports of recorded history and scheduled jobs
PUBLIC = WorkflowEvent.ActorKind.PUBLIC
# A department acting through its signed link (services/links.py); the
# services accept it only for the link's own appeal and department.
SIGNED_LINK = WorkflowEvent.ActorKind.SIGNED_LINK

COMMITTEE = frozenset({Role.COMMITTEE, SYSTEM})
HANDLER = frozenset({Role.HANDLER, SIGNED_LINK, SYSTEM})
ON_SITE = frozenset({Role.LEADER, Role.COMMITTEE, SYSTEM})
RATERS = frozenset({PUBLIC, Role.COMMITTEE, SYSTEM})
# The actions of the assigned department (its handlers or its signed link).
DEPARTMENT_ACTIONS = ("sign", "handle", "request_extension", "return", "reply")
# One rating form records 满意/基本满意/不满意; the service picks the action.
RATING_ACTIONS = ("rate", "redo", "rate_unsatisfied")
HELD = (S.ASSIGNED, S.SIGNED, S.HANDLING)

APPEAL_WORKFLOW = Workflow(
    name="service.appeal",
    states=dict(S.choices),
    transitions=[
        Transition("accept", _("受理"), (S.COLLECTED,), S.ACCEPTED, COMMITTEE),
        Transition("decline", _("不予受理"), (S.COLLECTED,), S.DECLINED, COMMITTEE),
        Transition("assign", _("交办"), (S.ACCEPTED,), S.ASSIGNED, COMMITTEE),
        Transition("assign_on_site", _("现场交办"), (S.COLLECTED, S.ACCEPTED), S.ASSIGNED, ON_SITE),
        Transition("reassign", _("重新交办"), (S.RETURNED,), S.ASSIGNED, COMMITTEE),
        Transition("sign", _("签收"), (S.ASSIGNED,), S.SIGNED, HANDLER),
        Transition("handle", _("办理"), (S.SIGNED,), S.HANDLING, HANDLER),
        Transition("request_extension", _("申请延期"), (S.HANDLING,), S.EXTENSION_REQUESTED, HANDLER),
        Transition("approve_extension", _("批准延期"), (S.EXTENSION_REQUESTED,), S.HANDLING, COMMITTEE),
        Transition("refuse_extension", _("不批准延期"), (S.EXTENSION_REQUESTED,), S.HANDLING, COMMITTEE),
        Transition("return", _("退回"), HELD, S.RETURNED, HANDLER),
        Transition("reply", _("答复"), (S.HANDLING,), S.REPLIED, HANDLER),
        Transition("rate", _("回访评价"), (S.REPLIED,), S.CLOSED, RATERS),
        Transition("redo", _("重办"), (S.REPLIED,), S.HANDLING, RATERS),
        Transition("rate_unsatisfied", _("不满意待定"), (S.REPLIED,), S.RATED, RATERS),
        Transition("close", _("办结"), (S.RATED,), S.CLOSED, COMMITTEE),
        Transition("close_unrated", _("未评价办结"), (S.REPLIED,), S.CLOSED, frozenset({SYSTEM})),
    ],
)
