"""Start and stop the real application against the Bot API fake, as run_polling would."""

from __future__ import annotations

import logging
import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from telegram import Update
from telegram.ext import Application

from bot.telegram import build_application
from store.db import Store

try:
    from tests.botapi_fake import BotApiFake
except ImportError:  # tests/ is not a package, so pytest put tests/ itself on sys.path
    from botapi_fake import BotApiFake  # type: ignore[no-redef]


async def start_bot(store: Store, fake: object, push_interval: float | None = None) -> Application:
    """What Application.run_polling does, step by step, on the test's event loop; no push job
    unless `push_interval` is given."""
    app = build_application(
        store,
        fake.token,  # type: ignore[attr-defined]
        base_url=fake.base_url,  # type: ignore[attr-defined]
        push_interval=push_interval,
    )
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)

    def polling_error(exc: Exception) -> None:  # run_polling hands these to the error handlers
        app.create_task(app.process_error(error=exc, update=None))

    await app.updater.start_polling(
        poll_interval=0, timeout=1, allowed_updates=Update.ALL_TYPES, error_callback=polling_error
    )
    await app.start()
    return app


async def stop_bot(app: Application) -> None:
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()


@asynccontextmanager
async def seeded_bot(
    seeded_db: Path, tmp_path: Path, before_start: Callable[[BotApiFake], None] | None = None
) -> AsyncIterator[tuple[BotApiFake, Store, Application]]:
    """The bot over a copy of the seeded database, talking to a fresh Bot API fake, stopped
    and closed afterwards. `before_start` prepares the fake (a user's language, say)."""
    path = tmp_path / "sitrep.db"
    shutil.copy(seeded_db, path)
    store = Store(path)
    fake = BotApiFake()
    if before_start is not None:
        before_start(fake)
    app = await start_bot(store, fake)
    try:
        yield fake, store, app
    finally:
        await stop_bot(app)
        fake.close()
        store.close()


def assert_clean_logs(caplog: pytest.LogCaptureFixture) -> None:
    """No error record and no traceback in what the bot logged."""
    bad = [
        f"{r.levelname} {r.name}: {r.getMessage()}"
        for r in caplog.records
        if r.levelno >= logging.ERROR or r.exc_info or "Traceback" in r.getMessage()
    ]
    assert bad == [], "error records or tracebacks were logged:\n" + "\n".join(bad)
