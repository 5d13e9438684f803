"""People import from Slack: users.list (cursor paging) plus the custom profile fields that say a
person's department and expertise, when the workspace has such fields."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.slack.client import web_client
from handlers.errors import UserError
from handlers.messages import t
from knowledge.model import Person

log = logging.getLogger(__name__)

PAGE_SIZE = 200
SLACKBOT = "USLACKBOT"
# custom profile field labels (lower case) that carry a department / expertise, Dutch and English
DEPARTMENT_LABELS = frozenset({"afdeling", "department", "team", "dienst", "directie", "unit"})
EXPERTISE_LABELS = frozenset(
    {"expertise", "deskundigheid", "vakgebied", "specialisme", "onderwerpen", "topics", "skills", "kennis"}
)


def fetch_people(settings: Settings, client: WebClient | None = None) -> list[Person]:
    """Everyone in the workspace who is a person: no bots, no deactivated accounts, no Slackbot."""
    if client is None and not settings.slack_bot_token:
        raise UserError(t("cli_slack_token_missing", settings.lang))
    client = client or web_client(settings)
    members = [m for m in _members(client) if _is_person(m)]
    labels = _field_labels(client)
    people = []
    for member in members:
        fields = member.get("profile", {}).get("fields") or {}
        if labels and not fields:
            fields = _profile_fields(client, str(member["id"]))
        people.append(to_person(member, fields, labels))
    return people


def _members(client: WebClient) -> Iterator[dict[str, Any]]:
    cursor = ""
    while True:
        response = client.users_list(limit=PAGE_SIZE, cursor=cursor or None)
        yield from response.get("members") or []
        cursor = (response.get("response_metadata") or {}).get("next_cursor") or ""
        if not cursor:
            return


def _is_person(member: Mapping[str, Any]) -> bool:
    return not (member.get("deleted") or member.get("is_bot") or member.get("id") == SLACKBOT)


def _field_labels(client: WebClient) -> dict[str, str]:
    """Field id -> "department" | "expertise" for the workspace's custom profile fields we understand."""
    try:
        response = client.team_profile_get()
    except SlackApiError as error:
        log.info("team.profile.get failed (%s): importing without custom profile fields", error)
        return {}
    labels = {}
    for field in (response.get("profile") or {}).get("fields") or []:
        label = str(field.get("label", "")).strip().lower()
        if label in DEPARTMENT_LABELS:
            labels[str(field["id"])] = "department"
        elif label in EXPERTISE_LABELS:
            labels[str(field["id"])] = "expertise"
    return labels


def _profile_fields(client: WebClient, user_id: str) -> Mapping[str, Any]:
    try:
        response = client.users_profile_get(user=user_id)
    except SlackApiError as error:
        log.info("users.profile.get %s failed: %s", user_id, error)
        return {}
    return (response.get("profile") or {}).get("fields") or {}


def to_person(member: Mapping[str, Any], fields: Mapping[str, Any], labels: Mapping[str, str]) -> Person:
    profile = member.get("profile") or {}
    uid = str(member["id"])
    department, expertise = "", tuple[str, ...]()
    for field_id, value in fields.items():
        text = str((value or {}).get("value") or "").strip()
        if labels.get(field_id) == "department" and text:
            department = text
        elif labels.get(field_id) == "expertise" and text:
            expertise = tuple(part.strip() for part in re.split(r"[,;\n]", text) if part.strip())
    name = profile.get("real_name") or member.get("real_name") or profile.get("display_name")
    name = name or member.get("name")
    return Person(
        id=f"slack-{uid}",
        name=str(name or uid),
        title=str(profile.get("title") or ""),
        department=department,
        expertise=expertise,
        email=str(profile.get("email") or ""),
        phone=str(profile.get("phone") or ""),
        handles=(("slack", uid),),
    )
