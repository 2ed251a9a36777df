"""A faithful local Salesforce org: OAuth web-server flow, REST API, SOQL, sObject Collections."""

from .emulator import SalesforceEmulator
from .users import SfUser

__all__ = ["SalesforceEmulator", "SfUser"]
