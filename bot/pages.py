"""The few HTML pages a browser sees (install and connect results). Text is escaped by the
callers' choice of `page(title, html)`: `html` is trusted markup, values go through `esc`."""

from __future__ import annotations

from html import escape

_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{{font-family:system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;
line-height:1.5}}h1{{font-size:1.4em}}</style></head>
<body><h1>{title}</h1><p>{body}</p><p>You can close this tab and go back to Slack.</p></body></html>
"""


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def page(title: str, body_html: str) -> str:
    return _TEMPLATE.format(title=esc(title), body=body_html)
