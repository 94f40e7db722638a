"""What stands between the bot and hostile or broken input on the Telegram side: button data
bounded and checked, refused requests logged without the token, the token out of every log line.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections import OrderedDict
from typing import Any

from telegram.error import TelegramError, TimedOut

from bot.request import AiohttpRequest

log = logging.getLogger("sitrep.bot")

MAX_CALLBACK_BYTES = 64  # Telegram refuses the whole message over a longer button
EXPIRED = "That button has expired. Please send the command again."
# What our buttons carry: a page of a command, or the key of a longer one kept in memory.
_CALLBACK = re.compile(r"pg\|\d{1,5}(?:\.\d{1,2})?\|[a-z_]{1,32}\|.*|k\|[0-9a-f]{16}", re.S)


class LongCallbacks:
    """Button data over Telegram's 64 bytes (a long place name and a range), sent as a short
    key and kept here, the newest `size` of them; a key from before a restart has expired."""

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._data: OrderedDict[str, str] = OrderedDict()

    def shorten(self, data: str) -> str:
        if len(data.encode()) <= MAX_CALLBACK_BYTES:
            return data
        key = "k|" + hashlib.sha256(data.encode()).hexdigest()[:16]
        self._data[key] = data
        self._data.move_to_end(key)
        while len(self._data) > self.size:
            self._data.popitem(last=False)
        return key

    def resolve(self, data: str) -> str | None:
        """The data a button stands for, or None when it is not one of ours (or expired)."""
        if len(data.encode()) > MAX_CALLBACK_BYTES or not _CALLBACK.fullmatch(data):
            return None
        return self._data.get(data) if data.startswith("k|") else data


class LoggedRequest(AiohttpRequest):
    """The bot's HTTP client, logging every request Telegram refuses with its method and
    Telegram's description (never the URL: it holds the token)."""

    async def post(self, url: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().post(url, *args, **kwargs)
        except TimedOut:
            raise  # no answer at all: the caller retries or reports it
        except TelegramError as exc:
            method = url.rsplit("/", 1)[-1]
            log.warning("Telegram refused %s: %s (%s)", method, exc.message, type(exc).__name__)
            raise


class StartupError(Exception):
    """The bot could not start; the message says why and never contains the token."""


class SafeLogs(logging.Filter):
    """A handler filter: <token> wherever a record (or its traceback) has the token, and
    Telegram's own errors (PTB logs some with a traceback) in one line."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def redact(self, text: str) -> str:
        return text.replace(self.token, "<token>") if self.token else text

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, TelegramError):
            record.msg = f"{record.getMessage()} ({type(error).__name__}: {error})"
            record.args, record.exc_info, record.exc_text = None, None, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        message = record.getMessage()
        if self.token and (self.token in message or self.token in (record.exc_text or "")):
            record.msg, record.args = self.redact(message), None
            record.exc_text = self.redact(record.exc_text or "") or None
        return True
