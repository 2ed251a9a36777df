"""`/sync`: ack at once (help and mistakes are answered in the ack itself), then a lazy
listener runs the verb and answers through the response_url."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from handlers.actor import actor_of
from handlers.admin import open_admin
from handlers.commands.parse import (
    Admin,
    BadArgument,
    Command,
    Connect,
    CreateWorkflow,
    EditWorkflow,
    Help,
    ListWorkflows,
    Transfer,
    Unknown,
    WorkflowCommand,
    parse,
)
from handlers.errors import reported
from handlers.views import connect as connect_view
from handlers.views import help as help_view
from handlers.views import history as history_views
from handlers.views import workflows as views
from sync.services import Actor, Services

Reply = dict[str, Any]


# (client, trigger_id, actor, workflow id or 0 to create): the builder's modal (issue #7)
OpenBuilder = Callable[[Any, str, Actor, int], None]


def register(app: App, services: Services, open_builder: OpenBuilder | None = None) -> None:
    app.command("/sync")(ack=ack_sync, lazy=[run_sync(services, open_builder)])


def instant_reply(command: Command) -> Reply | None:
    """What can be answered inside the ack (no database, no API)."""
    if isinstance(command, Help):
        return help_view.help_message()
    if isinstance(command, Unknown):
        return help_view.unknown_verb(command.verb, command.closest)
    if isinstance(command, BadArgument):
        return help_view.bad_argument(command.reason)
    return None


def ack_sync(ack: Ack, command: dict[str, Any]) -> None:
    parsed = parse(command.get("text", ""))
    reply = instant_reply(parsed)
    if reply is not None:
        ack(**reply)
    elif isinstance(parsed, WorkflowCommand) and parsed.verb == "run":
        ack(text=f"Running workflow {parsed.workflow_id} now…")
    else:
        ack()


def run_sync(services: Services, open_builder: OpenBuilder | None = None) -> Callable[..., None]:
    @reported
    def lazy(command: dict[str, Any], context: BoltContext, client: Any, respond: Respond) -> None:
        parsed = parse(command.get("text", ""))
        if instant_reply(parsed) is not None:
            return
        if isinstance(parsed, Admin):
            open_admin(services, client, context, command["trigger_id"])
            return
        if open_builder and isinstance(parsed, CreateWorkflow | EditWorkflow):
            workflow_id = parsed.workflow_id if isinstance(parsed, EditWorkflow) else 0
            open_builder(client, command["trigger_id"], actor_of(context), workflow_id)
            return
        reply = answer(services, actor_of(context), parsed, command.get("response_url", ""))
        if reply is not None:
            respond(**reply, response_type="ephemeral")

    return lazy


def answer(
    services: Services, actor: Actor, command: Command, response_url: str = ""
) -> Reply | None:
    if isinstance(command, Connect):
        urls = services.connect_urls(actor, response_url)
        return connect_view.connect_prompt(services.connections(actor), urls)
    if isinstance(command, ListWorkflows):
        found = services.list_workflows(actor, everyone=command.everyone)
        return views.workflow_list(found, everyone=command.everyone)
    if isinstance(command, Transfer):
        wf = services.transfer(actor, command.workflow_id, command.new_owner)
        return views.outcome(f"Workflow {wf.id} ({wf.name}) now belongs to <@{wf.owner_id}>.")
    if isinstance(command, WorkflowCommand):
        return workflow_verb(services, actor, command.verb, command.workflow_id)
    if isinstance(command, CreateWorkflow | EditWorkflow):
        return views.outcome("The workflow builder is not part of this installation.")
    return help_view.help_message()


def workflow_verb(services: Services, actor: Actor, verb: str, workflow_id: int) -> Reply:
    if verb == "show":
        return views.workflow_detail(services.show(actor, workflow_id))
    if verb == "pause":
        wf = services.pause(actor, workflow_id, f"paused by <@{actor.user}>")
        return views.outcome(
            f"Workflow {wf.id} ({wf.name}) is paused. `/sync resume {wf.id}` restarts it."
        )
    if verb == "resume":
        was = services.resume(actor, workflow_id)
        note = f" It had been paused: {was}" if was else ""
        return views.outcome(f"Workflow {workflow_id} is syncing again.{note}")
    if verb == "run":
        wf = services.summary(actor, workflow_id)
        return views.run_result(wf, services.run(actor, workflow_id))
    if verb == "delete":
        return views.delete_prompt(services.summary(actor, workflow_id))
    if verb == "history":
        wf = services.summary(actor, workflow_id)
        return history_views.history_view(wf, services.history(actor, workflow_id))
    if verb == "errors":
        wf = services.summary(actor, workflow_id)
        return views.errors_view(wf, services.errors(actor, workflow_id))
    return help_view.help_message(f"`/sync {verb}` is not available yet.")
