"""users.info shows a person as Slack does: name colour, avatar in every size, status."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_support import assert_same_shape, recorded_success

from sandbox.slack import SlackEmulator

ACME = "T0SANDBOX1"
SIZES = ("image_24", "image_32", "image_48", "image_72", "image_192", "image_512")


def test_every_field_of_the_recorded_example_is_sent_for_each_seeded_person(
    slack: SlackEmulator, client: WebClient
) -> None:
    example = recorded_success("users.info")["user"]
    people = [u for u in slack.users.values() if u.team_id == ACME and not u.is_bot]

    for person in people:
        user = client.users_info(user=person.id)["user"]
        assert_same_shape(user, example)
        assert set(example["profile"]) <= set(user["profile"]), person.name
        assert set(example) <= set(user), person.name


def test_the_avatar_comes_in_each_size_with_a_hash_and_a_colour(
    client: WebClient, alice: str
) -> None:
    user = client.users_info(user=alice)["user"]
    profile = user["profile"]

    assert len(user["color"]) == 6 and int(user["color"], 16) >= 0
    assert len(profile["avatar_hash"]) == 12
    urls = [profile[size] for size in SIZES] + [profile["image_original"]]
    assert all(url.startswith("https://") for url in urls)
    assert len(set(urls)) == len(urls), "each size is its own picture"
    assert profile["is_custom_image"] is True


def test_someone_without_a_picture_has_the_default_avatar(
    slack: SlackEmulator, client: WebClient
) -> None:
    frank = slack.add_user(ACME, "frank", custom_image=False)

    profile = client.users_info(user=frank.id)["user"]["profile"]

    assert profile["avatar_hash"].startswith("g")
    assert "image_original" not in profile and profile["is_custom_image"] is False
    assert all(profile[size] for size in SIZES)


def test_status_is_empty_until_set_then_shown(slack: SlackEmulator, client: WebClient) -> None:
    frank = slack.add_user(ACME, "frank")
    before = client.users_info(user=frank.id)["user"]["profile"]
    slack.users[frank.id].status_text = "Print is dead"
    slack.users[frank.id].status_emoji = ":books:"

    after = client.users_info(user=frank.id)["user"]["profile"]

    assert (before["status_text"], before["status_emoji"]) == ("", "")
    assert (after["status_text"], after["status_emoji"]) == ("Print is dead", ":books:")
    assert after["status_expiration"] == 0


def test_colour_and_avatar_stay_the_same_between_calls(client: WebClient, alice: str) -> None:
    first = client.users_info(user=alice)["user"]
    second = client.users_info(user=alice)["user"]

    assert first["color"] == second["color"]
    assert first["profile"]["image_72"] == second["profile"]["image_72"]
