"""Workflows declared as tables: states, actions, the roles allowed, the next
state. Appeals, membership development and establishment are built on it.

Every transition writes a WorkflowEvent (old, new, actor, time, note); an
illegal one raises WorkflowError, whose message the UI shows as it is.
Object-level rules (only the assigned department may sign) stay in the
app's service, which calls `transition` once they pass.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fourfirsts.core.actors import Actor
from fourfirsts.core.models import WorkflowEvent


class WorkflowError(ValidationError):
    """A transition the table does not allow; the message is for the user."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]


@dataclass
class Workflow:
    name: str
    states: dict[str, str]
    transitions: list[Transition]
    state_field: str = "state"
    _by_action: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self):
        self._by_action = {t.action: t for t in self.transitions}
        for t in self.transitions:
            unknown = {*t.sources, t.target} - self.states.keys()
            if unknown:
                raise ValueError(f"{self.name}.{t.action}: unknown states {unknown}")

    def state_label(self, state: str) -> str:
        return self.states.get(state, state)

    def get(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError:
            raise WorkflowError(_("没有“%(action)s”这个操作") % {"action": action}) from None

    def available(self, obj, actor: Actor) -> list[Transition]:
        """The actions this actor may take on obj now (for buttons)."""
        state = getattr(obj, self.state_field)
        roles = actor.roles
        return [t for t in self.transitions if state in t.sources and roles & t.roles]

    def check(self, obj, action: str, actor: Actor) -> Transition:
        t = self.get(action)
        state = getattr(obj, self.state_field)
        if state not in t.sources:
            raise WorkflowError(
                _("当前状态为“%(state)s”，不能执行“%(action)s”")
                % {"state": self.state_label(state), "action": t.label},
                code="conflict",
            )
        if not actor.roles & t.roles:
            raise WorkflowError(
                _("%(actor)s无权执行“%(action)s”") % {"actor": actor, "action": t.label}, code="forbidden"
            )
        return t

    def transition(
        self,
        obj,
        action: str,
        *,
        actor: Actor,
        note: str = "",
        at: datetime | None = None,
        data: dict | None = None,
        update_fields: tuple[str, ...] = (),
    ) -> WorkflowEvent:
        """Apply one action: check it, move the state, save, write the event.
        `at` is given for imported history; otherwise it is now."""
        t = self.check(obj, action, actor)
        old = getattr(obj, self.state_field)
        with transaction.atomic():
            # Compare-and-set: if someone else moved the record since it was
            # read, this updates nothing and the second actor is told so.
            moved = type(obj)._default_manager.filter(pk=obj.pk, **{self.state_field: old}).update(
                **{self.state_field: t.target, "updated_at": timezone.now()}
            )
            if not moved:
                raise WorkflowError(_("该记录已被他人处理，请刷新后重试"), code="conflict")
            setattr(obj, self.state_field, t.target)
            if update_fields:
                obj.save(update_fields=[*update_fields, "updated_at"])
            return self._event(obj, t, old, actor, note, at, data)

    def _event(self, obj, t: Transition, old: str, actor: Actor, note, at, data) -> WorkflowEvent:
        return WorkflowEvent.objects.create(
            content_type=ContentType.objects.get_for_model(obj),
            object_id=obj.pk,
            workflow=self.name,
            action=t.action,
            old_state=old,
            new_state=t.target,
            actor_kind=actor.kind,
            actor_user=actor.user,
            actor_label=str(actor.label),
            at=at or timezone.now(),
            note=note,
            data=data or {},
        )

    def events(self, obj):
        return WorkflowEvent.objects.filter(
            content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, workflow=self.name
        )

    def table(self) -> list[dict]:
        """The declaration as rows, for docs and the UI."""
        return [
            {
                "action": t.action,
                "label": t.label,
                "from": [self.state_label(s) for s in t.sources],
                "to": self.state_label(t.target),
                "roles": sorted(t.roles),
            }
            for t in self.transitions
        ]
