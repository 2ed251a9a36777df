"""The demo's walkthrough: Alice in the sandbox's Slack, through `syncbot serve`'s real
HTTP endpoints, from installing the app to reverting a change. Each step prints what she
sees and raises `DemoStepFailed` when Slack, the sheet or Salesforce does not show what
it should. The sandbox's own state is read to print both sides (no API call)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.demo_person import Person, link_of, wait_for
from bot.demo_render import page_text
from bot.demo_screen import browser_shows, check, grid, heading, narrate, slack_lines, slack_shows
from bot.demo_slack import DemoStepFailed, ServeProcess
from bot.demo_tables import SheetReader, records_grid
from handlers.builder.ids import ActionId as BuilderAction
from handlers.builder.ids import CallbackId
from handlers.ids import ActionId
from sandbox.runner import Sandbox

TEAM = "T0SANDBOX1"
SALESFORCE_LOGIN = {"username": "alex.carter@acme-sandbox.example"}
SMARTSHEET_LOGIN = {"user": "owner"}
SHEET = WORKFLOW = "Open pipeline"
OBJECT = "Opportunity"
# (field, what Alice types to find it, new column, direction)
MAPPINGS = [
    ("Name", "name", "Deal", "both"),
    ("Account.Name", "account n", "Account", "to_smartsheet"),
    ("StageName", "stage", "Stage", "both"),
    ("Amount", "amount", "Amount", "both"),
]
FIELDS = ["Name", "StageName", "Amount"]
STATUS, ID_COLUMN = "Sync Status", "Salesforce Id"
NEW_AMOUNT, NEW_STAGE, BAD_AMOUNT, FIXED_AMOUNT = 123456, "Negotiation/Review", "12k", 99000


@dataclass
class Walk:
    box: Sandbox
    serve: ServeProcess
    alice: Person
    sheet: SheetReader | None = None
    workflow_id: int = 0
    row_id: int = 0
    record_id: str = ""
    old_stage: str = ""
    error_dm: str = ""  # ts of the error DM, which turns Resolved in place
    held: list[str] = field(default_factory=list)

    @property
    def rows(self) -> SheetReader:
        if self.sheet is None:
            raise DemoStepFailed("the workflow's sheet was never made")
        return self.sheet

    def record(self) -> dict[str, Any]:
        return self.box.salesforce.get_record(OBJECT, self.record_id) or {}

    def cell(self, title: str) -> Any:
        return self.rows.row(self.row_id).cells.get(title)


def expect(holds: bool, sentence: str) -> None:
    if not holds:
        raise DemoStepFailed(sentence)


def held(walk: Walk, line: str) -> None:
    """The step's key line: printed with a check mark and kept for the summary."""
    walk.held.append(line)
    check(line)


def both_sides(walk: Walk) -> None:
    grid("The sheet (the row Alice watches)", walk.rows.grid(only={walk.row_id}))
    grid("Salesforce", records_grid(walk.box.salesforce, OBJECT, [walk.record_id], FIELDS))


# -- 1. install ----------------------------------------------------------------------------
def install(walk: Walk) -> None:
    narrate(f"Alice opens {walk.serve.url}/slack/install and allows syncbot on Slack's page.")
    page = walk.alice.user.install(walk.serve.url + "/slack/install")
    expect(page.status == 200 and "installed" in page.body, "Slack's OAuth install failed.")
    browser_shows(page_text(page.body))
    held(walk, "syncbot is installed in Acme (OAuth v2)")


# -- 2. connect ----------------------------------------------------------------------------
def connect(walk: Walk) -> None:
    alice = walk.alice
    prompt = alice.command("connect")
    slack_shows("/sync connect", alice.shows(prompt))
    for action, login, who in (
        (ActionId.CONNECT_SALESFORCE, SALESFORCE_LOGIN, SALESFORCE_LOGIN["username"]),
        (ActionId.CONNECT_SMARTSHEET, SMARTSHEET_LOGIN, "morgan.lee@example.com"),
    ):
        page = alice.user.connect(link_of(prompt, action), login)
        expect(page.status_code == 200 and who in page.text, f"Connecting {who} failed.")
        narrate(f"Alice signs in with Slack, picks {who} on the consent page and allows.")
        browser_shows(page_text(page.text))
        dm = alice.wait_dm(f"the Connected DM for {who}", _mentions(who))
        slack_shows("a DM from syncbot", alice.shows(dm))
    expect(alice.user.slack_sign_ins == 1, "Alice had to sign in with Slack twice.")
    held(walk, f"Connected Salesforce and Smartsheet as {alice.name}")


def _mentions(words: str) -> Callable[[dict[str, Any]], bool]:
    return lambda message: words in str(message.get("text", ""))


# -- 3. create -----------------------------------------------------------------------------
def create(walk: Walk) -> None:
    alice = walk.alice
    modal = alice.open_modal("create")
    slack_shows("/sync create opens a modal", alice.sees_view(alice.view(modal)))
    expect(OBJECT in alice.suggest(modal, BuilderAction.OBJECT, "opp"), "No Opportunity offered.")
    what = {"builder_object": OBJECT, "builder_sheet": "new", "builder_new_sheet": SHEET}
    alice.submit(modal, what | {"builder_name": WORKFLOW})
    narrate(f"She types “opp”, picks {OBJECT}, New sheet “{SHEET}”, names it and presses Next.")
    alice.wait_callback(modal, CallbackId.MAPPINGS)
    for mapping in MAPPINGS:
        _add_mapping(alice, modal, *mapping)
    slack_shows("the mappings step", alice.sees_view(alice.view(modal)))
    alice.submit(modal, {})
    _filter(walk, modal)
    preview = alice.wait_callback(modal, CallbackId.PREVIEW)
    slack_shows("Preview (the dry run)", alice.sees_view(preview))
    expect(f"{OBJECT} records match" in str(preview["blocks"]), "The preview shows no matches.")
    alice.submit(modal, {})
    done = alice.wait_callback(modal, CallbackId.SAVED)
    slack_shows("after Save", alice.sees_view(done))
    expect(f"“{WORKFLOW}” is saved" in str(done["blocks"]), "The Saved view did not show.")
    held(walk, f"Workflow “{WORKFLOW}” saved through the modals (dry run shown)")


def _add_mapping(alice: Person, modal: str, name: str, typed: str, column: str, way: str) -> None:
    before = alice.click_in_view(modal, BuilderAction.ADD_MAPPING)
    alice.slack.wait_for_call("views.push", after=before, timeout=30)
    adding = alice.top_modal("the Add mapping modal")
    expect(name in alice.suggest(adding, BuilderAction.FIELD, typed), f"No {name} offered.")
    before = alice.click_in_view(adding, BuilderAction.FIELD, selected=name)
    alice.slack.wait_for_call("views.update", after=before, timeout=30)
    before = len(alice.slack.calls)
    values = {"builder_column": "new", "builder_new_column": column, "builder_direction": way}
    alice.submit(adding, values)
    alice.slack.wait_for_call("views.update", after=before, timeout=30)
    narrate(f"Add mapping: she types “{typed}”, picks {name}, a new column “{column}”, {way}.")


def _filter(walk: Walk, modal: str) -> None:
    alice = walk.alice
    alice.wait_callback(modal, CallbackId.FILTER)
    alice.suggest(modal, BuilderAction.FILTER_FIELD, "stage")
    alice.submit(
        modal,
        {
            "filter_field_0.builder_filter_field": "StageName",
            "filter_op_0.builder_filter_op": "not in",
            "filter_value_0.builder_filter_value": "Closed Won, Closed Lost",
        },
    )
    narrate("Filter: Stage not in “Closed Won, Closed Lost”; she presses Preview.")


# -- 4. first sync -------------------------------------------------------------------------
def first_sync(walk: Walk) -> None:
    alice = walk.alice
    final = alice.wait_dm("the backfill's summary", _mentions(f"“{WORKFLOW}” is syncing"))
    progress = [(c.method, str(c.args.get("text", ""))) for c in alice.slack.calls]
    shown = [text for method, text in progress if _is_progress(method, text)]
    narrate("The first sync's message, as chat.update changes it in place:")
    for text in dict.fromkeys(shown):
        slack_lines(text, "⟳ ")
    slack_shows("the DM at the end", alice.shows(final))
    updated = any(m == "chat.update" and _is_progress(m, t) for m, t in progress)
    expect(updated, "The progress message was never updated in place.")
    walk.sheet = SheetReader(walk.box.smartsheet, walk.box.smartsheet.find_sheet(SHEET))
    rows = walk.rows.rows()
    expect(bool(rows), "The backfill wrote no rows.")
    walk.row_id, walk.record_id = rows[0].row_id, str(rows[0].cells.get(ID_COLUMN))
    grid(f"The new sheet “{SHEET}”", walk.rows.grid())
    first = [str(r.cells.get(ID_COLUMN)) for r in rows[:5]]
    grid("Salesforce (the same records)", records_grid(walk.box.salesforce, OBJECT, first, FIELDS))
    held(walk, f"First sync: {len(rows)} rows in the sheet, progress shown with chat.update")


def _is_progress(method: str, text: str) -> bool:
    chat = method in {"chat.postMessage", "chat.update"}
    return chat and ("Backfill" in text or "is syncing" in text) and WORKFLOW in text


# -- 5. edits cross over -------------------------------------------------------------------
def crossover(walk: Walk) -> None:
    sf, ss = walk.box.salesforce, walk.box.smartsheet
    walk.old_stage = str(walk.record().get("StageName"))
    sf.update(OBJECT, walk.record_id, {"Amount": NEW_AMOUNT}, as_user="rep")
    narrate(f"In Salesforce, Riley sets Amount = {NEW_AMOUNT} on {walk.record_id}.")
    wait_for("the new Amount in the sheet", lambda: _same(walk.cell("Amount"), NEW_AMOUNT))
    ss.edit_cells(walk.rows.sheet_id, walk.row_id, {"Stage": NEW_STAGE})
    narrate(f"In the sheet, Morgan sets Stage = {NEW_STAGE} on row 1.")
    wait_for("the new Stage in Salesforce", lambda: walk.record().get("StageName") == NEW_STAGE)
    narrate("The scheduled tick carries each edit to the other side:")
    both_sides(walk)
    held(walk, "Edits crossed over: Amount to the sheet, Stage to Salesforce")


def _same(value: Any, number: float) -> bool:
    try:
        return float(value) == number
    except (TypeError, ValueError):
        return False


# -- 6. a type mismatch --------------------------------------------------------------------
def mismatch(walk: Walk) -> None:
    alice = walk.alice
    walk.box.smartsheet.edit_cells(walk.rows.sheet_id, walk.row_id, {"Amount": BAD_AMOUNT})
    narrate(f"In the sheet, Morgan types “{BAD_AMOUNT}” into Amount (a number column).")
    status = wait_for("the row's status", lambda: walk.cell(STATUS))
    grid("The sheet", walk.rows.grid(only={walk.row_id}))
    dm = alice.wait_dm("the error DM", _mentions(f"{WORKFLOW}: 1 row error"))
    walk.error_dm = str(dm["ts"])
    slack_shows("a DM from syncbot", alice.shows(dm))
    expect(_same(walk.record().get("Amount"), NEW_AMOUNT), "Salesforce's Amount was changed.")
    expect(BAD_AMOUNT in str(status), "The status column does not name the bad value.")
    held(walk, f"Type mismatch in the status column ({status}) and in a DM")


# -- 7. fixing it --------------------------------------------------------------------------
def fix(walk: Walk) -> None:
    alice = walk.alice
    walk.box.smartsheet.edit_cells(walk.rows.sheet_id, walk.row_id, {"Amount": FIXED_AMOUNT})
    narrate(f"Morgan fixes it to {FIXED_AMOUNT}.")
    wait_for("Salesforce's fixed Amount", lambda: _same(walk.record().get("Amount"), FIXED_AMOUNT))
    wait_for("the cleared status", lambda: not walk.cell(STATUS))
    dm = alice.wait_dm("the Resolved DM", lambda m: m["ts"] == walk.error_dm and _resolved(m))
    slack_shows("the same DM, updated", alice.shows(dm))
    both_sides(walk)
    held(walk, "Fixed: the status column is clear and the DM says Resolved")


def _resolved(message: dict[str, Any]) -> bool:
    return str(message.get("text", "")).startswith("Resolved")


# -- 8. /sync list -------------------------------------------------------------------------
def listing(walk: Walk) -> None:
    alice = walk.alice
    reply = alice.command("list")
    slack_shows("/sync list", alice.shows(reply))
    walk.workflow_id = _workflow_id(reply)
    expect(WORKFLOW in str(reply.get("blocks")), "/sync list does not show the workflow.")
    home = alice.open_home()
    slack_shows("her Home tab with syncbot", alice.sees_view(home))
    expect(WORKFLOW in str(home["blocks"]), "The Home tab does not show the workflow.")
    held(walk, f"/sync list and the Home tab show workflow {walk.workflow_id} “{WORKFLOW}”")


def _workflow_id(reply: dict[str, Any]) -> int:
    for block in reply.get("blocks") or []:
        for option in (block.get("accessory") or {}).get("options") or []:
            verb, _, number = str(option.get("value", "")).partition(":")
            if verb == "run" and number.isdigit():
                return int(number)
    raise DemoStepFailed("/sync list shows no workflow to open.")


# -- 9. history and revert -----------------------------------------------------------------
def history(walk: Walk) -> None:
    alice = walk.alice
    reply = alice.command(f"history {walk.workflow_id}")
    slack_shows(f"/sync history {walk.workflow_id} (the newest lines)", _top(alice, reply, 5))
    value = _revert_value(reply, walk.record_id)
    narrate(f"Alice presses Revert on change #{value.partition(':')[2]} (the Stage change):")
    slack_lines(alice.shows(alice.click(ActionId.REVERT, value=value)))
    wait_for(
        "the old Stage in Salesforce", lambda: walk.record().get("StageName") == walk.old_stage
    )
    wait_for("the old Stage in the sheet", lambda: walk.cell("Stage") == walk.old_stage)
    both_sides(walk)
    held(walk, f"Reverted: Stage is “{walk.old_stage}” again on both sides")


def _top(alice: Person, reply: dict[str, Any], entries: int) -> str:
    return alice.shows({"blocks": (reply.get("blocks") or [])[: entries + 1]})


def _revert_value(reply: dict[str, Any], record_id: str) -> str:
    for block in reply.get("blocks") or []:
        line = str((block.get("text") or {}).get("text", ""))
        accessory = block.get("accessory") or {}
        stage = "StageName → Stage" in line and record_id in line and "(Salesforce)" in line
        if stage and accessory.get("action_id") == ActionId.REVERT:
            return str(accessory["value"])
    raise DemoStepFailed("The history shows no Stage change to revert.")


STEPS: list[tuple[str, Callable[[Walk], None]]] = [
    ("Install the app", install),
    ("/sync connect: Salesforce and Smartsheet", connect),
    ("/sync create: the builder's modals", create),
    ("The first sync", first_sync),
    ("An edit on each side", crossover),
    ("A type mismatch", mismatch),
    ("Fixing it", fix),
    ("/sync list and the Home tab", listing),
    ("/sync history and Revert", history),
]


def walk_through(box: Sandbox, serve: ServeProcess) -> Walk:
    walk = Walk(box, serve, Person(box, serve.url, TEAM, "alice"))
    for number, (title, step) in enumerate(STEPS, 1):
        heading(number, title)
        step(walk)
    return walk
