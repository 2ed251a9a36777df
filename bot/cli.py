"""`syncbot` — the command line. Each subcommand parses its arguments and calls a service."""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.cli_errors import explain
from bot.config import Settings, load_settings
from bot.logs import configure as configure_logging

log = logging.getLogger("syncbot")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    configure_logging(verbose=args.verbose, json_format=getattr(args, "log_format", "") == "json")
    handler: Callable[[argparse.Namespace], int] | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # every failure becomes one sentence (bot/cli_errors.py)
        sentence, code = explain(exc)
        print(f"syncbot: {sentence}", file=sys.stderr)
        return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="syncbot", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(title="commands")

    serve = sub.add_parser("serve", help="run the app and the embedded scheduler")
    serve.add_argument("--host", default="0.0.0.0", help="address to listen on")
    serve.add_argument("--port", type=int, help="port (default PORT, 3000); 0 picks a free one")
    serve.add_argument(
        "--no-migrate",
        action="store_true",
        help="do not run migrations; refuse to start if the database is behind",
    )
    serve.add_argument("--log-format", choices=["text", "json"], default="text")
    serve.add_argument(
        "--shutdown-timeout",
        type=float,
        default=30.0,
        help="seconds a tick in flight may take to finish after SIGTERM",
    )
    serve.set_defaults(handler=_lazy("bot.serve", "serve"))

    demo = sub.add_parser("demo", help="run a full walkthrough against the local sandbox")
    demo.add_argument("--keep-running", action="store_true")
    demo.add_argument("--records", type=int, default=40, help="seeded records per object")
    demo.set_defaults(handler=_lazy("bot.demo", "run"))

    sandbox = sub.add_parser("sandbox", help="run only the three emulators on loopback")
    sandbox.add_argument("--env-file", type=Path)
    sandbox.add_argument("--size", type=int, default=300, help="seeded records per object")
    sandbox.set_defaults(handler=_lazy("bot.commands", "sandbox"))

    connections = sub.add_parser("connections", help="manage connections without Slack")
    connections.set_defaults(handler=_help_of(connections))
    csub = connections.add_subparsers(title="actions")
    add = csub.add_parser("add", help="register a Salesforce or Smartsheet connection")
    add.add_argument("service", choices=["salesforce", "smartsheet"])
    add.add_argument("--team", required=True, help="Slack workspace id (T…)")
    add.add_argument("--owner", required=True, help="Slack user id (U…) who owns it")
    add.add_argument("--access-token", help="or give it on stdin with --tokens-stdin")
    add.add_argument("--refresh-token")
    add.add_argument(
        "--tokens-stdin",
        action="store_true",
        help="read the access token (and optionally the refresh token) from stdin",
    )
    add.add_argument("--instance-url", help="Salesforce instance URL")
    add.add_argument("--login-url", help="Salesforce login host (default SALESFORCE_LOGIN_URL)")
    add.add_argument("--org-id", help="Salesforce org id (default: read from the token)")
    add.add_argument("--label", default="")
    add.set_defaults(handler=_lazy("bot.commands", "connections_add"))
    lst = csub.add_parser("list", help="list connections (never the tokens)")
    lst.add_argument("--team")
    lst.set_defaults(handler=_lazy("bot.commands", "connections_list"))

    workflows = sub.add_parser("workflows", help="export or import workflows as YAML")
    workflows.set_defaults(handler=_help_of(workflows))
    wsub = workflows.add_subparsers(title="actions")
    export = wsub.add_parser("export")
    export.add_argument("--team")
    export.add_argument("-o", "--output", type=Path)
    export.set_defaults(handler=_lazy("bot.commands", "workflows_export"))
    imp = wsub.add_parser("import")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_lazy("bot.commands", "workflows_import"))
    wlist = wsub.add_parser("list", help="workflows with their state")
    wlist.add_argument("--team")
    wlist.set_defaults(handler=_lazy("bot.commands", "workflows_list"))
    pause = wsub.add_parser("pause")
    pause.add_argument("id", type=int)
    pause.set_defaults(handler=_lazy("bot.commands", "workflows_pause"))
    resume = wsub.add_parser("resume")
    resume.add_argument("id", type=int)
    resume.add_argument(
        "--accept-changes",
        action="store_true",
        help="after a safety stop: let the next run make the changes it held back",
    )
    resume.set_defaults(handler=_lazy("bot.commands", "workflows_resume"))

    once = sub.add_parser("sync-once", help="run one tick now")
    once.add_argument("--workflow", type=int, action="append", help="only these workflow ids")
    once.set_defaults(handler=_lazy("bot.commands", "sync_once"))

    db = sub.add_parser("db", help="database maintenance")
    db.set_defaults(handler=_help_of(db))
    dsub = db.add_subparsers(title="actions")
    up = dsub.add_parser("upgrade", help="apply Alembic migrations")
    up.set_defaults(handler=_lazy("bot.commands", "db_upgrade"))

    keygen = sub.add_parser("keygen", help="print a new SYNCBOT_ENCRYPTION_KEY")
    keygen.set_defaults(handler=_lazy("bot.commands", "keygen"))
    return parser


def _help_of(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    """`syncbot workflows` alone: that command's actions, not the top-level list."""

    def show(_: argparse.Namespace) -> int:
        parser.print_help(sys.stderr)
        return 2

    return show


def _lazy(module: str, name: str) -> Callable[[argparse.Namespace], int]:
    """Import command modules only when used, so `syncbot --help` stays instant."""

    def call(args: argparse.Namespace) -> int:
        import importlib

        function: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(module), name
        )
        return function(args)

    return call


def settings() -> Settings:
    return load_settings()


def read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().strip()


if __name__ == "__main__":
    sys.exit(main())
