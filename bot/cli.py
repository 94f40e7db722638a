"""The `sitrep` command: index articles, ask the bot, chat with it, run it, export, evaluate,
draw a map or a chart."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from store.db import Store, default_path
from store.indexer import IndexReport, index_articles
from store.ingest import iter_articles

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def _seeds_folder() -> Path:
    """seeds/ of the checkout; a copy installed elsewhere falls back to ./seeds."""
    return SEEDS if SEEDS.is_dir() else Path("seeds")


def open_store(path: str, seed: bool = True) -> Store:
    """The database at path, indexed from seeds/ when it is missing or empty."""
    store = Store(path)
    if seed and store.is_empty():
        report = index_articles(store, iter_articles([_seeds_folder()]))
        store.optimize()
        print(f"First use: indexed seeds/ into {path}. {report.summary()}", file=sys.stderr)
    return store


def _print_report(report: IndexReport) -> None:
    print(report.summary())
    for problem in report.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)


def cmd_index(args: argparse.Namespace) -> int:
    store = Store(args.db)
    paths = [Path(p) for p in args.paths] or [_seeds_folder()]
    report = IndexReport()
    try:
        index_articles(store, iter_articles(paths), report)
    except KeyboardInterrupt:  # each article is written whole or not at all
        _print_report(report)
        print(
            "interrupted: the articles counted above are indexed; run again for the rest",
            file=sys.stderr,
        )
        return 130
    store.optimize()  # the planner's statistics follow what the file now holds
    _print_report(report)
    return 0 if report.new + report.changed + report.unchanged > 0 or not report.failed else 1


def cmd_ask(args: argparse.Namespace) -> int:
    from bot.console import ask

    print(ask(open_store(args.db), " ".join(args.message)))
    return 0


def cmd_chat(args: argparse.Namespace) -> int:
    from bot.console import chat

    chat(open_store(args.db))
    return 0


def cmd_picture(args: argparse.Namespace) -> int:
    """`sitrep map Kharkiv March 2022 -o kharkiv.png`: the picture /map or /chart sends."""
    from bot.console import picture

    written, text = picture(
        open_store(args.db), f"/{args.command} {' '.join(args.query)}", args.output
    )
    print(text, file=sys.stdout if written else sys.stderr)
    return 0 if written else 1


def cmd_run(args: argparse.Namespace) -> int:
    token = args.token or os.environ.get("TELEGRAM_BOT_TOKEN", "")
    if not token:
        print(
            "sitrep run needs a bot token: set TELEGRAM_BOT_TOKEN or pass --token."
            " To try the bot without Telegram, run: sitrep chat",
            file=sys.stderr,
        )
        return 2
    from bot.telegram import StartupError, run_bot

    secret = args.secret_token or os.environ.get("SITREP_WEBHOOK_SECRET") or None
    if args.webhook_url and not secret and not args.insecure_webhook:
        print(
            "sitrep run: a webhook needs --secret-token (or $SITREP_WEBHOOK_SECRET); without one"
            " anyone who finds the URL can post forged updates. --insecure-webhook runs it anyway.",
            file=sys.stderr,
        )
        return 2
    try:
        run_bot(
            open_store(args.db),
            token=token,
            base_url=args.bot_api_url or os.environ.get("SITREP_BOT_API_URL") or None,
            webhook_url=args.webhook_url,
            listen=args.listen,
            port=args.port,
            secret_token=secret,
            poll_interval=args.push_interval,
            insecure_webhook=args.insecure_webhook,
            max_send_rate=args.max_send_rate,
        )
    except StartupError as exc:
        print(f"sitrep run: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from store.export import export_events

    try:
        count = export_events(open_store(args.db), sys.stdout, args.format, args.since)
    except ValueError as exc:
        print(f"sitrep export: {exc}", file=sys.stderr)
        return 2
    print(f"exported {count} events", file=sys.stderr)
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    if args.acled:
        return _eval_acled(args)
    if not args.gold:
        print("sitrep eval needs a gold JSONL file or --acled FILE.csv", file=sys.stderr)
        return 2
    from store.evaluate import evaluate_file, format_scores

    store = Store(args.db)  # only its gazetteer: compiled once, then reused
    scores = evaluate_file(Path(args.gold), store.gazetteer())
    print(format_scores(scores, show_mistakes=args.mistakes))
    return 0


def _eval_acled(args: argparse.Namespace) -> int:
    """Index one article per ACLED row into a fresh temporary database and score the export."""
    import tempfile

    from store.acled import AcledFormatError, read_acled, run_rows
    from store.acled_report import format_run, write_misses
    from store.evaluate_acled import judge_run, score_verdicts

    try:
        rows = read_acled(args.acled, args.limit)
    except (OSError, AcledFormatError) as exc:
        print(f"sitrep eval: {exc}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="sitrep-acled-") as folder:
        store = Store(Path(folder) / "acled.db")
        try:
            run = run_rows(store, rows)
            gazetteer = store.gazetteer()
        finally:
            store.close()
    verdicts = judge_run(run, lambda name: getattr(gazetteer.lookup(name), "name", None))
    print(format_run(run, score_verdicts(verdicts)))
    if args.misses:
        with Path(args.misses).open("w", encoding="utf-8") as stream:
            count = write_misses(stream, run, verdicts)
        print(f"wrote {count} rows to {args.misses}", file=sys.stderr)
    return 0


def cmd_watch(args: argparse.Namespace) -> int:
    from store.fetch import AddressPolicy, FetchLimits
    from store.watch import Watcher

    if not (args.folder or args.feed or args.page):
        print("sitrep watch needs at least one --folder, --feed or --page.", file=sys.stderr)
        return 2
    cap = int(args.max_mb * 2**20)
    watcher = Watcher(
        open_store(args.db),
        [Path(p) for p in args.folder],
        args.feed,
        args.page,
        limits=FetchLimits(total=args.source_timeout, max_bytes=cap, max_decoded=cap),
        policy=AddressPolicy(
            allow_private=args.allow_private,
            allowed_hosts=frozenset(h.lower() for h in args.allow_host),
        ),
    )

    def show(report: object) -> None:
        print(report.summary(), flush=True)  # type: ignore[attr-defined]
        for source, reason in report.sources_failed.items():  # type: ignore[attr-defined]
            print(f"failed: {source}: {reason} (will retry)", file=sys.stderr)

    try:
        if args.once:
            show(watcher.poll_once())
        else:
            watcher.run(args.interval, on_report=show)
    except KeyboardInterrupt:
        if watcher.current is not None:  # the pass under way, as far as it got
            show(watcher.current)
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        watcher.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sitrep", description=__doc__)
    parser.add_argument(
        "--db",
        default=default_path(),
        help="SQLite file (default: $SITREP_DB or ./sitrep.db)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log more")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index article files or folders (default: seeds/)")
    p.add_argument("paths", nargs="*")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("ask", help='print the reply to one message, e.g. "/city Kharkiv"')
    p.add_argument("message", nargs="+")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", help="an interactive console over the same commands")
    p.set_defaults(func=cmd_chat)

    for name, what in (("map", "a map of the events"), ("chart", "events per day as a chart")):
        p = sub.add_parser(name, help=f"draw {what} as a PNG, e.g. {name} Kharkiv March 2022")
        p.add_argument("query", nargs="*", help="place or oblast, date or range, kind")
        p.add_argument("-o", "--output", type=Path, help="PNG file (default: a name in .)")
        p.set_defaults(func=cmd_picture)

    p = sub.add_parser("run", help="run the Telegram bot (long polling, or a webhook)")
    p.add_argument("--token", help="bot token (default: $TELEGRAM_BOT_TOKEN)")
    p.add_argument("--bot-api-url", help="Bot API base URL (default: $SITREP_BOT_API_URL)")
    p.add_argument("--webhook-url", help="public URL: use a webhook instead of polling")
    p.add_argument("--listen", default="127.0.0.1", help="webhook listen address")
    p.add_argument("--port", type=int, default=8443, help="webhook port")
    p.add_argument("--secret-token", help="webhook secret (default: $SITREP_WEBHOOK_SECRET)")
    p.add_argument(
        "--insecure-webhook",
        action="store_true",
        help="run a webhook without a secret token (anyone may post updates to it)",
    )
    p.add_argument(
        "--push-interval",
        type=float,
        default=30.0,
        help="seconds between pushes at the latest; an indexer's commit pushes within a second",
    )
    p.add_argument(
        "--max-send-rate",
        type=float,
        default=29.5,
        help="messages a second at most, all chats together (default 29.5, Telegram's limit)",
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("watch", help="keep indexing folders, RSS/Atom feeds and article pages")
    p.add_argument("--folder", action="append", default=[], help="a folder of .txt articles")
    p.add_argument("--feed", action="append", default=[], help="an RSS or Atom feed URL")
    p.add_argument("--page", action="append", default=[], help="an article page URL")
    p.add_argument("--interval", type=float, default=300.0, help="seconds between passes")
    p.add_argument("--once", action="store_true", help="one pass, then exit")
    p.add_argument(
        "--source-timeout",
        type=float,
        default=60.0,
        help="seconds one source (a feed and its pages) may take per pass (default 60)",
    )
    p.add_argument(
        "--max-mb",
        type=float,
        default=20.0,
        help="largest answer read, received and once decompressed, in MB (default 20)",
    )
    p.add_argument(
        "--allow-host",
        action="append",
        default=[],
        help="fetch this host even though it has a private or loopback address (repeatable)",
    )
    p.add_argument(
        "--allow-private",
        action="store_true",
        help="fetch any address, private and loopback included (default: public ones only)",
    )
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("export", help="write every event with its sources")
    p.add_argument("--format", choices=["jsonl", "csv", "geojson"], default="jsonl")
    p.add_argument("--since", help="only events on or after YYYY-MM-DD")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("eval", help="score the extractor against a gold file or an ACLED export")
    p.add_argument("gold", nargs="?", help="a gold JSONL file")
    p.add_argument("--mistakes", action="store_true", help="list every mistake, item by item")
    p.add_argument("--acled", help="an ACLED CSV export: index each row's note and score it")
    p.add_argument("--misses", help="with --acled: write every row's verdicts as JSON lines")
    p.add_argument("--limit", type=int, help="with --acled: only the first N rows")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # httpx logs every request URL, and a Bot API URL contains the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        return args.func(args)
    except KeyboardInterrupt:  # Ctrl-C anywhere else (the gazetteer's first compile, say)
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
