"""`/sync` text -> a typed command. Pure: no Slack, no database.

Every input gives a command; nonsense gives `Unknown` (with the closest verb) or
`BadArgument` (the verb was right, its argument was not), never an exception.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

VERBS_WITH_ID = ("show", "edit", "pause", "resume", "run", "delete", "errors", "history")
VERBS = ("help", "connect", "create", "list", "admin", "transfer", *VERBS_WITH_ID)
_MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


@dataclass(frozen=True)
class Help:
    pass


@dataclass(frozen=True)
class Connect:
    pass


@dataclass(frozen=True)
class CreateWorkflow:
    pass


@dataclass(frozen=True)
class ListWorkflows:
    everyone: bool = False  # `list all` (admins)


@dataclass(frozen=True)
class Admin:
    pass


@dataclass(frozen=True)
class WorkflowCommand:
    """A verb that names one workflow: show, edit, pause, resume, run, delete, errors, history."""

    verb: str
    workflow_id: int


@dataclass(frozen=True)
class EditWorkflow:
    """The builder's edit modal (handlers/builder/ dispatches it)."""

    workflow_id: int


@dataclass(frozen=True)
class Transfer:
    """`/sync transfer ID @person` (admins)."""

    workflow_id: int
    new_owner: str


@dataclass(frozen=True)
class Unknown:
    verb: str
    closest: str | None


@dataclass(frozen=True)
class BadArgument:
    verb: str
    reason: str


Command = (
    Help
    | Connect
    | CreateWorkflow
    | ListWorkflows
    | Admin
    | EditWorkflow
    | Transfer
    | WorkflowCommand
    | Unknown
    | BadArgument
)

_SIMPLE: dict[str, Command] = {
    "help": Help(),
    "connect": Connect(),
    "create": CreateWorkflow(),
    "admin": Admin(),
}


def parse(text: str) -> Command:
    words = text.strip().split()
    if not words:
        return Help()
    verb, args = words[0].lower(), words[1:]
    if verb in _SIMPLE:
        return _SIMPLE[verb] if not args or verb == "help" else _extra(verb)
    if verb == "list":
        return _list(args)
    if verb in VERBS_WITH_ID:
        return _with_id(verb, args)
    if verb == "transfer":
        return _transfer(args)
    return Unknown(verb, closest_verb(verb))


def _extra(verb: str) -> BadArgument:
    return BadArgument(verb, f"`/sync {verb}` takes nothing after it")


def _list(args: list[str]) -> Command:
    if not args:
        return ListWorkflows()
    if [a.lower() for a in args] == ["all"]:
        return ListWorkflows(everyone=True)
    return BadArgument("list", "use `/sync list` or `/sync list all`")


def _with_id(verb: str, args: list[str]) -> Command:
    if len(args) != 1:
        return BadArgument(verb, f"use `/sync {verb} ID` with a workflow number")
    raw = args[0].lstrip("#")
    if not raw.isdigit() or int(raw) <= 0 or len(raw) > 12:
        return BadArgument(verb, f"`{args[0]}` is not a workflow number")
    if verb == "edit":
        return EditWorkflow(int(raw))
    return WorkflowCommand(verb, int(raw))


def _transfer(args: list[str]) -> Command:
    usage = BadArgument("transfer", "use `/sync transfer ID @person`")
    if len(args) != 2 or not args[0].lstrip("#").isdigit():
        return usage
    mention = _MENTION.match(args[1])
    return Transfer(int(args[0].lstrip("#")), mention.group(1)) if mention else usage


def closest_verb(word: str) -> str | None:
    prefixed = [verb for verb in VERBS if len(word) >= 3 and verb.startswith(word)]
    if len(prefixed) == 1:
        return prefixed[0]
    matches = difflib.get_close_matches(word, VERBS, n=1, cutoff=0.5)
    return matches[0] if matches else None
