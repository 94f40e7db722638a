"""python-telegram-bot wiring: thin handlers over bot.commands, one error handler, polling or
webhook.

Services are built in `post_init` and kept in `application.bot_data` (as PTB's examples do);
handlers parse nothing themselves: they pass the message text to Commands and send the Reply.
"""

from __future__ import annotations

import gc
import logging
from typing import Any

from telegram import (
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot import groups, handlers
from bot.catalogue import t
from bot.commands import Commands
from bot.drawing import Drawer
from bot.guards import EXPIRED, LoggedRequest, LongCallbacks, SafeLogs, StartupError
from bot.push import WATCH_INTERVAL, PushSchedule, digest_job, push_job
from bot.render import Reply, clip, inline_title, render_event
from store.db import Store

log = logging.getLogger("sitrep.bot")
# Connections to the Bot API. Sends wait in the rate limiter (29.5/s), not for a connection, so
# a few suffice even at a 100 ms round trip. (With PTB's httpx client, whose pool walks every
# connection on each request, its default of 256 cost ~0.5 ms of CPU per reply once dozens were
# open: bench/bot_bench.py.)
CONNECTION_POOL_SIZE = 8


def _commands(context: ContextTypes.DEFAULT_TYPE) -> Commands:
    return context.application.bot_data["commands"]


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """◀ ▶ and suggestion buttons edit the message they belong to."""
    query = update.callback_query
    if query is None:
        return
    # Checked before any work: a forged button may carry anything, of any length.
    data = context.application.bot_data["callbacks"].resolve(query.data or "")
    chat = handlers.button_chat(update, context)
    reply = Reply(EXPIRED) if data is None else _commands(context).callback(data, chat)
    await query.answer()
    if query.message is None:
        return
    if reply.picture is not None:  # "Map", "Chart": a new message, the list stays
        png = await handlers.draw(reply, context)
        if png is None:
            await context.bot.send_message(query.message.chat.id, t("picture.slow", chat.lang))
            return
        await context.bot.send_photo(
            query.message.chat.id,
            png,
            caption=reply.text,
            filename=reply.picture.name,
            reply_markup=handlers.markup(reply, context),
        )
        return
    if reply.document is not None:  # "Export as a file": a new message, the list stays
        name, content = reply.document
        await context.bot.send_document(
            query.message.chat.id, content, filename=name, caption=reply.text or None
        )
        return
    try:
        await query.edit_message_text(reply.text, reply_markup=handlers.markup(reply, context))
    except BadRequest as exc:
        # Pressing the same page twice edits to identical text; Telegram refuses, nothing to do.
        if "not modified" not in str(exc).lower():
            raise


async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """`@BotName Kharkiv` (or a day, or words) in any chat: events as results, titled and
    rendered in the user's language."""
    query = update.inline_query
    if query is None:
        return
    commands = _commands(context)
    lang = handlers.language_of(update, context)
    events = commands.inline_events(query.query, lang)
    sources = commands.store.sources([e["key"] for e in events])
    results = [
        InlineQueryResultArticle(
            id=str(e["id"]),
            title=inline_title(e, lang),
            description=clip(e["summary"], 150),
            input_message_content=InputTextMessageContent(
                render_event(e, sources.get(e["key"], []), lang=lang), parse_mode=ParseMode.HTML
            ),
        )
        for e in events
    ]
    await query.answer(results, cache_time=30)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One place for errors: Telegram's refusals are logged in a line, never as a traceback."""
    error = context.error
    if isinstance(error, Forbidden):
        log.warning("Telegram refused (bot blocked or removed): %s", error)
        return
    if isinstance(error, BadRequest):  # a NetworkError to PTB, but Telegram did answer
        log.warning("Telegram refused a reply: %s", error.message)
        return
    if isinstance(error, (RetryAfter, TimedOut, NetworkError)):
        log.warning("Telegram is busy or unreachable: %s", error)
        return
    log.error("Error while handling an update: %r", error, exc_info=error)
    message = update.effective_message if isinstance(update, Update) else None
    if message is not None:
        try:
            await message.reply_text("Sorry, something went wrong with that request.")
        except Exception as exc:  # the error handler itself must never raise
            log.warning("Could not tell the user about the error: %r", exc)


async def post_init(application: Application) -> None:
    """Publish the command menu once the bot knows who it is."""
    await handlers.publish_menu(application.bot)
    # What is loaded by now (the gazetteer, PTB, the database layer) lives as long as the process:
    # take it out of the cyclic collector's full passes, which otherwise walk it all and stall
    # every answer in flight for ~50 ms once every thousand or so updates.
    gc.freeze()
    log.info("Bot @%s ready", application.bot.username)


async def post_shutdown(application: Application) -> None:
    """Stop the worker that draws pictures, if one was started, and close the HTTP sessions."""
    application.bot_data["drawer"].close()
    # PTB shuts the Bot's requests down only after a start that succeeded; after a refused
    # token their sessions would be left open (aiohttp then complains on stderr at exit).
    for request in application.bot_data["requests"]:
        await request.shutdown()


def build_application(
    store: Store,
    token: str,
    base_url: str | None = None,
    max_retries: int = 3,
    push_interval: float | None = 30.0,
    max_send_rate: float = 29.5,
) -> Application:
    """The application with every handler; `base_url` points at a self-hosted Bot API server."""
    # The replies' and pushes' client, and getUpdates' (one long poll at a time, as PTB's own).
    requests = (
        LoggedRequest(connection_pool_size=CONNECTION_POOL_SIZE),
        LoggedRequest(connection_pool_size=1),
    )
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token(token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .rate_limiter(
            # Spaced sends, not bursts: PTB's default bucket lets 30 messages out at once and
            # Telegram's per-second window then answers 429; 29.5/s, one at a time, does not
            # (a self-hosted Bot API server, or a test's fake, may take more).
            # Per group PTB's 20-a-minute bucket stays, so a busy group's answers are not held
            # back three seconds each.
            AIORateLimiter(
                overall_max_rate=1,
                overall_time_period=1 / max_send_rate,
                max_retries=max_retries,
            )
        )
        # Commands only read the database; answering several at once hides Telegram's latency.
        .concurrent_updates(64)
        .request(requests[0])
        .get_updates_request(requests[1])
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if base_url:
        builder = builder.base_url(base_url).base_file_url(base_url.replace("/bot", "/file/bot"))
    application = builder.build()
    application.bot_data["requests"] = requests
    application.bot_data["commands"] = Commands(store)
    application.bot_data["callbacks"] = LongCallbacks()
    application.bot_data["drawer"] = Drawer()
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, groups.migration))
    application.add_handler(ChatMemberHandler(groups.membership, ChatMemberHandler.MY_CHAT_MEMBER))
    application.add_handler(
        MessageHandler(filters.TEXT & ~filters.UpdateType.EDITED, handlers.on_message)
    )
    application.add_handler(
        MessageHandler(filters.Document.ALL & filters.CAPTION, handlers.on_document)
    )
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(InlineQueryHandler(on_inline))
    application.add_error_handler(on_error)
    if push_interval and application.job_queue is not None:
        # Each second a look at the file, a push when an indexer committed (or push_interval
        # passed); a look while a long fan-out runs returns at once, hence two instances.
        application.bot_data["push_schedule"] = PushSchedule(store, push_interval)
        application.job_queue.run_repeating(
            push_job, interval=WATCH_INTERVAL, first=WATCH_INTERVAL, job_kwargs={"max_instances": 2}
        )
        application.job_queue.run_repeating(digest_job, interval=60, first=60)
    return application


def run_bot(
    store: Store,
    token: str,
    base_url: str | None = None,
    webhook_url: str | None = None,
    listen: str = "127.0.0.1",
    port: int = 8443,
    secret_token: str | None = None,
    poll_interval: float = 30.0,
    insecure_webhook: bool = False,
    max_send_rate: float = 29.5,
) -> None:
    """Run until interrupted: long polling by default, a webhook when a URL is given.

    Raises StartupError when Telegram refuses the token or cannot be reached at start, and when
    a webhook would run without a secret token (anyone could post forged updates to it)."""
    if webhook_url and not secret_token and not insecure_webhook:
        raise StartupError(
            "a webhook needs --secret-token (or $SITREP_WEBHOOK_SECRET): without one anyone who"
            " finds the URL can post forged updates; --insecure-webhook runs it anyway"
        )
    redact = SafeLogs(token)
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)
    application = build_application(
        store, token, base_url, push_interval=poll_interval, max_send_rate=max_send_rate
    )
    log.info("Starting (%s)", "webhook" if webhook_url else "long polling")
    try:
        if webhook_url:
            application.run_webhook(
                listen=listen,
                port=port,
                url_path="sitrep",
                webhook_url=webhook_url,
                secret_token=secret_token,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        raise StartupError(
            "Telegram refused the bot token (401 or 404): check --token or $TELEGRAM_BOT_TOKEN,"
            " and --bot-api-url if you set one"
        ) from None
    except TelegramError as exc:
        raise StartupError(f"Telegram could not be reached: {redact.redact(str(exc))}") from None
