"""The parts of a users.info ``user`` that show a person: colour, avatar and status.

Slack always sends these (docs.slack.dev users.info example): ``color`` (6 hex digits, the
name colour in clients), ``profile.avatar_hash`` and the ``image_*`` URLs of the avatar in
each size, and ``status_text``/``status_emoji`` ("" when no status is set). People without a
custom picture get the default avatar: a hash starting with "g" and no ``image_original``
(``is_custom_image`` false); the seeded people have custom pictures.
"""

from __future__ import annotations

import hashlib
from typing import Any

IMAGE_SIZES = (24, 32, 48, 72, 192, 512, 1024)
AVATAR_HOST = "https://avatars.slack-edge.com"


def _digest(*parts: str) -> str:
    return hashlib.sha256(":".join(parts).encode()).hexdigest()


def color(user_id: str) -> str:
    """A stable name colour per person, as Slack assigns one at sign-up."""
    return _digest("color", user_id)[:6]


def avatar_hash(user_id: str, custom_image: bool) -> str:
    digest = _digest("avatar", user_id)
    return digest[:12] if custom_image else "g" + digest[:11]


def images(team_id: str, user_id: str, custom_image: bool) -> dict[str, str]:
    """``image_24`` … ``image_1024`` (+ ``image_original`` for a custom picture)."""
    digest = _digest("image", team_id, user_id)
    base = f"{AVATAR_HOST}/2026-01-05/{int(digest[:10], 16)}_{digest[10:30]}"
    sizes = IMAGE_SIZES if custom_image else IMAGE_SIZES[:-1]  # default avatars stop at 512
    urls = {f"image_{size}": f"{base}_{size}.png" for size in sizes}
    if custom_image:
        urls["image_original"] = f"{base}_original.png"
    return urls


def status(text: str, emoji: str, expiration: int) -> dict[str, Any]:
    """Empty text and emoji when no status is set; expiration 0 = never."""
    return {"status_text": text, "status_emoji": emoji, "status_expiration": expiration}
