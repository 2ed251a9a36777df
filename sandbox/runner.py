"""Start the three emulators (and the control surface) on loopback, and say how to reach
them as environment lines (`syncbot sandbox`, the demo, tests and benchmarks)."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sandbox.control import ControlApp
from sandbox.salesforce import SalesforceEmulator
from sandbox.server import BackgroundServer
from sandbox.slack import SlackEmulator
from sandbox.smartsheet import SmartsheetEmulator
from sandbox.tls import LocalTLS
from sandbox.viewer import ViewerApp

# A fixed, clearly fake key so that `.env` files written by the sandbox work as they are.
SANDBOX_ENCRYPTION_KEY = "c2FuZGJveC1vbmx5LWtleS1kby1ub3QtdXNlLTEyMzQ="


@dataclass
class Sandbox:
    salesforce_size: int = 300
    smartsheet_size: int = 100
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="syncbot-sandbox-")))

    def start(self) -> Sandbox:
        self.tls = LocalTLS()
        self.ca_path = self.tls.write_ca(self.workdir / "sandbox-ca.pem")
        self.salesforce = SalesforceEmulator(seed_size=self.salesforce_size)
        self.smartsheet = SmartsheetEmulator(seed_size=self.smartsheet_size)
        self.slack = SlackEmulator()
        # Salesforce on two origins, as in the field: the login host (OAuth, identity)
        # and the instance (REST, the token's instance_url).
        login = BackgroundServer(self.salesforce, ssl_context=self.tls.server_context())
        instance = BackgroundServer(self.salesforce, ssl_context=self.tls.server_context())
        smartsheet = BackgroundServer(self.smartsheet)
        slack = BackgroundServer(self.slack)
        self._servers = [s.start() for s in (login, instance, smartsheet, slack)]
        self.salesforce.login_url = login.url
        self.salesforce.base_url = instance.url
        self.smartsheet.base_url = smartsheet.url
        self.slack.base_url = slack.url
        control = ControlApp(
            {"salesforce": self.salesforce, "smartsheet": self.smartsheet, "slack": self.slack}
        )
        control_server = BackgroundServer(control).start()
        self._servers.append(control_server)
        self.control_url = control_server.url
        viewer = ViewerApp(self.slack, self.smartsheet, self.salesforce)
        self._viewer_server = BackgroundServer(viewer).start()
        self._servers.append(self._viewer_server)
        return self

    @property
    def viewer_url(self) -> str:
        """The read-only page showing the workspace as people see it (refreshes itself)."""
        return self._viewer_server.url + "/"

    def stop(self) -> None:
        for server in getattr(self, "_servers", []):
            server.stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        sf, ss, sl = self.salesforce, self.smartsheet, self.slack
        env = {
            "SALESFORCE_LOGIN_URL": sf.login_url,
            "SALESFORCE_CLIENT_ID": sf.client_id,
            "SALESFORCE_CLIENT_SECRET": sf.client_secret,
            "SALESFORCE_CA_BUNDLE": str(self.ca_path),
            "SMARTSHEET_API_URL": ss.api_base,
            "SMARTSHEET_AUTHORIZE_URL": ss.base_url + "/b/authorize",
            "SMARTSHEET_CLIENT_ID": ss.client_id,
            "SMARTSHEET_CLIENT_SECRET": ss.client_secret,
            "SLACK_API_URL": sl.api_url,
            "SLACK_CLIENT_ID": sl.client_id,
            "SLACK_CLIENT_SECRET": sl.client_secret,
            "SLACK_SIGNING_SECRET": sl.signing_secret,
            "SYNCBOT_ENCRYPTION_KEY": SANDBOX_ENCRYPTION_KEY,
            "SANDBOX_SALESFORCE_INSTANCE_URL": sf.base_url,
            "SANDBOX_SALESFORCE_TOKEN": sf.token_for("admin"),
            "SANDBOX_SALESFORCE_ORG_ID": sf.org_id,
            "SANDBOX_SMARTSHEET_TOKEN": ss.token_for("owner"),
            "SANDBOX_SLACK_BOT_TOKEN": sl.bot_token,
            "SANDBOX_CONTROL_URL": self.control_url,
        }
        for alias in sf.users:
            env[f"SANDBOX_SALESFORCE_TOKEN_{alias.upper()}"] = sf.token_for(alias)
        for alias in ss.users:
            env[f"SANDBOX_SMARTSHEET_TOKEN_{alias.upper()}"] = ss.token_for(alias)
        return env

    def env_lines(self) -> str:
        return "".join(f"{key}={value}\n" for key, value in self.env().items())
