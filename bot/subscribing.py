"""The subscription commands, text in and Reply out like every other command: /subscribe,
/unsubscribe, /subscriptions (and its export and import as a file), /quiet, /digest. Who may use
them is checked before (bot/commands.py from the registry's `admin` flag); here a chat is only
its id and forum topic. An import arrives as bytes: fetching the file is Telegram's business
(bot/handlers.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.args import (
    EVENT_TYPE_WORDS,
    ArgumentError,
    SubscriptionRequest,
    parse_digest,
    parse_subscription,
)
from bot.catalogue import t
from bot.kinds import kind_label
from bot.render import Reply, clip, esc
from bot.subscription_file import (
    Entry,
    Refused,
    Settings,
    SubscriptionFile,
    SubscriptionFileError,
    dump,
    load,
)
from store.subscriptions import Subscription, Subscriptions, Threshold

if TYPE_CHECKING:
    from bot.commands import Chat
    from store.db import Store
    from store.gazetteer import Gazetteer


def describe(sub: Subscription, lang: str) -> str:
    """A subscription as the chat reads it: what it asks for, its kind in plain words
    ("Kharkiv Shelling +hospital"), and its threshold."""
    parts = [sub.label]
    if sub.event_type:
        parts.append(kind_label({"sub_event_type": sub.event_type}, lang, with_target=False))
    parts += [f"+{w}" for w in sub.include_words] + [f"-{w}" for w in sub.exclude_words]
    shown = " ".join(parts)
    if sub.threshold is None:
        return shown
    return f"{shown}, {t(f'sub.min.{sub.threshold.of}', lang, n=sub.threshold.count)}"


class SubscriptionCommands:
    """Mixed into Commands, which provides the store and the gazetteer."""

    store: Store
    gazetteer: Gazetteer

    def _subs(self) -> Subscriptions:
        return Subscriptions(self.store)

    def cmd_subscribe(self, argument: str, page: int, chat: Chat) -> Reply:
        """/subscribe <place | oblast | all> [type] [+word -word] [min N sources|killed|...]"""
        request = parse_subscription(argument, self.gazetteer)
        sub, created = self._add(request, chat.id, chat.thread_id)
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
        """/subscriptions: what this chat receives; `export` sends it as a file, `import` (with
        the file) restores one."""
        action = argument.strip().lower()
        if action == "export":
            return self.export_subscriptions(chat)
        if action == "import":
            return Reply(t("sub.import.usage", chat.lang))
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
        button = [(t("sub.export.button", lang), "pg|0|subscriptions|export")]
        return Reply("\n".join(lines), [button])

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

    # --- as a file --------------------------------------------------------------------------

    def export_subscriptions(self, chat: Chat) -> Reply:
        """This chat's subscriptions and settings as a small JSON file (bot/subscription_file)."""
        subs = self._subs()
        rows = subs.of_chat(chat.id)
        if not rows:
            return Reply(t("sub.none", chat.lang))
        found = subs.chat(chat.id)
        settings = Settings(
            bool(found["quiet"]),
            found["digest_time"] or None,
            found["timezone"] or Settings.timezone,
            bool(found["instant"]),
        )
        entries = tuple(_entry(s) for s in rows)
        data = dump(SubscriptionFile(entries, settings, chat.id))
        name = f"sitrep-subscriptions-{abs(chat.id)}.json"
        return Reply(t("sub.export.caption", chat.lang, n=len(rows)), document=(name, data))

    def import_subscriptions(self, data: bytes, chat: Chat) -> Reply:
        """Restore a file from `export_subscriptions` into this chat: what is already here is
        kept once, what cannot be read or resolved is refused and named, nothing is removed.
        The file's settings apply where they differ from a new chat's (a quiet chat's file
        makes this chat quiet; a file with no digest leaves this chat's digest alone)."""
        lang = chat.lang
        if chat.type in ("group", "supergroup") and not chat.admin:
            return Reply(t("admins.only", lang))
        try:
            file = load(data)
        except SubscriptionFileError as exc:
            reason = t(exc.reason, lang, **exc.values)
            return Reply(t("sub.import.bad", lang, reason=reason))
        added: list[str] = []
        kept: list[str] = []
        refused = list(file.refused)
        for entry in file.entries:
            request = self._resolve(entry)
            if isinstance(request, Refused):
                refused.append(request)
                continue
            # Topics belong to the chat the file came from; elsewhere, where the file was sent.
            topic = entry.topic if file.chat_id == chat.id else chat.thread_id
            sub, created = self._add(request, chat.id, topic)
            (added if created else kept).append(describe(sub, lang))
        changed = self._restore_settings(file.settings, chat) if file.entries else []
        return Reply(_import_report(added, kept, refused, changed, lang))

    def _add(
        self, request: SubscriptionRequest, chat_id: int, thread_id: int
    ) -> tuple[Subscription, bool]:
        return self._subs().add(
            chat_id,
            thread_id,
            request.scope,
            request.place_id,
            request.label,
            request.event_type,
            request.include,
            request.exclude,
            request.threshold,
        )

    def _resolve(self, entry: Entry) -> SubscriptionRequest | Refused:
        """The subscription an entry asks for in this bot's gazetteer and kinds."""
        kind = entry.kind
        if kind and kind not in EVENT_TYPE_WORDS.values():
            kind = EVENT_TYPE_WORDS.get(kind.lower(), "")
            if not kind:
                return Refused(entry.describe(), "subfile.kind", {"kind": entry.kind})
        threshold = Threshold(entry.min_count, entry.min_of) if entry.min_count else None
        if entry.scope == "all":
            return SubscriptionRequest(
                "all", None, "all", kind, entry.include, entry.exclude, threshold
            )
        # The id first, when it still names the same place; the name otherwise.
        place = self.gazetteer.places.get(entry.place_id or 0)
        if place is None or place.name.lower() != entry.place.lower():
            place = self.gazetteer.lookup(entry.place)
        if place is None or place.kind == "country":
            return Refused(entry.describe(), "subfile.place", {"place": entry.place})
        scope = "oblast" if place.is_ua_oblast else "place"
        return SubscriptionRequest(
            scope, place.id, place.name, kind, entry.include, entry.exclude, threshold
        )

    def _restore_settings(self, settings: Settings | None, chat: Chat) -> list[str]:
        """Apply the file's settings that differ from a new chat's; what changed, as text."""
        if settings is None:
            return []
        values: dict[str, Any] = {}
        if settings.quiet:
            values["quiet"] = 1
        if settings.digest_time:
            values.update(
                digest_time=settings.digest_time,
                timezone=settings.timezone,
                instant=int(settings.instant),
            )
        if not values:
            return []
        self._subs().update_chat(chat.id, **values)
        changed = [t("sub.sound", chat.lang, state=t("off", chat.lang))] if settings.quiet else []
        if settings.digest_time:
            mode = t("digest.besides" if settings.instant else "digest.instead", chat.lang)
            at, zone = settings.digest_time, esc(settings.timezone)
            changed.append(t("digest.line", chat.lang, at=at, zone=zone, mode=mode))
        return changed


def _entry(sub: Subscription) -> Entry:
    return Entry(
        sub.label,
        sub.scope,
        sub.place_id,
        sub.event_type,
        sub.include_words,
        sub.exclude_words,
        sub.thread_id,
        sub.threshold.count if sub.threshold else 0,
        sub.threshold.of if sub.threshold else "",
    )


def _import_report(
    added: list[str], kept: list[str], refused: list[Refused], changed: list[str], lang: str
) -> str:
    """ "Imported: 2 added, 1 already here, 1 refused", then each of them by name."""
    lines = [t("sub.import.done", lang, added=len(added), kept=len(kept), refused=len(refused))]
    for key, names in (("sub.import.added", added), ("sub.import.kept", kept)):
        if names:
            lines.append(t(key, lang) + " " + esc(clip(" · ".join(names), 1500)))
    for r in refused[:20]:
        why = t(r.reason, lang, **{k: esc(clip(str(v), 60)) for k, v in r.values.items()})
        lines.append(f"{t('sub.import.refused', lang)} {esc(clip(r.shown, 80))} — {why}")
    lines += changed
    return "\n".join(lines)
