"""Who did a thing: a user, the system, the public, or a signed link.

Services take an Actor so that imports, scheduled jobs and the public 营商码
pages go through the same rules as a signed-in user."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from fourfirsts.core.models import WorkflowEvent

Kind = WorkflowEvent.ActorKind


@dataclass(frozen=True)
class Actor:
    kind: str
    user: Any = None
    label: str = ""

    @classmethod
    def of(cls, user) -> "Actor":
        """The actor for a signed-in user (or the system when user is None)."""
        if user is None:
            return SYSTEM
        if isinstance(user, Actor):
            return user
        return cls(kind=Kind.USER, user=user, label=user.get_username())

    @classmethod
    def system(cls, label: str | None = None) -> "Actor":
        return cls(kind=Kind.SYSTEM, label=_("系统") if label is None else label)

    @classmethod
    def public(cls, label: str | None = None) -> "Actor":
        return cls(kind=Kind.PUBLIC, label=_("公众") if label is None else label)

    @classmethod
    def signed_link(cls, label: str) -> "Actor":
        return cls(kind=Kind.SIGNED_LINK, label=label)

    @classmethod
    def person(cls, label: str) -> "Actor":
        """A registry person named in imported history (no account needed)."""
        return cls(kind=Kind.PERSON, label=label)

    @property
    def roles(self) -> frozenset[str]:
        from fourfirsts.core.access import scope_of

        if self.kind == Kind.USER:
            return scope_of(self.user).roles
        return frozenset({self.kind})

    def __str__(self) -> str:
        return str(self.label or self.get_kind_display())

    def get_kind_display(self) -> str:
        return str(Kind(self.kind).label)


SYSTEM = Actor.system()
