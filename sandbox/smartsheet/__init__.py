"""Loopback emulator of the Smartsheet API 2.0 for tests, benchmarks and the demo."""

from .emulator import SmartsheetEmulator
from .model import SsUser

__all__ = ["SmartsheetEmulator", "SsUser"]
