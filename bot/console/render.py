"""Plain-text rendering of a neutral Message for the console (buttons become commands to type)."""

from __future__ import annotations

from handlers.replies import Action, Button, Message

COMMANDS = {
    Action.HELPFUL: "/nuttig {value}",
    Action.NOT_HELPFUL: "/nietnuttig {value}",
    Action.ESCALATE: "/expert {value}",
    Action.MARK_ANSWER: "/markeer-laatste {value}",
    Action.APPROVE: "/goedkeuren {value}",
    Action.EDIT: "/bewerk {value} TITEL | TEKST",
    Action.MERGE: "/samenvoegen {value} ARTIKEL-ID",
    Action.REJECT: "/afwijzen {value}",
    Action.URGENT: "/wacht {value}",
    Action.READ: "/lees {value}",
    Action.REROUTE: "/doorsturen M KANAAL",  # M: the message number above the post
    Action.UNLEARN: "/vergeet-route {value}",
}


def posted(message_id: str) -> dict[str, str]:
    """The commands of a post printed as message ``message_id``: re-routing names it (instead of 'M')."""
    return {Action.REROUTE: f"/doorsturen {message_id} KANAAL"}


def _buttons(buttons: tuple[Button, ...], commands: dict[str, str]) -> str:
    return "  ".join(f"[{b.label}: {commands.get(b.action, b.action).format(value=b.value)}]" for b in buttons)


def render(message: Message, commands: dict[str, str] | None = None) -> str:
    """``message`` as text; a button as the command that does the same (``commands``: instead of the console's)."""
    commands = {**COMMANDS, **(commands or {})}
    out: list[str] = []
    for line in message.lines:
        if line.kind == "title":
            out.append(f"** {line.text} **" + (f" <{line.url}>" if line.url else ""))
        elif line.kind == "quote":
            out += [f"> {part}" for part in line.text.splitlines() or [""]]
        elif line.kind == "context":
            out.append(f"   {line.text}")
        elif line.kind == "warning":
            out.append(f"!! {line.text}")
        elif line.kind == "people":
            out.append(f"{line.text} " + ", ".join(f"@{p.name}" for p in line.people))
        elif line.kind == "divider":
            out.append("-" * 40)
        elif line.kind == "actions":
            out.append(_buttons(line.buttons, commands))
        else:
            out.append(line.text)
    if not message.lines:
        out.append(message.text)
    if message.buttons:
        out.append(_buttons(message.buttons, commands))
    return "\n".join(out)
