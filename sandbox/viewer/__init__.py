"""A read-only page showing the sandbox as people would look at it: Slack conversations,
App Home and open modals rendered from their Block Kit, each sheet as a grid and the
Salesforce records as tables, refreshed every 2 s (`Sandbox.viewer_url`)."""

from .app import ViewerApp

__all__ = ["ViewerApp"]
