"""Which typed My Domains the connect modal accepts: Salesforce's own hosts only."""

from __future__ import annotations

import pytest

from sync.services import my_domain_host


@pytest.mark.parametrize(
    ("typed", "host"),
    [
        ("acme.my.salesforce.com", "acme.my.salesforce.com"),
        ("  Acme.My.Salesforce.com/ ", "acme.my.salesforce.com"),
        ("https://acme.my.salesforce.com/lightning/page/home", "acme.my.salesforce.com"),
        ("acme--uat.sandbox.my.salesforce.com", "acme--uat.sandbox.my.salesforce.com"),
    ],
)
def test_salesforce_my_domains_are_accepted(typed: str, host: str) -> None:
    assert my_domain_host(typed) == host


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "my.salesforce.com",  # no domain of one's own
        "acme.salesforce.com",
        "acme.my.salesforce.com.evil.example",
        "evil.example/acme.my.salesforce.com",
        "http://acme.my.salesforce.com",  # never a login page over plain HTTP
        "https://acme.my.salesforce.com:8443",
        "https://user@acme.my.salesforce.com",
        "acme_x.my.salesforce.com",
        "https://[::1]/.my.salesforce.com",
    ],
)
def test_anything_else_is_refused(typed: str) -> None:
    assert my_domain_host(typed) is None
