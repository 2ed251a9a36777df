"""A faithful local emulator of the Slack Web API, plus a driver that acts as a Slack user."""

from .driver import Interaction, SlackUser
from .emulator import SlackEmulator
from .models import ApiCall, ResponseUrlPost, SlackTeam, SlackUserInfo

__all__ = [
    "ApiCall",
    "Interaction",
    "ResponseUrlPost",
    "SlackEmulator",
    "SlackTeam",
    "SlackUser",
    "SlackUserInfo",
]
