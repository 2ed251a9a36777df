"""What a builder view keeps in `private_metadata`: the draft id and the step, nothing else
(the draft itself is in the database; Slack allows 3,000 characters here)."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class ViewState:
    draft_id: str
    replacing: int | None = None  # add-mapping view: the mapping being edited

    def dump(self) -> str:
        data: dict[str, object] = {"d": self.draft_id}
        if self.replacing is not None:
            data["r"] = self.replacing
        return json.dumps(data, separators=(",", ":"))

    @staticmethod
    def load(text: str) -> ViewState:
        data = json.loads(text or "{}")
        replacing = data.get("r")
        return ViewState(str(data.get("d", "")), int(replacing) if replacing is not None else None)
