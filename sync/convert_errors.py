"""The error a person sees in the sheet's status column when a value cannot be converted."""

from __future__ import annotations

# Long values are cut in messages so the status column stays readable.
_SHOWN_CHARS = 60


class ConversionError(ValueError):
    """A value that cannot be converted between Salesforce and Smartsheet.

    Raised per cell, so only that row is marked: `str(e)` is the plain sentence shown in the
    row's status column and in the owner's DM, naming the field label and the value (for
    example 'Amount: "12k" is not a number'). The person fixes the cell; nothing else stops.
    """

    field: str  # Salesforce API name of the field concerned

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message

    def __reduce__(self) -> tuple[type[ConversionError], tuple[str, str]]:
        # Keep the two-argument constructor usable by pickle (worker pools, logging queues).
        return (type(self), (self.field, self.message))


def shown(value: object) -> str:
    """A value quoted for a message, cut to a readable length."""
    text = str(value)
    if len(text) > _SHOWN_CHARS:
        text = text[: _SHOWN_CHARS - 1] + "…"
    return f'"{text}"'
