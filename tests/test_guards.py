"""bot.guards: button data within Telegram's 64 bytes, the token out of every log line."""

from __future__ import annotations

import io
import logging

import pytest
from telegram.error import InvalidToken

from bot.guards import MAX_CALLBACK_BYTES, LongCallbacks, SafeLogs

TOKEN = "123456:AAsecretSECRETsecret"


def test_short_button_data_passes_as_it_is():
    assert "pg|1|city|Kharkiv" == LongCallbacks().shorten("pg|1|city|Kharkiv")


def test_long_button_data_travels_as_a_key_that_resolves_back():
    callbacks = LongCallbacks()
    data = "pg|1|city|Pivdennyi Hirnycho-Zbahachuvalnyi Kombinat 2022-03-01..2022-03-03"
    key = callbacks.shorten(data)
    assert len(key.encode()) <= MAX_CALLBACK_BYTES < len(data.encode())
    assert data == callbacks.resolve(key)


def test_only_the_newest_long_buttons_are_kept():
    callbacks = LongCallbacks(size=2)
    keys = [callbacks.shorten(f"pg|{n}|city|" + "x" * 80) for n in range(3)]
    assert [None, True, True] == [callbacks.resolve(k) and True for k in keys]


@pytest.mark.parametrize(
    "data", ["x" * 65, "pg|1|city|" + "K" * 60, "k|zzzz", "pg|-1|city|K", "drop table", ""]
)
def test_data_that_is_not_ours_resolves_to_nothing(data):
    assert LongCallbacks().resolve(data) is None


def logged(record_args: tuple, exc: BaseException | None = None) -> str:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(SafeLogs(TOKEN))
    logger = logging.getLogger("test_guards")
    logger.addHandler(handler)
    try:
        if exc is None:
            logger.warning(*record_args)
        else:
            try:
                raise exc
            except BaseException:
                logger.exception(*record_args)
    finally:
        logger.removeHandler(handler)
    return stream.getvalue()


def test_the_token_is_redacted_from_messages_and_tracebacks():
    text = logged(("GET https://api.telegram.org/bot%s/getMe", TOKEN))
    assert TOKEN not in text and "bot<token>/getMe" in text
    text = logged(("failed",), RuntimeError(f"url /bot{TOKEN}/x"))
    assert TOKEN not in text and "Traceback" in text


def test_telegrams_own_errors_are_one_line():
    text = logged(("Invalid token. Aborting",), InvalidToken(f"The token `{TOKEN}` was rejected"))
    assert [] == [line for line in text.splitlines() if "Traceback" in line]
    assert TOKEN not in text and "InvalidToken" in text and 1 == len(text.splitlines())
