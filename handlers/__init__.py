"""Slack listeners. Thin: parse -> call a service -> render with a pure builder."""

from __future__ import annotations

from slack_bolt import App

from handlers import admin, errors, home
from handlers.actions import connect as connect_actions
from handlers.actions import dm as dm_actions
from handlers.actions import workflows as workflow_actions
from handlers.builder import listeners as builder
from handlers.commands import sync as sync_command
from sync.services import Services


def register_all(app: App, services: Services) -> None:
    errors.register(app)
    workflow_builder = builder.register(app, services)
    sync_command.register(app, services, open_builder=workflow_builder.open)
    workflow_actions.register(app, services, open_builder=workflow_builder.open)
    connect_actions.register(app, services)
    dm_actions.register(app, services)
    home.register(app, services)
    admin.register(app, services)
