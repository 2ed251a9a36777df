"""What a builder view keeps in `private_metadata`: the draft id and the step, nothing else
(the draft itself is in the database; Slack allows 3,000 characters here)."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class ViewState:
    draft_id: str
    replacing: int | None = None  # add-mapping view: the mapping being edited
    # the summary: auto-map's pairs were already proposed when it was ticked, so Next must
    # not add again the pairs the person removed since (Slack keeps the box ticked)
    auto_mapped: bool = False

    def dump(self) -> str:
        data: dict[str, object] = {"d": self.draft_id}
        if self.replacing is not None:
            data["r"] = self.replacing
        if self.auto_mapped:
            data["a"] = 1
        return json.dumps(data, separators=(",", ":"))

    @staticmethod
    def load(text: str) -> ViewState:
        data = json.loads(text or "{}")
        replacing = data.get("r")
        return ViewState(
            str(data.get("d", "")),
            int(replacing) if replacing is not None else None,
            bool(data.get("a")),
        )
