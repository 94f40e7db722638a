"""Group chats: who may change a group's subscriptions (its administrators), the greeting when
the bot is added, and the chat-membership updates that keep the subscription list true (removed
bot, migrated group). The subscription commands themselves are bot/subscribing.py's."""

from __future__ import annotations

import logging

from telegram import Bot, ChatMember, Message, Update
from telegram.error import BadRequest, Forbidden
from telegram.ext import ContextTypes

from bot.catalogue import language, t
from store.subscriptions import Subscriptions

log = logging.getLogger("sitrep.groups")
_ADMINS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def _subs(context: ContextTypes.DEFAULT_TYPE) -> Subscriptions:
    return Subscriptions(context.application.bot_data["commands"].store)


def thread(message: Message) -> int:
    """The forum topic a command was sent in: its subscriptions deliver there."""
    return (
        message.message_thread_id if message.is_topic_message and message.message_thread_id else 0
    )


async def may_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
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


async def membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Added to a group: say hello with the two first steps. Removed from (or blocked in) a
    chat: stop delivering there."""
    change = update.my_chat_member
    if change is None:
        return
    if change.new_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
        _subs(context).deactivate_chat(change.chat.id)
        log.info("Removed from chat %s: subscriptions deactivated", change.chat.id)
        return
    joined = change.old_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED)
    if joined and change.chat.type in ("group", "supergroup"):
        lang = language(change.from_user.language_code if change.from_user else None)
        await context.bot.send_message(
            change.chat.id, t("greeting", lang, bot=context.bot.username or "")
        )


async def migration(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup: its subscriptions move to the new chat id."""
    message = update.effective_message
    if message is not None and message.migrate_to_chat_id:
        _subs(context).migrate(message.chat_id, message.migrate_to_chat_id)
        log.info("Chat %s migrated to %s", message.chat_id, message.migrate_to_chat_id)


async def channel_for(bot: Bot, user_id: int, ref: str | int) -> int | str:
    """The id of the channel `ref` when `user_id` administers it and the bot may post there, as
    the channel's own list of administrators says; otherwise why not, to tell the user."""
    try:
        chat = await bot.get_chat(ref)
    except (BadRequest, Forbidden):
        return f"I can't find the channel {ref}. Add me to it as an administrator first."
    if chat.type != "channel":
        return f"{ref} is not a channel; in a group, send the command there."
    try:
        admins = {a.user.id for a in await bot.get_chat_administrators(chat.id)}
    except (BadRequest, Forbidden):
        return f"Add me to {ref} as an administrator first, so I can post there."
    if bot.id not in admins:
        return f"Add me to {ref} as an administrator first, so I can post there."
    if user_id not in admins:
        return f"Only the administrators of {ref} can manage its subscriptions."
    return chat.id
