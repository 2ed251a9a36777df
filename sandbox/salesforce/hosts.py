"""Login host and instance host: two origins, as Salesforce serves them.

OAuth (authorize, token, revoke) and identity URLs live on the login host
(login.salesforce.com, test.salesforce.com or a My Domain login); the REST API lives on
the token's ``instance_url``. A client that sends REST calls to the login host, or its
token requests to the instance, fails here as it would in the field.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from werkzeug.wrappers import Request, Response

from sandbox.core import json_response

from .errors import SfError

_LOGIN_ONLY = ("/services/oauth2/authorize", "/services/oauth2/token", "/services/oauth2/revoke")


def wrong_host(request: Request, login_url: str, instance_url: str) -> Response | None:
    """The refusal for a request sent to the wrong origin, or None when it is right (or
    when both origins are one, as in single-host tests)."""
    login, instance = urlsplit(login_url).netloc, urlsplit(instance_url).netloc
    if login == instance or request.host not in (login, instance):
        return None
    path = request.path
    if request.host == login and path.startswith("/services/data/v"):
        # the session belongs to the instance; the login host does not know it
        return SfError(401, "INVALID_SESSION_ID", "Session expired or invalid").response()
    if request.host == instance and (path.startswith(_LOGIN_ONLY) or path.startswith("/id/")):
        return json_response(
            {
                "error": "not_found",
                "error_description": "OAuth endpoints are served by the login host",
            },
            404,
        )
    return None
