"""Telegram handlers for messages: thin, as PTB's examples are. Each one builds the Chat the
message came from, lets Commands answer the text, and sends the Reply.

The only Telegram question asked here is whether the sender may change a group's subscriptions,
and only for the commands the registry marks `admin`.
"""

from __future__ import annotations

from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram import BotCommandScopeAllChatAdministrators as AdminScope
from telegram import BotCommandScopeAllGroupChats as GroupScope
from telegram.ext import ContextTypes

from bot import groups, registry
from bot.args import ArgumentError, parse_channel
from bot.catalogue import DEFAULT, LANGUAGES, language, t
from bot.commands import Chat, Commands, parse_command
from bot.guards import LongCallbacks
from bot.render import Reply, esc


def markup(reply: Reply, context: ContextTypes.DEFAULT_TYPE) -> InlineKeyboardMarkup | None:
    """The reply's buttons; data over Telegram's 64 bytes goes as a short key (bot.guards)."""
    if not reply.buttons:
        return None
    callbacks: LongCallbacks = context.application.bot_data["callbacks"]
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(label, callback_data=callbacks.shorten(data))
                for label, data in row
            ]
            for row in reply.buttons
        ]
    )


def _commands(context: ContextTypes.DEFAULT_TYPE) -> Commands:
    return context.application.bot_data["commands"]


def _needs_admin(message: Message) -> bool:
    parsed = parse_command(message.text or "")
    spec = registry.command(parsed[0]) if parsed else None
    return bool(spec and spec.admin and message.chat.type in ("group", "supergroup"))


async def chat_of(update: Update, context: ContextTypes.DEFAULT_TYPE, message: Message) -> Chat:
    admin = True
    if _needs_admin(message):
        admin = await groups.may_change(update, context)
    return Chat(
        message.chat_id,
        message.chat.type,
        groups.thread(message),
        admin,
        context.bot.username or "",
        language_of(update, context),
    )


def language_of(update: Update, context: ContextTypes.DEFAULT_TYPE) -> str:
    """The chat's /lang choice, else the language of the user's Telegram."""
    chat = update.effective_chat
    chosen = _commands(context).store.chat_language(chat.id) if chat else None
    user = update.effective_user
    return chosen or language(user.language_code if user else None)


def button_chat(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Chat:
    """The chat a pressed button belongs to (buttons never change subscriptions)."""
    chat = update.effective_chat
    return Chat(
        chat.id if chat else 0, chat.type if chat else "private", lang=language_of(update, context)
    )


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Any text: a command, a deep link, or in a private chat a plain question."""
    message = update.effective_message
    if message is None or not message.text:
        return
    if message.chat.type != "private" and not message.text.startswith("/"):
        return  # chatter in a group or channel: not for us, and no need to look anything up
    parsed = parse_command(message.text)
    if parsed and parsed[0] == "channel" and message.chat.type == "private":
        reply: Reply | None = await _for_channel(update, context, parsed[2])
    else:
        chat = await chat_of(update, context, message)
        reply = _commands(context).handle(message.text, chat)
    if reply is not None:
        await send(message, reply, context)


async def send(message: Message, reply: Reply, context: ContextTypes.DEFAULT_TYPE) -> None:
    if reply.document is not None:
        name, data = reply.document
        await message.reply_document(data, filename=name, caption=reply.text or None)
    else:
        await message.reply_text(reply.text, reply_markup=markup(reply, context))


async def _for_channel(update: Update, context: ContextTypes.DEFAULT_TYPE, argument: str) -> Reply:
    """/channel @name subscribe Kharkiv: a channel's subscriptions, managed from a private chat
    by one of the channel's administrators."""
    try:
        ref, command = parse_channel(argument)
    except ArgumentError as exc:
        return Reply(esc(str(exc)))
    user = update.effective_user
    target = await groups.channel_for(context.bot, user.id if user else 0, ref)
    if isinstance(target, str):
        return Reply(esc(target))
    chat = Chat(target, "channel", bot=context.bot.username, lang=language_of(update, context))
    reply = _commands(context).handle(command, chat)
    return Reply(f"<b>{esc(ref)}</b>: {reply.text if reply else ''}")


async def publish_menu(bot: Bot) -> None:
    """The command menu from the registry: private chats, group members, group admins; each in
    English (the default) and Ukrainian."""
    scopes = (
        (None, registry.menu("private")),
        (GroupScope(), registry.menu("group", admin=False)),
        (AdminScope(), registry.menu("group", admin=True)),
    )
    for scope, commands in scopes:
        for lang in LANGUAGES:
            await bot.set_my_commands(
                [BotCommand(c.name, t(f"cmd.{c.name}", lang)[:256]) for c in commands],
                scope=scope,
                language_code=None if lang == DEFAULT else lang,
            )
