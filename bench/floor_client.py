"""The I/O floor of a backfill: a plain script on the real SDKs, nothing of syncbot.

    python -m bench.floor_client   (configured by environment, see bench/backfill_floor.py)

It makes the calls syncbot's first tick makes for one workflow, and nothing more: the
object's describe, the sheet's columns, the backfill query's pages (nextRecordsUrl) and
one bulk row add per 500 records of each page. It imports only the SDKs, so what it costs
is what any client of these APIs pays.
"""

from __future__ import annotations

import json
import os
from typing import Any

import requests
import smartsheet
from simple_salesforce.api import Salesforce

ROWS_PER_ADD = 500  # Smartsheet's bulk limit, as syncbot uses it


def main() -> None:
    env = os.environ
    fields: list[str] = json.loads(env["FLOOR_FIELDS"])  # Salesforce field names, in order
    sheet_id = int(env["FLOOR_SHEET"])
    session = requests.Session()
    session.trust_env = False
    session.verify = env["SALESFORCE_CA_BUNDLE"]
    sf = Salesforce(
        instance_url=env["SANDBOX_SALESFORCE_INSTANCE_URL"],
        session_id=env["SANDBOX_SALESFORCE_TOKEN"],
        session=session,
    )
    ss = smartsheet.Smartsheet(
        access_token=env["SANDBOX_SMARTSHEET_TOKEN"], api_base=env["SMARTSHEET_API_URL"]
    )
    ss.errors_as_exceptions(True)
    # Row adds go as the JSON the API takes over one kept connection: the SDK's Row models
    # cost client CPU a floor must not carry.
    adds = requests.Session()
    adds.trust_env = False
    adds.headers["Authorization"] = f"Bearer {env['SANDBOX_SMARTSHEET_TOKEN']}"
    rows_url = f"{env['SMARTSHEET_API_URL'].rstrip('/')}/sheets/{sheet_id}/rows"
    sf.restful(f"sobjects/{env['FLOOR_OBJECT']}/describe")
    columns = ss.Sheets.get_columns(sheet_id, include_all=True).to_dict()["data"]
    by_title = {c["title"]: c["id"] for c in columns}
    targets = [(name, by_title[title]) for name, title in json.loads(env["FLOOR_COLUMNS"])]
    page = sf.query(env["FLOOR_SOQL"])
    while True:
        add_rows(adds, rows_url, page["records"], targets, fields)
        if page.get("done", True):
            break
        page = sf.query_more(page["nextRecordsUrl"], identifier_is_url=True)


def add_rows(
    adds: requests.Session,
    rows_url: str,
    records: list[dict[str, Any]],
    targets: list[tuple[str, int]],
    fields: list[str],
) -> None:
    for start in range(0, len(records), ROWS_PER_ADD):
        chunk = records[start : start + ROWS_PER_ADD]
        if not chunk:
            continue  # never an empty add: Smartsheet refuses it (and it is no work)
        rows = []
        for record in chunk:
            cells = [
                {"columnId": column, "value": record[name]}
                for name, column in targets
                if record.get(name) is not None
            ]
            rows.append({"toBottom": True, "cells": cells})
        answer = adds.post(rows_url, json=rows, timeout=120)
        answer.raise_for_status()


if __name__ == "__main__":
    main()
