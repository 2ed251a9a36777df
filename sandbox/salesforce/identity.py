"""The identity URL's user description (``GET /id/<orgId>/<userId>``)."""

from __future__ import annotations

from typing import Any

from .users import SfUser

_UTC_OFFSETS = {
    "America/Los_Angeles": -28_800_000,
    "America/New_York": -18_000_000,
    "Europe/Paris": 3_600_000,
}


def identity_body(
    base_url: str,
    org_id: str,
    user: SfUser,
    *,
    asserted: bool,
    version: str | None,
    last_modified: str,
    login_url: str | None = None,
) -> dict[str, Any]:
    """Fields as documented for the identity service; URLs keep ``{version}`` unless given.
    The identity URL itself is on the login host, the rest on the instance."""
    ver = version or "{version}"
    org15 = org_id[:15]
    rest = f"{base_url}/services/data/v{ver}/"
    return {
        "id": f"{login_url or base_url}/id/{org_id}/{user.id}",
        "asserted_user": asserted,
        "user_id": user.id,
        "organization_id": org_id,
        "username": user.username,
        "nick_name": user.username.split("@")[0].replace(".", ""),
        "display_name": user.name,
        "email": user.email,
        "email_verified": True,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "timezone": user.timezone,
        "photos": {
            "picture": f"{base_url}/profilephoto/005/F",
            "thumbnail": f"{base_url}/profilephoto/005/T",
        },
        "addr_street": None,
        "addr_city": None,
        "addr_state": None,
        "addr_country": None,
        "addr_zip": None,
        "mobile_phone": None,
        "mobile_phone_verified": False,
        "is_lightning_login_user": False,
        "status": {"created_date": None, "body": None},
        "urls": {
            "enterprise": f"{base_url}/services/Soap/c/{ver}/{org15}",
            "metadata": f"{base_url}/services/Soap/m/{ver}/{org15}",
            "partner": f"{base_url}/services/Soap/u/{ver}/{org15}",
            "rest": rest,
            "sobjects": rest + "sobjects/",
            "search": rest + "search/",
            "query": rest + "query/",
            "recent": rest + "recent/",
            "tooling_soap": f"{base_url}/services/Soap/T/{ver}/{org15}",
            "tooling_rest": rest + "tooling/",
            "profile": f"{base_url}/{user.id}",
            "feeds": rest + "chatter/feeds",
            "groups": rest + "chatter/groups",
            "users": rest + "chatter/users",
            "feed_items": rest + "chatter/feed-items",
            "feed_elements": rest + "chatter/feed-elements",
            "custom_domain": base_url,
        },
        "active": True,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": _UTC_OFFSETS.get(user.timezone, 0),
        "last_modified_date": last_modified,
        "is_app_installed": True,
    }
