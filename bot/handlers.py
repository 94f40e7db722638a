"""Telegram handlers for messages: thin, as PTB's examples are. Each one builds the Chat the
message came from, lets Commands answer the text, and sends the Reply.

The only Telegram question asked here is whether the sender may change a group's subscriptions,
and only for the commands the registry marks `admin`.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from telegram import Bot, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram import BotCommandScopeAllChatAdministrators as AdminScope
from telegram import BotCommandScopeAllGroupChats as GroupScope
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot import groups, registry
from bot.args import ArgumentError, parse_channel
from bot.catalogue import DEFAULT, LANGUAGES, language, t
from bot.commands import Chat, Commands, parse_command
from bot.drawing import Drawer
from bot.guards import LongCallbacks
from bot.render import Reply, esc
from bot.subscription_file import MAX_BYTES

log = logging.getLogger("sitrep.bot")


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
        reply: Reply | None = await _for_channel(update, context, parsed[2], message)
    elif parsed and _imports(parsed[0], parsed[2]) and _to_us(parsed[1], context):
        reply = await _import(update, context, message)
    else:
        chat = await chat_of(update, context, message)
        reply = _commands(context).handle(message.text, chat)
    if reply is not None:
        await send(message, reply, context)


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A file whose caption is `/subscriptions import` (or, in a private chat, `/channel
    @name subscriptions import`): restore the subscriptions it holds. Other files are ignored."""
    message = update.effective_message
    if message is None or message.document is None:
        return
    parsed = parse_command(message.caption or "")
    if parsed is None or not _to_us(parsed[1], context):
        return
    if parsed[0] == "channel" and message.chat.type == "private":
        reply = await _for_channel(update, context, parsed[2], message)
    elif _imports(parsed[0], parsed[2]):
        reply = await _import(update, context, message)
    else:
        return
    await send(message, reply, context)


def _imports(command: str, argument: str) -> bool:
    return command == "subscriptions" and argument.strip().lower() == "import"


def _to_us(addressee: str, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """ "/subscriptions import" or "/subscriptions@OurBot import", not another bot's."""
    return not addressee or addressee.lower() == (context.bot.username or "").lower()


async def _import(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    message: Message,
    chat: Chat | None = None,
) -> Reply:
    """/subscriptions import with the file attached, or in reply to it."""
    if chat is None:
        chat = await chat_of(update, context, message)
        if message.chat.type in ("group", "supergroup"):
            # Not an admin command in the registry (anyone may list), but an import changes.
            chat = replace(chat, admin=await groups.may_change(update, context))
    document = message.document or (
        message.reply_to_message.document if message.reply_to_message else None
    )
    commands = _commands(context)
    if document is None:
        return commands.cmd_subscriptions("import", 0, chat)
    if (document.file_size or 0) > MAX_BYTES:  # not worth fetching
        reason = t("subfile.toobig", chat.lang, kb=MAX_BYTES // 1024)
        return Reply(t("sub.import.bad", chat.lang, reason=reason))
    try:
        data = bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError as exc:
        log.warning("Could not fetch an imported file: %s", exc)
        return Reply(t("sub.import.download", chat.lang))
    return commands.import_subscriptions(data, chat)


async def send(message: Message, reply: Reply, context: ContextTypes.DEFAULT_TYPE) -> None:
    if reply.picture is not None:
        png = await draw(reply, context)
        if png is None:
            await message.reply_text(t("picture.slow", reply.picture.lang))
        else:
            await message.reply_photo(
                png,
                caption=reply.text,
                filename=reply.picture.name,
                reply_markup=markup(reply, context),
            )
    elif reply.document is not None:
        name, data = reply.document
        await message.reply_document(data, filename=name, caption=reply.text or None)
    else:
        await message.reply_text(reply.text, reply_markup=markup(reply, context))


async def draw(reply: Reply, context: ContextTypes.DEFAULT_TYPE) -> bytes | None:
    """A /map or /chart's PNG, drawn off the event loop (bot/drawing.py); None past the time
    budget."""
    assert reply.picture is not None
    drawer: Drawer = context.application.bot_data["drawer"]
    return await drawer.draw(reply.picture)


async def _for_channel(
    update: Update, context: ContextTypes.DEFAULT_TYPE, argument: str, message: Message
) -> Reply:
    """/channel @name subscribe Kharkiv: a channel's subscriptions, managed from a private chat
    by one of the channel's administrators (its export arrives here, its import is sent here)."""
    try:
        ref, command = parse_channel(argument)
    except ArgumentError as exc:
        return Reply(esc(str(exc)))
    user = update.effective_user
    target = await groups.channel_for(context.bot, user.id if user else 0, ref)
    if isinstance(target, str):
        return Reply(esc(target))
    chat = Chat(target, "channel", bot=context.bot.username, lang=language_of(update, context))
    parsed = parse_command(command)
    if parsed and _imports(parsed[0], parsed[2]):
        reply: Reply | None = await _import(update, context, message, chat)
    else:
        reply = _commands(context).handle(command, chat)
    text = f"<b>{esc(ref)}</b>: {reply.text if reply else ''}"
    return Reply(text, document=reply.document if reply else None)


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
