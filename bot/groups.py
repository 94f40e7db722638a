"""Group-chat handlers: subscriptions (admins only in groups), quiet mode, digests, and the
chat-membership updates that keep the subscription list true (removed bot, migrated group)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

from telegram import ChatMember, Message, Update
from telegram.ext import ContextTypes

from bot.args import ArgumentError, parse_digest, parse_subscription
from bot.render import esc
from store.subscriptions import Subscriptions

log = logging.getLogger("sitrep.groups")
_ADMINS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def _subs(context: ContextTypes.DEFAULT_TYPE) -> Subscriptions:
    return Subscriptions(context.application.bot_data["commands"].store)


def _thread(message: Message) -> int:
    """The forum topic a command was sent in: its subscriptions deliver there."""
    return (
        message.message_thread_id if message.is_topic_message and message.message_thread_id else 0
    )


async def _may_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Anyone in a private chat; in a group, its administrators (an anonymous admin included)."""
    message = update.effective_message
    chat = update.effective_chat
    if message is None or chat is None:
        return False
    if chat.type == "private":
        return True
    if message.sender_chat is not None and message.sender_chat.id == chat.id:
        return True  # an anonymous administrator posts as the group itself
    user = update.effective_user
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in _ADMINS


Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


def _admins_only(
    handler: Callable[[Message, ContextTypes.DEFAULT_TYPE], Awaitable[None]],
) -> Handler:
    """Commands that change what a chat receives: refused politely to a group's non-admins."""

    @functools.wraps(handler)
    async def checked(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None:
            return
        if not await _may_change(update, context):
            await message.reply_text(
                "Only this group's administrators can change its subscriptions."
            )
            return
        await handler(message, context)

    return checked


def _argument(message: Message) -> str:
    text = message.text or ""
    return text.split(maxsplit=1)[1] if len(text.split(maxsplit=1)) > 1 else ""


@_admins_only
async def subscribe(message: Message, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscribe <place | oblast | all> [type] [+word -word]"""
    commands = context.application.bot_data["commands"]
    try:
        request = parse_subscription(_argument(message), commands.gazetteer)
    except ArgumentError as exc:
        await message.reply_text(esc(str(exc)))
        return
    sub, created = _subs(context).add(
        message.chat_id,
        _thread(message),
        request.scope,
        request.place_id,
        request.label,
        request.event_type,
        request.include,
        request.exclude,
    )
    verb = "Subscribed to" if created else "Already subscribed to"
    await message.reply_text(
        f"{verb} <b>{esc(sub.describe())}</b>. New events will arrive here as they are indexed."
    )


@_admins_only
async def unsubscribe(message: Message, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unsubscribe [label]: one subscription, or all of this chat's (or topic's)."""
    label = _argument(message).strip()
    place = context.application.bot_data["commands"].gazetteer.lookup(label) if label else None
    # "/unsubscribe Харків" undoes "/subscribe Kharkiv": labels are the places' own names.
    label = place.name if place is not None else label
    removed = _subs(context).remove(message.chat_id, _thread(message), label or None)
    if removed:
        await message.reply_text(f"Unsubscribed ({removed}).")
    else:
        await message.reply_text("Nothing to unsubscribe from. See /subscriptions.")


async def subscriptions(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/subscriptions: what this chat receives."""
    message = update.effective_message
    if message is None:
        return
    subs = _subs(context)
    rows = subs.of_chat(message.chat_id)
    chat = subs.chat(message.chat_id)
    if not rows:
        await message.reply_text("No subscriptions here. Try /subscribe Kharkiv.")
        return
    lines = ["<b>Subscriptions</b>"]
    lines += [
        f"• {esc(s.describe())}" + (f" (topic {s.thread_id})" if s.thread_id else "") for s in rows
    ]
    lines.append(f"Sound: {'off' if chat['quiet'] else 'on'}")
    if chat["digest_time"]:
        mode = "besides instant updates" if chat["instant"] else "instead of instant updates"
        lines.append(f"Digest: daily at {chat['digest_time']} {chat['timezone']}, {mode}")
    await message.reply_text("\n".join(lines))


@_admins_only
async def quiet(message: Message, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/quiet on|off: deliver without a notification sound."""
    value = _argument(message).strip().lower()
    if value not in ("on", "off"):
        await message.reply_text("Usage: /quiet on or /quiet off")
        return
    _subs(context).update_chat(message.chat_id, quiet=int(value == "on"))
    await message.reply_text(f"Quiet delivery is {value}.")


@_admins_only
async def digest(message: Message, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/digest HH:MM [only] [Area/City] | off: a daily summary in the chat's time zone."""
    try:
        at, instant, zone = parse_digest(_argument(message))
    except ArgumentError as exc:
        await message.reply_text(esc(str(exc)))
        return
    subs = _subs(context)
    values: dict[str, object] = {"digest_time": at, "instant": int(instant)}
    if zone:
        values["timezone"] = zone
    subs.update_chat(message.chat_id, **values)
    if at is None:
        await message.reply_text("Daily digest off; instant updates on.")
    else:
        mode = "besides instant updates" if instant else "instead of instant updates"
        zone = subs.chat(message.chat_id)["timezone"]
        await message.reply_text(f"Daily digest at {at} ({esc(zone)}), {mode}.")


async def membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bot was removed from (or blocked in) a chat: stop delivering there."""
    change = update.my_chat_member
    if change is None:
        return
    if change.new_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
        _subs(context).deactivate_chat(change.chat.id)
        log.info("Removed from chat %s: subscriptions deactivated", change.chat.id)


async def migration(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: its subscriptions move to the new chat id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        _subs(context).migrate(message.chat_id, message.migrate_to_chat_id)
        log.info("Chat %s migrated to %s", message.chat_id, message.migrate_to_chat_id)
