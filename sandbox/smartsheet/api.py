"""The wrapper every API handler goes through: token check, rate limit, scope, errors."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from . import errors
from .model import SsUser

if TYPE_CHECKING:
    from .emulator import SmartsheetEmulator


@dataclass(frozen=True)
class Caller:
    user: SsUser
    token: str

    @property
    def alias(self) -> str:
        return self.user.alias


Handler = Callable[..., Response]


def endpoint(scope: str | None = None, *, auth: bool = True) -> Callable[[Handler], Handler]:
    """Authenticate (unless ``auth`` is False), then run the handler under the state lock.

    Any :class:`errors.ApiError` raised inside becomes Smartsheet's error response.
    """

    def wrap(handler: Handler) -> Handler:
        @functools.wraps(handler)
        def run(self: SmartsheetEmulator, request: Request, **url_args: Any) -> Response:
            try:
                with self.lock:
                    caller = self.authenticate(request, scope) if auth else None
                    return handler(self, request, caller, **url_args)
            except errors.ApiError as exc:
                return self.api_error(exc)

        return run

    return wrap
