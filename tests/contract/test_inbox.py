"""The inbox and the outbox's claims: the same results on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from knowledge.model import EVENT_ATTEMPTS, OUTBOX_ATTEMPTS, Place

FAR_PAST = "2000-01-01T00:00:00+00:00"
FAR_FUTURE = "2999-01-01T00:00:00+00:00"


def test_an_event_is_stored_once_per_delivery_key(store: Any) -> None:
    first = store.put_event("slack:Ev1", "slack", "Asked", {"text": "hoe vraag ik een paspoort aan?", "n": 1})
    assert store.put_event("slack:Ev1", "slack", "Asked", {"text": "again"}) is None  # a redelivery
    second = store.put_event(None, "console", "Asked", {"text": "zonder sleutel"})
    third = store.put_event(None, "console", "Asked", {"text": "zonder sleutel"})  # no key: never a redelivery
    assert (first, second, third) == (1, 2, 3)  # a redelivery takes no id on either backend
    assert store.event(first) == {"id": 1, "key": "slack:Ev1", "platform": "slack", "kind": "Asked",
                                  "payload": {"text": "hoe vraag ik een paspoort aan?", "n": 1}, "attempts": 0}
    assert store.event(99) is None
    assert store.waiting_events() == 3


def test_the_oldest_waiting_event_is_claimed_once(store: Any) -> None:
    for n in range(3):
        store.put_event(f"k{n}", "slack", "Asked", {"n": n})
    claimed = [store.claim_event(60.0) for _ in range(4)]
    assert [c["payload"]["n"] if c else None for c in claimed] == [0, 1, 2, None]
    assert [c["attempts"] for c in claimed if c] == [1, 1, 1]
    assert store.claim_event(60.0, 1) is None  # held by its claimer


def test_a_claim_by_id_takes_that_event_only_while_it_is_free(store: Any) -> None:
    store.put_event("a", "slack", "Asked", {})
    store.put_event("b", "slack", "Asked", {})
    got = store.claim_event(60.0, 2)
    assert got is not None and got["key"] == "b"
    assert store.claim_event(60.0, 2) is None
    assert store.claim_event(60.0)["key"] == "a"


def test_an_expired_claim_is_claimed_again(store: Any) -> None:
    store.put_event("a", "slack", "Asked", {})
    assert store.claim_event(-5.0)["attempts"] == 1  # a lease that ran out at once: its worker died
    again = store.claim_event(60.0)
    assert again is not None and again["attempts"] == 2 and store.claim_event(60.0) is None


def test_an_event_stored_claimed_is_left_to_its_caller(store: Any) -> None:
    eid = store.put_event("a", "slack", "Asked", {"x": 1}, claim=60.0)
    assert store.event(eid)["attempts"] == 1 and store.claim_event(60.0) is None
    expired = store.put_event("b", "slack", "Asked", {}, claim=-5.0)  # its caller died: a worker takes it
    assert store.claim_event(60.0)["id"] == expired


def test_done_and_failed_events(store: Any) -> None:
    done = store.put_event("a", "slack", "Asked", {})
    retried = store.put_event("b", "slack", "Asked", {})
    store.claim_event(60.0)
    store.event_done(done)
    assert store.claim_event(60.0)["id"] == retried
    assert store.event_failed(retried, "boom") is False  # released: tried again at once
    assert store.waiting_events() == 1
    for attempt in range(2, EVENT_ATTEMPTS + 1):
        assert store.claim_event(60.0)["attempts"] == attempt
        given_up = store.event_failed(retried, "x" * 600)
    assert given_up is True
    assert store.claim_event(60.0) is None and store.waiting_events() == 0
    assert store.backlog().events_failed == 1 and store.backlog().events_waiting == 0


def test_forgetting_drops_handled_events_only(store: Any) -> None:
    handled = store.put_event("a", "slack", "Asked", {})
    store.put_event("b", "slack", "Asked", {})
    store.event_done(handled)
    assert store.forget_events(FAR_PAST) == 0
    assert store.forget_events(FAR_FUTURE) == 1
    assert store.event(handled) is None and store.waiting_events() == 1
    assert store.put_event("a", "slack", "Asked", {}) is not None  # the key is free again
    assert store.forget_deliveries(FAR_FUTURE) == 0


def test_the_backlog_in_figures(store: Any) -> None:
    empty = store.backlog()
    assert (empty.events_waiting, empty.oldest_event, empty.messages_waiting, empty.oldest_message) == (0, "", 0, "")
    store.put_event("a", "slack", "Asked", {})
    store.queue("send", Place("D1"), {"text": "hoi"})
    found = store.backlog()
    assert (found.events_waiting, found.messages_waiting, found.escalations_open) == (1, 1, 0)
    assert found.oldest_event.endswith("+00:00") and len(found.oldest_event) == 25


# --- the outbox ------------------------------------------------------------------------------
def _seen(row: dict[str, Any] | None) -> dict[str, Any] | None:
    """A message without its times (the clocks differ; their form is checked apart)."""
    return {k: v for k, v in row.items() if k not in ("created_at", "claimed_until", "sent_at")} if row else None


def test_a_message_is_queued_once_per_key(store: Any) -> None:
    first = store.queue("send", Place("D1", "t1", None, "https://smba"), {"text": "hoi"}, key="reply:1",
                        recipient="U1")
    assert store.queue("send", Place("D1"), {"text": "again"}, key="reply:1") == -first
    other = store.queue("tell", Place("D2"), {"text": "ook"}, escalation_id=7)
    assert (first, other) == (1, 2)
    assert _seen(store.outbox_item(first)) == {
        "id": 1, "kind": "send", "channel": "D1", "thread": "t1", "message": None, "extra": "https://smba",
        "payload": {"text": "hoi"}, "attempts": 0, "last_error": "", "escalation_id": None, "key": "reply:1",
        "recipient": "U1", "in_doubt": 0}
    item = store.outbox_item(first)
    assert item["sent_at"] == "" and item["claimed_until"] == "" and item["created_at"].endswith("+00:00")


def test_messages_are_claimed_oldest_first_and_once(store: Any) -> None:
    a = store.queue("send", Place("D1"), {"n": 1})
    b = store.queue("send", Place("D2"), {"n": 2})
    first = store.claim_outbox(30.0)
    assert first["id"] == a and first["claimed_until"] > first["created_at"]
    assert store.claim_outbox(30.0)["id"] == b
    assert store.claim_outbox(30.0) is None and store.claim_outbox(30.0, a) is None
    assert [m["id"] for m in store.pending_outbox()] == [a, b]  # claimed, not sent yet


def test_a_failed_send_is_released_and_a_sent_one_is_done(store: Any) -> None:
    a = store.queue("send", Place("D1"), {"n": 1})
    b = store.queue("send", Place("D2"), {"n": 2})
    store.claim_outbox(30.0)
    store.outbox_result(a, "rate limited")
    again = store.claim_outbox(30.0)
    assert again["id"] == a and again["attempts"] == 1 and again["last_error"] == "rate limited"
    store.outbox_result(a)
    assert store.outbox_item(a) is None and [m["id"] for m in store.pending_outbox()] == [b]
    assert store.claim_outbox(30.0)["id"] == b and store.claim_outbox(30.0) is None


def test_a_message_queued_claimed_waits_for_its_caller_or_its_lease(store: Any) -> None:
    held = store.queue("send", Place("D1"), {}, claim=60.0)
    assert store.claim_outbox(30.0) is None
    lapsed = store.queue("send", Place("D2"), {}, claim=-5.0)
    assert store.claim_outbox(30.0)["id"] == lapsed
    assert store.outbox_item(held)["claimed_until"] > store.outbox_item(held)["created_at"]


def test_a_message_tried_too_often_waits_for_a_person(store: Any) -> None:
    stuck = store.queue("send", Place("D1"), {}, error="down")
    for _ in range(OUTBOX_ATTEMPTS - 1):
        store.outbox_result(stuck, "down")
    assert store.claim_outbox(30.0) is None and store.pending_outbox() == []
    assert store.backlog().messages_given_up == 1
    assert store.claim_outbox(30.0, stuck)["attempts"] == OUTBOX_ATTEMPTS  # by id it is still sent on request
