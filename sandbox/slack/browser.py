"""Just enough of a web browser to click through an OAuth install.

Browsers treat loopback origins as secure contexts, so they send ``Secure`` cookies (like
Bolt's ``slack-app-oauth-state``) to ``http://127.0.0.1``; Python's cookie jar would not,
and requests copies jars without their policy, so the flag is dropped on loopback cookies.
"""

from __future__ import annotations

from html.parser import HTMLParser
from http.cookiejar import CookieJar
from urllib.parse import urljoin

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]", "localhost.local"}


def trust_loopback(jar: CookieJar) -> None:
    """Let ``Secure`` cookies of loopback hosts travel over plain http, as browsers do."""
    for cookie in jar:
        if cookie.domain in LOOPBACK:
            cookie.secure = False


class _PageReader(HTMLParser):
    """Collects links and the first form (action + fields with their default values)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.form_action: str | None = None
        self.fields: dict[str, str] = {}
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and self.form_action is None:
            self.form_action = a.get("action", "")
        elif tag == "input" and a.get("name") and a.get("type", "text") != "submit":
            self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and self._select not in self.fields:
            self.fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None


def read_page(html: str) -> _PageReader:
    reader = _PageReader()
    reader.feed(html)
    return reader


def find_link(html: str, page_url: str, prefix: str) -> str | None:
    """The first link on the page (made absolute) that starts with ``prefix``."""
    for href in read_page(html).links:
        absolute = urljoin(page_url, href)
        if absolute.startswith(prefix):
            return absolute
    return None


def read_form(html: str, page_url: str) -> tuple[str, dict[str, str]]:
    page = read_page(html)
    if page.form_action is None:
        raise LookupError("the page has no form")
    return urljoin(page_url, page.form_action), dict(page.fields)
