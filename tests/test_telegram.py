"""The bot over real HTTP against the Bot API fake."""

from __future__ import annotations

import logging

import pytest
from telegram import Update

from bot.telegram import build_application
from tests.botapi_fake import BotApiFake


@pytest.fixture
async def bot(seeded_store, caplog):
    caplog.set_level(logging.INFO)
    fake = BotApiFake()
    app = build_application(seeded_store, fake.token, base_url=fake.base_url, push_interval=None)
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES)
    try:
        yield fake, app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()
        fake.close()


async def test_start(bot):
    fake, app = bot
    uid = fake.user_message("/start")
    reply = await fake.wait_for_reply_async(uid)
    print(reply)
    uid = fake.user_message("/city Kharkiv")
    m = await fake.wait_for_message_async(1001)
    print(m)
    print(fake.calls[:5])
