"""The bot without Telegram: the same commands and rendering, printed as plain text. The console
is a private chat of its own (LOCAL), so subscriptions can be tried on it too."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from bot.commands import Chat, Commands
from bot.render import Reply, to_plain
from store.db import Store

LOCAL = Chat(id=1, type="private")


def ask(store: Store, message: str, folder: Path | None = None) -> str:
    """The reply the bot would send to this message, as terminal text; a file it would send
    is written to `folder` (the current directory unless given)."""
    commands = Commands(store)
    reply = commands.handle(message, _local(store))
    return _shown(reply, folder or Path.cwd()) if reply else ""


def _local(store: Store) -> Chat:
    """The console's chat, in the language chosen with /lang (English unless)."""
    return replace(LOCAL, lang=store.chat_language(LOCAL.id) or LOCAL.lang)


def _shown(reply: Reply, folder: Path) -> str:
    if reply.document is None:
        return _plain(reply.text, reply.buttons)
    name, data = reply.document
    (folder / name).write_bytes(data)
    return f"{to_plain(reply.text)}: written to {folder / name}"


def _plain(text: str, buttons: list[list[tuple[str, str]]]) -> str:
    out = to_plain(text)
    labels = [label for row in buttons for label, _ in row]
    if labels:
        out += "\n[" + "] [".join(labels) + "]"
    return out


def chat(store: Store) -> None:
    """An interactive console: type commands or questions; ▶/◀ (or > and <) page through the
    last answer, and typing a button's label presses it."""
    commands = Commands(store)
    print("sitrep console — type /help, > or < to page, a [button] to press it, Ctrl-D to leave.")
    buttons: list[list[tuple[str, str]]] = []
    while True:
        try:
            line = input("> ").strip()
        except (EOFError, KeyboardInterrupt):
            print()
            return
        if not line:
            continue
        pressed = {"▶": "▶", ">": "▶", "◀": "◀", "<": "◀"}.get(line, line)
        data = next((d for row in buttons for label, d in row if label == pressed), None)
        if data is not None:  # a button's label, typed: "2 Mar 2022", "Kharkiv?", ">"
            reply = commands.callback(data, _local(store))
        elif pressed != line:
            print("No more pages.")
            continue
        else:
            reply = commands.handle(line, _local(store))
        if reply is not None:
            buttons = reply.buttons
            print(_shown(reply, Path.cwd()))
