"""People import from Microsoft Graph: paging, disabled accounts, throttling, the token scope."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.teams import fetch_people
from handlers.errors import UserError
from tests.teams.fakes import FakeMicrosoft
from tests.teams.harness import http_session, make_settings

PAGE_1 = [
    {
        "id": "u-1",
        "displayName": "Bram Imker",
        "jobTitle": "Beheerder gebouwen",
        "department": "Facilitair",
        "mail": "B.Imker@voorbeeldgemeente.nl",
        "userPrincipalName": "bram@voorbeeldgemeente.nl",
        "accountEnabled": True,
        "mobilePhone": None,
        "businessPhones": ["020-5550199"],
    },
    {
        "id": "u-2",
        "displayName": "Oud Account",
        "mail": "oud@voorbeeldgemeente.nl",
        "accountEnabled": False,
        "businessPhones": [],
    },
]
PAGE_2 = [
    {
        "id": "u-3",
        "displayName": "Hatice Yilmaz",
        "jobTitle": None,
        "department": None,
        "mail": None,
        "userPrincipalName": "hatice@voorbeeldgemeente.nl",
        "accountEnabled": True,
        "mobilePhone": "06-12345678",
        "businessPhones": [],
    },
]


def test_people_from_graph(ms: FakeMicrosoft, tmp_path: Path) -> None:
    ms.graph_pages = [PAGE_1, PAGE_2]
    ms.graph_throttle = [30]  # asks for 30 s; the test caps waits at 0.05 s
    started = time.monotonic()
    people = fetch_people(make_settings(ms, tmp_path), http_client=http_session(ms), max_wait=0.05)
    assert time.monotonic() - started < 5
    assert [(p.id, p.name, p.handle("teams"), p.email, p.phone, p.title, p.department) for p in people] == [
        (
            "b.imker@voorbeeldgemeente.nl",
            "Bram Imker",
            "u-1",
            "B.Imker@voorbeeldgemeente.nl",
            "020-5550199",
            "Beheerder gebouwen",
            "Facilitair",
        ),
        (
            "hatice@voorbeeldgemeente.nl",
            "Hatice Yilmaz",
            "u-3",
            "hatice@voorbeeldgemeente.nl",
            "06-12345678",
            "",
            "",
        ),
    ]
    assert all(p.expertise == () for p in people)
    users = [c for c in ms.calls if c["path"] == "/v1.0/users"]
    assert len(users) == 3  # throttled, page 1, page 2 (via @odata.nextLink)
    assert users[0]["query"]["$select"] == [
        "id,displayName,jobTitle,department,mail,userPrincipalName,accountEnabled,mobilePhone,businessPhones"
    ]
    assert users[0]["query"]["$top"] == ["999"]
    assert users[-1]["query"]["page"] == ["1"]
    assert {c["auth"] for c in users} == {"Bearer token-1"}
    assert [r["scope"] for r in ms.token_requests] == [["https://graph.microsoft.com/.default"]]


def test_graph_keeps_throttling(ms: FakeMicrosoft, tmp_path: Path) -> None:
    ms.graph_pages = [PAGE_1]
    ms.graph_throttle = [1] * 10
    with pytest.raises(UserError):
        fetch_people(make_settings(ms, tmp_path), http_client=http_session(ms), max_wait=0.01, attempts=3)
