"""bot.request: PTB's request contract on aiohttp, against the Bot API fake over loopback."""

from __future__ import annotations

import asyncio
import base64
import logging
import socket
import struct
import zlib

import pytest
from telegram import Bot
from telegram.error import BadRequest, NetworkError, TimedOut

from bot.guards import LoggedRequest
from bot.request import AiohttpRequest, env_proxy

try:
    from tests.botapi_fake import BotApiFake, png_size
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake, png_size  # type: ignore[no-redef]


def tiny_png(width: int = 120, height: int = 80) -> bytes:
    """A white PNG, made by hand (no drawing library needed for an upload test)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xff" * 3 * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def fake():
    with BotApiFake() as fake:
        yield fake


def bot_on(fake, request: AiohttpRequest) -> Bot:
    return Bot(fake.token, base_url=fake.base_url, request=request)


async def test_a_message_with_buttons_reaches_telegram_as_sent(fake):
    async with bot_on(fake, AiohttpRequest(connection_pool_size=2)) as bot:
        message = await bot.send_message(
            42,
            "<b>Kharkiv</b>: shelling &amp; fires",
            parse_mode="HTML",
            reply_markup={"inline_keyboard": [[{"text": "▶", "callback_data": "pg|2|city|K"}]]},
        )
    [sent] = fake.sent(42)
    assert "<b>Kharkiv</b>: shelling &amp; fires" == sent["text"]
    assert "pg|2|city|K" == sent["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert "Kharkiv: shelling & fires" == message.text
    assert ([], []) == (fake.rejections, fake.errors)


async def test_a_photo_goes_as_multipart_with_its_caption(fake):
    png = tiny_png()
    async with bot_on(fake, AiohttpRequest()) as bot:
        message = await bot.send_photo(42, png, caption="Map of <i>Kharkiv</i>", parse_mode="HTML")
    [sent] = [call.payload for call in fake.calls if call.method == "sendPhoto"]
    assert (png, (120, 80)) == (sent["photo"]["data"], png_size(sent["photo"]["data"]))
    assert "Map of <i>Kharkiv</i>" == sent["caption"]
    assert 120 == message.photo[-1].width
    assert ([], []) == (fake.rejections, fake.errors)


async def test_an_answer_slower_than_the_read_timeout_is_timed_out(fake):
    fake.delay("sendMessage", 2.0)
    async with bot_on(fake, AiohttpRequest(read_timeout=0.2)) as bot:
        with pytest.raises(TimedOut):
            await bot.send_message(42, "too slow")


async def test_a_request_that_finds_every_connection_busy_is_never_sent(fake):
    fake.delay("sendMessage", 0.5)
    async with bot_on(fake, AiohttpRequest(connection_pool_size=1)) as bot:
        first = asyncio.create_task(bot.send_message(1, "first"))
        await asyncio.sleep(0)  # the first takes the only connection
        with pytest.raises(TimedOut, match="Pool timeout"):
            await bot.send_message(2, "second", pool_timeout=0.05)
        await first
    assert (1, 0) == (len(fake.sent(1)), len(fake.sent(2)))


async def test_a_server_that_is_not_there_is_a_network_error_not_a_timeout():
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    async with AiohttpRequest(connect_timeout=2.0) as request:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot1:x/getMe")
    assert not isinstance(raised.value, TimedOut)
    assert "aiohttp.ClientConnectorError" in raised.value.message


async def test_a_closed_client_sends_nothing_until_it_is_opened_again(fake):
    request = AiohttpRequest()
    await request.initialize()
    await request.shutdown()
    with pytest.raises(NetworkError, match="not initialized"):
        await request.post(f"{fake.base_url}{fake.token}/getMe")
    await request.initialize()
    try:
        assert "getMe" not in [c.method for c in fake.calls]
        assert (await request.post(f"{fake.base_url}{fake.token}/getMe"))["is_bot"]
    finally:
        await request.shutdown()


async def test_a_refused_request_is_logged_with_its_method_and_never_the_token(fake, caplog):
    fake.inject("sendMessage", 400, "Bad Request: chat not found")
    caplog.set_level(logging.WARNING, logger="sitrep.bot")
    async with bot_on(fake, LoggedRequest()) as bot:
        with pytest.raises(BadRequest):
            await bot.send_message(42, "hello")
    [record] = [r for r in caplog.records if r.name == "sitrep.bot"]
    assert "Telegram refused sendMessage: Chat not found (BadRequest)" == record.getMessage()
    assert fake.token not in caplog.text


@pytest.mark.parametrize(
    "environment, url, expected",
    [
        ({}, "https://api.telegram.org/bot1:x/getMe", (None, None)),
        (
            {"https_proxy": "http://proxy.example:3128"},
            "https://api.telegram.org/bot1:x/getMe",
            ("http://proxy.example:3128", None),
        ),
        (
            {"all_proxy": "http://proxy.example:3128"},
            "http://127.0.0.2:8081/bot1:x/getMe",
            ("http://proxy.example:3128", None),
        ),
        (
            {"https_proxy": "http://proxy.example:3128", "no_proxy": "api.telegram.org"},
            "https://api.telegram.org/bot1:x/getMe",
            (None, None),
        ),
    ],
)
def test_the_proxy_comes_from_the_environment_as_in_httpx(monkeypatch, environment, url, expected):
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    assert expected == env_proxy(url)


def test_a_proxys_credentials_travel_apart_from_its_url(monkeypatch):
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.setenv("https_proxy", "http://ops:s%40fe@proxy.example:3128")
    proxy, headers = env_proxy("https://api.telegram.org/bot1:x/getMe")
    assert "http://proxy.example:3128" == proxy
    assert b"ops:s@fe" == base64.b64decode(headers["Proxy-Authorization"].removeprefix("Basic "))
