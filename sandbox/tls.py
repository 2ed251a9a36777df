"""A throw-away certificate authority for the HTTPS emulator (simple-salesforce only speaks https)."""

from __future__ import annotations

import ssl
from pathlib import Path

import trustme


class LocalTLS:
    """A CA plus a server certificate for 127.0.0.1 / localhost / ::1."""

    def __init__(self) -> None:
        self.ca = trustme.CA(organization_name="syncbot sandbox")
        self._cert = self.ca.issue_cert("127.0.0.1", "localhost", "::1")

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._cert.configure_cert(context)
        return context

    def write_ca(self, path: Path) -> Path:
        """Write the CA certificate (PEM) for clients to trust; returns the path."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self.ca.cert_pem.write_to_path(str(path))
        return path
