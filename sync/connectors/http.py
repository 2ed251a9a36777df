"""One way to build the `requests` sessions the connectors use."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from requests.adapters import HTTPAdapter

DEFAULT_TIMEOUT = 60.0

# (service, HTTP status) of every API response: how the runtime counts calls for metrics.
ApiObserver = Callable[[str, int], None]


class _TimeoutAdapter(HTTPAdapter):
    """simple-salesforce passes no timeout; a hung socket must not hang a tick forever."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self._timeout = timeout

    def send(self, request: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self._timeout
        return super().send(request, **kwargs)


def make_session(
    ca_bundle: Path | None = None, timeout: float = DEFAULT_TIMEOUT
) -> requests.Session:
    session = requests.Session()
    adapter = _TimeoutAdapter(timeout)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    if ca_bundle is not None:
        # REQUESTS_CA_BUNDLE in the environment would override `verify` (API_FACTS A.6).
        session.trust_env = False
        session.verify = str(ca_bundle)
    return session


def observe(session: requests.Session, service: str, observer: ApiObserver | None) -> None:
    """Report each response's status to `observer` (a requests response hook: it sees
    retries and refreshes too, so the count is what the API's allowance sees)."""
    if observer is None:
        return

    def hook(response: requests.Response, *args: Any, **kwargs: Any) -> None:
        observer(service, response.status_code)

    hooks = session.hooks.get("response") or []
    # The Smartsheet SDK sets its own hook as a bare function, not requests' list.
    session.hooks["response"] = [*(hooks if isinstance(hooks, list) else [hooks]), hook]
