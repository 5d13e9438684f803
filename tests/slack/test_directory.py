"""People import from users.list: paging, who is skipped, profile fields, 429 honoured."""

from __future__ import annotations

import time

from bot.config import Settings
from bot.slack import fetch_people
from knowledge.model import Person
from tests.slack.conftest import payload
from tests.slack.fake_slack import FakeSlack


def load(fake: FakeSlack, *, fields: bool = True) -> None:
    data = payload("users_list")
    fake.users = data["members"]
    if fields:
        fake.profile_fields = data["team_profile_fields"]
        fake.profiles = data["profiles"]


def test_people_from_users_list_with_paging_and_profile_fields(fake: FakeSlack, settings: Settings) -> None:
    load(fake)
    fake.users = fake.users + [
        {"id": f"U1{i:04d}", "name": f"p{i}", "profile": {"real_name": f"Persoon {i}"}} for i in range(250)
    ]
    people = fetch_people(settings)
    pages = fake.called("users.list")
    assert [p.get("cursor") for p in pages] == [None, "200"]
    assert all(p["limit"] in (200, "200") for p in pages)
    assert len(people) == 3 + 250
    by_id = {p.handle("slack"): p for p in people}
    assert {"U0GONE", "U0ROBOT", "USLACKBOT"}.isdisjoint(by_id)
    assert by_id["U0ANNA"] == Person(
        id="slack-U0ANNA", name="Anna de Vries", title="Beleidsmedewerker parkeren", department="Parkeren",
        expertise=("parkeervergunning", "bezoekersregeling", "laadpalen"), email="anna@gemeente.example",
        phone="+31 20 123 4567", handles=(("slack", "U0ANNA"),),
    )
    assert by_id["U0BRAM"].department == "Zorg" and by_id["U0BRAM"].expertise == ()
    assert by_id["W0CARLA"].name == "Carla" and by_id["W0CARLA"].title == ""


def test_without_custom_fields_no_profile_calls(fake: FakeSlack, settings: Settings) -> None:
    load(fake, fields=False)
    fake.fail("team.profile.get", error="missing_scope")
    people = fetch_people(settings)
    assert [p.handle("slack") for p in people] == ["U0ANNA", "U0BRAM", "W0CARLA"]
    assert fake.called("users.profile.get") == []
    assert all(p.department == "" for p in people)


def test_rate_limited_page_is_retried(fake: FakeSlack, settings: Settings) -> None:
    load(fake, fields=False)
    fake.fail("users.list", 429, retry_after=1)
    started = time.monotonic()
    people = fetch_people(settings)
    assert time.monotonic() - started >= 1.0  # Retry-After: 1 was waited out
    assert len(people) == 3
    assert len(fake.called("users.list")) == 2
