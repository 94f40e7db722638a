"""The subscription commands, text in and Reply out like every other command: /subscribe,
/unsubscribe, /subscriptions, /quiet, /digest. Who may use them is checked before (bot/commands.py
from the registry's `admin` flag); here a chat is only its id and forum topic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.args import ArgumentError, parse_digest, parse_subscription
from bot.render import Reply, esc
from store.subscriptions import Subscriptions

if TYPE_CHECKING:
    from bot.commands import Chat
    from store.db import Store
    from store.gazetteer import Gazetteer


class SubscriptionCommands:
    """Mixed into Commands, which provides the store and the gazetteer."""

    store: Store
    gazetteer: Gazetteer

    def _subs(self) -> Subscriptions:
        return Subscriptions(self.store)

    def cmd_subscribe(self, argument: str, page: int, chat: Chat) -> Reply:
        """/subscribe <place | oblast | all> [type] [+word -word]"""
        request = parse_subscription(argument, self.gazetteer)
        sub, created = self._subs().add(
            chat.id,
            chat.thread_id,
            request.scope,
            request.place_id,
            request.label,
            request.event_type,
            request.include,
            request.exclude,
        )
        verb = "Subscribed to" if created else "Already subscribed to"
        return Reply(
            f"{verb} <b>{esc(sub.describe())}</b>. New events will arrive here as they are indexed."
        )

    def cmd_unsubscribe(self, argument: str, page: int, chat: Chat) -> Reply:
        """/unsubscribe [label]: one subscription, or all of this chat's (or topic's)."""
        label = argument.strip()
        place = self.gazetteer.lookup(label) if label else None
        # "/unsubscribe Харків" undoes "/subscribe Kharkiv": labels are the places' own names.
        label = place.name if place is not None else label
        removed = self._subs().remove(chat.id, chat.thread_id, label or None)
        if removed:
            return Reply(f"Unsubscribed ({removed}).")
        return Reply("Nothing to unsubscribe from. See /subscriptions.")

    def cmd_subscriptions(self, argument: str, page: int, chat: Chat) -> Reply:
        """/subscriptions: what this chat receives."""
        subs = self._subs()
        rows = subs.of_chat(chat.id)
        if not rows:
            return Reply("No subscriptions here. Try /subscribe Kharkiv.")
        settings = subs.chat(chat.id)
        lines = ["<b>Subscriptions</b>"]
        lines += [
            f"• {esc(s.describe())}" + (f" (topic {s.thread_id})" if s.thread_id else "")
            for s in rows
        ]
        lines.append(f"Sound: {'off' if settings['quiet'] else 'on'}")
        if settings["digest_time"]:
            mode = (
                "besides instant updates" if settings["instant"] else "instead of instant updates"
            )
            lines.append(
                f"Digest: daily at {settings['digest_time']} {settings['timezone']}, {mode}"
            )
        return Reply("\n".join(lines))

    def cmd_quiet(self, argument: str, page: int, chat: Chat) -> Reply:
        """/quiet on|off: deliver without a notification sound."""
        value = argument.strip().lower()
        if value not in ("on", "off"):
            return Reply("Usage: /quiet on or /quiet off")
        self._subs().update_chat(chat.id, quiet=int(value == "on"))
        return Reply(f"Quiet delivery is {value}.")

    def cmd_digest(self, argument: str, page: int, chat: Chat) -> Reply:
        """/digest HH:MM [only] [Area/City] | off: a daily summary in the chat's time zone."""
        try:
            at, instant, zone = parse_digest(argument)
        except ArgumentError as exc:
            return Reply(esc(str(exc)))
        subs = self._subs()
        values: dict[str, Any] = {"digest_time": at, "instant": int(instant)}
        if zone:
            values["timezone"] = zone
        subs.update_chat(chat.id, **values)
        if at is None:
            return Reply("Daily digest off; instant updates on.")
        mode = "besides instant updates" if instant else "instead of instant updates"
        return Reply(f"Daily digest at {at} ({esc(subs.chat(chat.id)['timezone'])}), {mode}.")
