"""Workflows declared as tables: which actions a role may take in which state,
and the messages a user sees when an action is refused.

No model has a `state` field yet (appeals and the membership pipeline are to
come), so `check`/`available`/`table` use a stand-in object, and `transition`
runs on a real row whose `save` is replaced (the event is really written)."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.db import connection, models
from django.test.utils import isolate_apps

from fourfirsts.core.access import Role
from fourfirsts.core.actors import Actor
from fourfirsts.core.models import WorkflowEvent
from fourfirsts.core.workflow import Transition, Workflow, WorkflowError

APPEAL = Workflow(
    name="test_appeal",
    states={"new": "待交办", "assigned": "已交办", "answered": "已答复", "closed": "已办结"},
    transitions=[
        Transition("assign", "交办", ("new",), "assigned", frozenset({Role.COMMITTEE})),
        Transition("answer", "答复", ("assigned",), "answered", frozenset({Role.HANDLER})),
        Transition(
            "close",
            "办结",
            ("answered", "assigned"),
            "closed",
            frozenset({Role.COMMITTEE, "system"}),
        ),
    ],
)


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Subject:
    state: str
    pk: int = 1


def test_a_transition_naming_an_unknown_state_is_refused_at_declaration():
    with pytest.raises(ValueError, match="unknown states"):
        Workflow(
            name="bad",
            states={"a": "甲"},
            transitions=[Transition("go", "前进", ("a",), "b", frozenset({Role.COMMITTEE}))],
        )


def test_available_lists_what_the_actor_may_do_now(cast):
    committee, handler = Actor.of(cast.committee), Actor.of(cast.handler)
    assert [t.action for t in APPEAL.available(Subject("new"), committee)] == ["assign"]
    assert APPEAL.available(Subject("new"), handler) == []
    assert [t.action for t in APPEAL.available(Subject("assigned"), handler)] == ["answer"]
    assert [t.action for t in APPEAL.available(Subject("assigned"), committee)] == ["close"]
    assert [t.action for t in APPEAL.available(Subject("answered"), Actor.system())] == ["close"]
    assert APPEAL.available(Subject("closed"), committee) == []
    assert APPEAL.available(Subject("new"), Actor.of(cast.sysadmin)) == []


def test_check_returns_the_transition_when_allowed(cast):
    t = APPEAL.check(Subject("assigned"), "answer", Actor.of(cast.handler))
    assert (t.action, t.target) == ("answer", "answered")


def test_a_state_conflict_names_the_state_and_the_action(cast):
    with pytest.raises(WorkflowError) as exc:
        APPEAL.check(Subject("closed"), "answer", Actor.of(cast.handler))
    assert exc.value.code == "conflict"
    assert exc.value.messages == ["当前状态为“已办结”，不能执行“答复”"]


def test_a_role_refusal_names_the_actor_and_the_action(cast):
    with pytest.raises(WorkflowError) as exc:
        APPEAL.check(Subject("new"), "assign", Actor.of(cast.secretary_a))
    assert exc.value.code == "forbidden"
    assert exc.value.messages == ["secretary_a无权执行“交办”"]
    with pytest.raises(WorkflowError, match="公众无权执行“办结”"):
        APPEAL.check(Subject("answered"), "close", Actor.public())


def test_an_unknown_action_is_a_workflow_error():
    with pytest.raises(WorkflowError) as exc:
        APPEAL.check(Subject("new"), "delete", Actor.system())
    assert exc.value.messages == ["没有“delete”这个操作"]


def test_the_table_reads_in_chinese():
    assert APPEAL.table()[2] == {
        "action": "close",
        "label": "办结",
        "from": ["已答复", "已交办"],
        "to": "已办结",
        "roles": [Role.COMMITTEE, "system"],
    }
    assert APPEAL.state_label("assigned") == "已交办" and APPEAL.state_label("odd") == "odd"


@pytest.fixture
def row(transactional_db):
    """A real workflow record: a throwaway model with a `state` column, its
    table made for this test (a transactional test, so SQLite allows DDL)."""
    with isolate_apps("fourfirsts.core"):

        class Ticket(models.Model):
            state = models.CharField(max_length=20, default="new")
            updated_at = models.DateTimeField(auto_now=True)

            class Meta:
                app_label = "core"

    with connection.schema_editor() as editor:
        editor.create_model(Ticket)
    yield Ticket.objects.create()
    with connection.schema_editor() as editor:
        editor.delete_model(Ticket)


def stored_state(obj):
    return type(obj).objects.values_list("state", flat=True).get(pk=obj.pk)


def test_transition_moves_the_state_saves_and_writes_an_event(cast, row):
    event = APPEAL.transition(
        row,
        "assign",
        actor=Actor.of(cast.committee),
        note="请市交通局办理",
        data={"department": "市交通局"},
    )
    assert row.state == "assigned" and stored_state(row) == "assigned"
    stored = WorkflowEvent.objects.get(pk=event.pk)
    assert (stored.workflow, stored.action, stored.old_state, stored.new_state) == (
        "test_appeal",
        "assign",
        "new",
        "assigned",
    )
    assert stored.actor_kind == "user" and stored.actor_user == cast.committee
    assert stored.actor_label == "committee" and stored.note == "请市交通局办理"
    assert stored.data == {"department": "市交通局"}
    assert list(APPEAL.events(row)) == [stored]


def test_imported_history_keeps_its_time_and_person(row):
    at = datetime(2022, 10, 8, 1, 30, tzinfo=UTC)
    type(row).objects.filter(pk=row.pk).update(state="answered")
    row.state = "answered"
    event = APPEAL.transition(row, "close", actor=Actor.system("导入"), at=at)
    assert event.at == at and event.actor_kind == "system" and event.actor_label == "导入"


def test_a_refused_transition_changes_and_writes_nothing(cast, row):
    with pytest.raises(WorkflowError):
        APPEAL.transition(row, "answer", actor=Actor.of(cast.handler))
    with pytest.raises(WorkflowError):
        APPEAL.transition(row, "assign", actor=Actor.of(cast.handler))
    assert row.state == "new" and stored_state(row) == "new"
    assert not WorkflowEvent.objects.exists()


def test_a_second_actor_on_a_stale_copy_is_told_to_reload(cast, row):
    stale = type(row).objects.get(pk=row.pk)
    APPEAL.transition(row, "assign", actor=Actor.of(cast.committee))
    with pytest.raises(WorkflowError, match="已被他人处理"):
        APPEAL.transition(stale, "assign", actor=Actor.of(cast.committee))
    assert WorkflowEvent.objects.count() == 1
