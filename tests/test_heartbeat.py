"""The heartbeat on the claim of an outgoing message: renewed while its work runs, never revived once lapsed."""

from __future__ import annotations

import time

from handlers.heartbeat import Heartbeat
from knowledge.model import Place
from knowledge.sqlite import SqliteStore


def claimed_until(store: SqliteStore, item_id: int) -> str:
    return str(store.rows("SELECT claimed_until FROM outbox WHERE id = ?", [item_id])[0]["claimed_until"])


def test_a_held_claim_is_extended_and_a_lapsed_or_finished_one_is_not(store: SqliteStore) -> None:
    item = store.queue("send", Place("D0ANNA"), {"text": "hallo"}, claim=5)
    before = claimed_until(store, item)
    assert store.extend_outbox_claim(item, 600) and claimed_until(store, item) > before
    store.outbox_result(item, "platform down")  # the send failed: the claim is released ...
    assert not store.extend_outbox_claim(item, 600) and claimed_until(store, item) == ""  # ... and stays so
    assert store.claim_outbox(5, item) is not None
    store.outbox_result(item)  # sent
    assert not store.extend_outbox_claim(item, 600)
    lapsed = store.queue("send", Place("D0BOB"), {"text": "hallo"}, key="k")
    assert not store.extend_outbox_claim(lapsed, 600)  # never claimed: nobody's to extend


def test_the_heartbeat_renews_every_third_of_the_lease_while_the_work_runs() -> None:
    renewed: list[tuple[int, float]] = []
    heartbeat = Heartbeat()

    def renew(item_id: int, lease: float) -> bool:
        renewed.append((item_id, lease))
        return True

    with heartbeat.holding(renew, 7, 0.3):
        time.sleep(0.55)  # renewals at about 0.1, 0.2, 0.3, 0.4 and 0.5 s
    count = len(renewed)
    time.sleep(0.3)
    assert 3 <= count <= 6 and set(renewed) == {(7, 0.3)}
    assert len(renewed) == count  # the work ended: no more renewals
    with heartbeat.holding(renew, 8, 60):
        pass
    assert len(renewed) == count  # quick work: nothing to renew
