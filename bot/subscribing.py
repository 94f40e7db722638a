"""The subscription commands, text in and Reply out like every other command: /subscribe,
/unsubscribe, /subscriptions, /quiet, /digest. Who may use them is checked before (bot/commands.py
from the registry's `admin` flag); here a chat is only its id and forum topic."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.args import ArgumentError, parse_digest, parse_subscription
from bot.catalogue import t
from bot.render import Reply, esc
from store.subscriptions import Subscription, Subscriptions

if TYPE_CHECKING:
    from bot.commands import Chat
    from store.db import Store
    from store.gazetteer import Gazetteer


def describe(sub: Subscription, lang: str) -> str:
    """A subscription as the chat reads it: what it asks for, and its threshold in words."""
    if sub.threshold is None:
        return sub.describe()
    return f"{sub.describe()}, {t(f'sub.min.{sub.threshold.of}', lang, n=sub.threshold.count)}"


class SubscriptionCommands:
    """Mixed into Commands, which provides the store and the gazetteer."""

    store: Store
    gazetteer: Gazetteer

    def _subs(self) -> Subscriptions:
        return Subscriptions(self.store)

    def cmd_subscribe(self, argument: str, page: int, chat: Chat) -> Reply:
        """/subscribe <place | oblast | all> [type] [+word -word] [min N sources|killed|...]"""
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
            request.threshold,
        )
        what = esc(describe(sub, chat.lang))
        return Reply(t("sub.added" if created else "sub.again", chat.lang, what=what))

    def cmd_unsubscribe(self, argument: str, page: int, chat: Chat) -> Reply:
        """/unsubscribe [label]: one subscription, or all of this chat's (or topic's)."""
        label = argument.strip()
        place = self.gazetteer.lookup(label) if label else None
        # "/unsubscribe Харків" undoes "/subscribe Kharkiv": labels are the places' own names.
        label = place.name if place is not None else label
        removed = self._subs().remove(chat.id, chat.thread_id, label or None)
        if removed:
            return Reply(t("sub.removed", chat.lang, n=removed))
        return Reply(t("sub.nothing", chat.lang))

    def cmd_subscriptions(self, argument: str, page: int, chat: Chat) -> Reply:
        """/subscriptions: what this chat receives."""
        subs = self._subs()
        rows = subs.of_chat(chat.id)
        if not rows:
            return Reply(t("sub.none", chat.lang))
        settings, lang = subs.chat(chat.id), chat.lang
        lines = [f"<b>{t('sub.title', lang)}</b>"]
        lines += [
            f"• {esc(describe(s, lang))}"
            + (t("sub.topic", lang, n=s.thread_id) if s.thread_id else "")
            for s in rows
        ]
        lines.append(t("sub.sound", lang, state=t("off" if settings["quiet"] else "on", lang)))
        if settings["digest_time"]:
            mode = t("digest.besides" if settings["instant"] else "digest.instead", lang)
            at, zone = settings["digest_time"], settings["timezone"]
            lines.append(t("digest.line", lang, at=at, zone=esc(zone), mode=mode))
        return Reply("\n".join(lines))

    def cmd_quiet(self, argument: str, page: int, chat: Chat) -> Reply:
        """/quiet on|off: deliver without a notification sound."""
        value = argument.strip().lower()
        if value not in ("on", "off"):
            return Reply(t("quiet.usage", chat.lang))
        self._subs().update_chat(chat.id, quiet=int(value == "on"))
        return Reply(t("quiet.set", chat.lang, state=t(value, chat.lang)))

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
            return Reply(t("digest.off", chat.lang))
        mode = t("digest.besides" if instant else "digest.instead", chat.lang)
        zone = esc(subs.chat(chat.id)["timezone"])
        return Reply(t("digest.set", chat.lang, at=at, zone=zone, mode=mode))
