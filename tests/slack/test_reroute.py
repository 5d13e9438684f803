"""Re-routing in Slack end to end, with signed requests against the fake Web API: the escalation post's button opens
a modal of expert channels, the submit moves the question (history in the new thread, a note in the old one, the
agent told), a refusal shows in the modal, two experts submitting at once move it once, and the next similar
question goes to the learned channel."""

from __future__ import annotations

import json
import threading

from handlers.replies import Action
from tests.slack.conftest import Running, payload
from tests.slack.driver import buttons, click, dm, escalate, eventually, expert_reply

BENCH = "buurt wil een bankje in het park"
EXPERT = "U0DEMO05"


def submit_reroute(running: Running, escalation_id: int, channel: str, where: str, *, user: str = EXPERT,
                   seen: str = "0"):
    """The modal's submit as Slack sends it (``seen``: the moves the modal was opened at, in its metadata)."""
    data = payload("view_submission_reroute")
    data["user"]["id"] = user
    meta = {"escalation": escalation_id, "seen": seen, "channel": where, "thread": None}
    data["view"]["private_metadata"] = json.dumps(meta)
    data["view"]["state"]["values"]["channel"]["value"]["selected_option"]["value"] = channel
    data["trigger_id"] = f"{escalation_id}.{channel}.{user}.reroute"
    return running.slack.interaction(data)


def test_an_expert_reroutes_from_the_post_and_routing_learns(running: Running) -> None:
    channel, root = escalate(running, BENCH)
    assert channel == "kcc-parkeren"
    esc = running.store.escalation_at(channel, root)
    post = running.fake.posted(channel)[0]
    assert buttons(post.args["blocks"])[Action.REROUTE] == [str(esc.id)]
    expert_reply(running, channel, root, "Dit is geen parkeervraag.")

    running.slack.interaction(click(Action.REROUTE, str(esc.id), user=EXPERT, channel=channel, message_ts=root))
    modal = running.fake.wait_for("views.open")[0]["view"]
    assert modal["callback_id"] == "vb_reroute_view" and json.loads(modal["private_metadata"])["seen"] == "0"
    options = [o["value"] for o in modal["blocks"][0]["element"]["options"]]
    assert "kcc-openbare-ruimte" in options and "kcc-parkeren" not in options

    refused = submit_reroute(running, esc.id, "kcc-parkeren", channel)
    body = json.loads(refused.body)
    assert body["response_action"] == "errors" and "staat al in kcc-parkeren" in body["errors"]["channel"]
    refused = submit_reroute(running, esc.id, "kcc-nergens", channel)
    assert "ken ik niet als expertkanaal" in json.loads(refused.body)["errors"]["channel"]

    done = submit_reroute(running, esc.id, "kcc-openbare-ruimte", channel)
    assert done.status == 200 and done.body == ""
    new = eventually(lambda: running.fake.posted("kcc-openbare-ruimte"))[0]
    shown = json.dumps(new.args["blocks"], ensure_ascii=False)
    assert BENCH in shown and "Doorgestuurd vanuit kcc-parkeren" in shown and "Dit is geen parkeervraag" in shown
    note = eventually(lambda: [c for c in running.fake.posted(channel) if c.args.get("thread_ts") == root])
    assert "kcc-openbare-ruimte" in note[0].args["text"]
    told = eventually(lambda: [c for c in running.fake.posted("D0AGENT") if "doorgestuurd" in c.args["text"]])
    assert "kcc-openbare-ruimte" in told[0].args["text"]
    ephemeral = eventually(lambda: running.fake.called("chat.postEphemeral"))
    assert any("Doorgestuurd naar kcc-openbare-ruimte" in e["text"] and e["user"] == EXPERT for e in ephemeral)
    updated = running.fake.wait_for("chat.update", where=lambda a: a["ts"] == root)[0]
    assert Action.REROUTE not in buttons(updated["blocks"])  # the old post keeps no buttons
    assert [r["action"] for r in running.store.audit_log()].count("reroute") == 1

    running.slack.event(dm("De buurtvereniging wil een bankje plaatsen in het park", user="U0AGENT2",
                           channel="D0AGENT2"))
    eventually(lambda: len(running.fake.posted("kcc-openbare-ruimte")) == 2)
    assert len(running.fake.posted("kcc-parkeren")) == 2  # the first post and the note: nothing new there


def test_two_experts_submitting_at_once_move_it_once(running: Running) -> None:
    channel, root = escalate(running, BENCH)
    esc = running.store.escalation_at(channel, root)
    answers: list[int] = []

    def submit(target: str, user: str) -> None:
        answers.append(submit_reroute(running, esc.id, target, channel, user=user).status)

    threads = [threading.Thread(target=submit, args=(target, user)) for target, user in
               (("kcc-openbare-ruimte", EXPERT), ("kcc-afval", "U0DEMO06"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert answers == [200, 200]
    moved = running.store.escalation(esc.id)
    assert moved.moves == 1
    eventually(lambda: running.fake.posted(moved.channel))
    other = "kcc-afval" if moved.channel == "kcc-openbare-ruimte" else "kcc-openbare-ruimte"
    assert running.fake.posted(other) == []
    said = eventually(lambda: [e["text"] for e in running.fake.called("chat.postEphemeral")
                               if "Iemand anders" in e["text"]])
    assert moved.channel in said[0]

    # a modal opened before that move, submitted after it: it stays where it went
    late = submit_reroute(running, esc.id, "kcc-wmo", channel, user="U0DEMO07")
    assert late.status == 200 and running.store.escalation(esc.id).moves == 1
