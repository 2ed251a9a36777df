"""sync.ids: 15-character ids gain the three-character checksum Salesforce's own 18-character
ids carry, so an Id pasted from the Salesforce UI (15) matches one from the API (18).

Known pairs: "001D000000IqhSL" → "001D000000IqhSLIAZ" and "001D000000IomazIAB" are the
REST API guide's example Account ids; 701E… and 012… ids come from recorded API payloads
in tests/fixtures/recorded/salesforce (an 18-character id from the API is its own
15-character prefix plus the checksum); 00D…/003D…/0A3D… pairs are test cases of
sigmavirus24/salesforceid (salesforceid_test.go).
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.ids import looks_like_id, normalise_id, to_18

KNOWN_PAIRS = [
    ("001D000000IqhSL", "001D000000IqhSLIAZ"),
    ("001D000000Iomaz", "001D000000IomazIAB"),
    ("701E00000005ZqA", "701E00000005ZqAIAU"),
    ("701E0000000JuFH", "701E0000000JuFHIA0"),
    ("01254000001upcK", "01254000001upcKAAQ"),
    ("012000000000000", "012000000000000AAA"),
    ("00D000000000062", "00D000000000062EAA"),
    ("00d000000000062", "00d000000000062AAA"),
    ("003D0000001aH2A", "003D0000001aH2AIAU"),
    ("0A3D0000001aH2A", "0A3D0000001aH2AKAU"),
    ("AAAAAAAAAAAAAAA", "AAAAAAAAAAAAAAA555"),
    ("zzzzzzzzzzzzzzz", "zzzzzzzzzzzzzzzAAA"),
]

ID_CHARS = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
ID_15 = st.text(ID_CHARS, min_size=15, max_size=15)


@pytest.mark.parametrize(("short", "long"), KNOWN_PAIRS)
def test_15_character_ids_get_salesforces_checksum(short: str, long: str) -> None:
    assert to_18(short) == long


@pytest.mark.parametrize(("short", "long"), KNOWN_PAIRS)
def test_an_18_character_id_is_left_as_it_is(short: str, long: str) -> None:
    assert to_18(long) == long
    assert normalise_id(long) == long


@pytest.mark.parametrize("text", ["", "001", "001D000000IqhS", "001D000000IqhSLI"])
def test_other_lengths_are_not_converted(text: str) -> None:
    assert to_18(text) == text


def test_a_pasted_15_character_id_becomes_the_api_form() -> None:
    assert normalise_id("  001D000000IqhSL\n") == "001D000000IqhSLIAZ"


@pytest.mark.parametrize("text", ["Acme deal", "001D000000IqhS!", "n/a", "", "12345"])
def test_text_that_is_not_an_id_is_only_trimmed(text: str) -> None:
    assert normalise_id(f" {text} ") == text


@pytest.mark.parametrize(
    ("text", "is_id"),
    [
        ("001D000000IqhSL", True),
        ("001D000000IqhSLIAZ", True),
        ("001D000000IqhSLI", False),
        ("001D000000IqhS", False),
        ("001D000000IqhS-", False),
        ("001D000000IqhSL ", False),
    ],
)
def test_looks_like_id(text: str, is_id: bool) -> None:
    assert looks_like_id(text) is is_id


@given(ID_15)
def test_ids_differing_only_in_case_get_different_18_character_forms(short: str) -> None:
    swapped = short.swapcase()
    if swapped != short:  # all digits: nothing to tell apart
        assert to_18(short).lower() != to_18(swapped).lower()


@given(ID_15)
def test_the_checksum_is_three_characters_of_its_alphabet(short: str) -> None:
    long = to_18(short)

    assert long.startswith(short)
    assert re.fullmatch(r"[A-Z0-5]{3}", long[15:])
