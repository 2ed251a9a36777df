"""The page's only style sheet and script, sent inline: the page loads nothing else."""

from __future__ import annotations

PAGE_STYLE = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: #1d1c1d; background: #f4f4f5; }
header { background: #3f0e40; color: #fff; padding: 10px 20px; display: flex;
  align-items: baseline; gap: 16px; }
header h1 { font-size: 18px; margin: 0; }
header .hint { color: #d9c8da; }
main { padding: 12px 20px 40px; }
h2 { font-size: 17px; margin: 22px 0 8px; border-bottom: 2px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
h4 { font-size: 15px; margin: 6px 0; }
.hint { color: #616061; font-size: 12px; font-weight: normal; }
.workspace { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 8px 14px;
  margin-bottom: 14px; }
.person { border-top: 1px solid #eee; padding: 6px 0; }
.panes { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
.pane { flex: 1 1 380px; max-width: 560px; }
.pane-title { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #616061;
  margin-bottom: 4px; }
.conversation { border: 1px solid #e2e2e2; border-radius: 6px; background: #fff; }
.conversation-title { font-weight: bold; padding: 6px 10px; border-bottom: 1px solid #eee; }
.message { padding: 6px 10px; }
.message + .message { border-top: 1px solid #f3f3f3; }
.meta .time { color: #616061; font-size: 12px; }
.badge { background: #e8e8e8; color: #616061; font-size: 10px; font-weight: bold;
  border-radius: 3px; padding: 0 3px; margin-left: 4px; }
.only-you { font-style: italic; }
.block { margin: 4px 0; }
.block.section { display: flex; gap: 10px; justify-content: space-between; }
.section-body { flex: 1; }
.fields { display: grid; grid-template-columns: 1fr 1fr; gap: 4px 16px; margin-top: 4px; }
.block.context { color: #616061; font-size: 12px; display: flex; gap: 6px; flex-wrap: wrap; }
.block.actions { display: flex; gap: 8px; flex-wrap: wrap; }
.block hr { border: 0; border-top: 1px solid #ddd; }
.block.input label { display: block; font-weight: bold; margin-bottom: 3px; }
.block.input input, .block.input textarea { width: 100%; padding: 6px 8px;
  border: 1px solid #bbb; border-radius: 4px; background: #fff; color: #1d1c1d; font: inherit; }
button { font: inherit; font-weight: bold; border: 1px solid #bbb; background: #fff;
  color: #1d1c1d; border-radius: 4px; padding: 3px 12px; }
button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
button.danger { color: #e01e5a; border-color: #e01e5a; }
.select { display: inline-block; border: 1px solid #bbb; border-radius: 4px; padding: 3px 8px;
  min-width: 140px; background: #fff; }
.select.placeholder { color: #8d8d8d; }
.caret { float: right; margin-left: 8px; color: #616061; }
details.overflow summary { list-style: none; cursor: pointer; border: 1px solid #bbb;
  border-radius: 4px; padding: 0 8px; font-weight: bold; }
details.overflow ul { margin: 2px 0; padding: 4px 10px; border: 1px solid #ddd;
  background: #fff; list-style: none; }
.choices .choice { display: block; }
.mention { background: #e8f5fa; color: #1264a3; border-radius: 3px; padding: 0 2px; }
.quote { display: block; border-left: 4px solid #ddd; padding-left: 8px; }
code { background: #f6f6f6; border: 1px solid #e2e2e2; border-radius: 3px; padding: 0 3px;
  color: #c01343; font-size: 12px; }
pre { background: #f8f8f8; border: 1px solid #e2e2e2; border-radius: 4px; padding: 6px;
  white-space: pre-wrap; }
.attachment { border-left: 4px solid #ddd; padding-left: 8px; margin: 4px 0; }
.image-box, .image-thumb { border: 1px dashed #bbb; padding: 8px; color: #616061;
  display: inline-block; }
figure { margin: 0; }
.modal { border: 1px solid #ccc; border-radius: 8px; background: #fff;
  box-shadow: 0 4px 14px rgba(0,0,0,.15); }
.modal-title { font-weight: bold; font-size: 16px; padding: 10px 14px;
  border-bottom: 1px solid #eee; }
.modal-body { padding: 6px 14px; }
.modal-footer { padding: 8px 14px; border-top: 1px solid #eee; display: flex;
  justify-content: flex-end; gap: 8px; }
.home { border: 1px solid #e2e2e2; border-radius: 6px; background: #fff; padding: 6px 12px; }
#smartsheet, #salesforce { display: flex; flex-wrap: wrap; gap: 12px; align-items: flex-start; }
#smartsheet > h2, #salesforce > h2, #smartsheet > p, #salesforce > p { flex-basis: 100%; margin-bottom: 0; }
.table { background: #fff; border: 1px solid #ddd; border-radius: 8px; padding: 4px 12px 10px;
  max-width: 100%; }
.workspace.quiet { padding: 2px 14px; }
.workspace.quiet h3 { display: inline-block; margin-right: 10px; }
.workspace.quiet p { display: inline-block; margin: 0; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; font-size: 13px; }
th, td { border: 1px solid #dcdcdc; padding: 3px 8px; text-align: left; white-space: nowrap;
  max-width: 320px; overflow: hidden; text-overflow: ellipsis; }
th { background: #eef1f5; }
.sheet th:first-child, .sheet td:first-child { color: #8d8d8d; background: #f6f6f6; }
.unknown { color: #8d8d8d; }
.emoji { display: inline-block; min-width: 1.15em; height: 1.15em; line-height: 1.15em;
  border-radius: 4px; text-align: center; font-size: .9em; font-weight: bold;
  vertical-align: -0.1em; }
.emoji.ok { background: #2eb67d; color: #fff; }
.emoji.bad { background: #e01e5a; color: #fff; }
.emoji.warn { background: #ecb22e; color: #1d1c1d; }
.emoji.dot { min-width: 0; }
.emoji.red { color: #e01e5a; }
.emoji.green { color: #2eb67d; }
.emoji.plain { color: #616061; }
"""

# Polls the fragment every REFRESH_MS and swaps it in only when it changed (the ETag says),
# so a page that holds still does not flicker or lose its scroll position.
PAGE_SCRIPT = """
(function () {
  let etag = INITIAL_ETAG;
  const target = document.getElementById("workspace");
  const stamp = document.getElementById("refreshed");
  async function refresh() {
    try {
      const headers = etag ? {"If-None-Match": etag} : {};
      const response = await fetch(FRAGMENT_URL, {headers: headers, cache: "no-store"});
      if (response.status === 200) {
        etag = response.headers.get("ETag");
        target.innerHTML = await response.text();
      }
      if (response.ok || response.status === 304) {
        stamp.textContent = "refreshed " + new Date().toLocaleTimeString();
      }
    } catch (err) {
      stamp.textContent = "sandbox not answering";
    } finally {
      setTimeout(refresh, REFRESH_MS);
    }
  }
  setTimeout(refresh, REFRESH_MS);
})();
"""
