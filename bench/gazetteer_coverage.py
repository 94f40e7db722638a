"""How well the shipped settlements cover a coder's place names, and how much fold merges.

    python bench/gazetteer_coverage.py ../shared/data/acled_dev_ukraine_2022.csv [--misses]

For each distinct (location, admin1) of an ACLED-format CSV: is there a settlement (or a
landmark) of that folded name in that oblast? Prints percentages only (ACLED's terms allow
internal measurement, not copying its rows); --misses lists the names not found, to read.
"""

from __future__ import annotations

import argparse
import csv
import time
from collections import Counter, defaultdict

from store.gazetteer.folding import fold
from store.gazetteer.settlements import read_landmarks, read_settlements

# ACLED's admin1 spellings that do not fold to ours.
ACLED_ADMIN1 = {"Crimea": "11", "Kyiv City": "12", "Kyiv": "13", "Kirovograd": "10"}


def admin1_codes() -> dict[str, str]:
    from store.gazetteer.compile import read_oblasts

    codes = {
        fold(row["name"].removesuffix(" Oblast")): row["geonames_admin1"] for row in read_oblasts()
    }
    codes.update({fold(name): code for name, code in ACLED_ADMIN1.items()})
    return codes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("acled_csv")
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()

    start = time.perf_counter()
    settlements = read_settlements()
    print(f"load: {len(settlements)} rows in {time.perf_counter() - start:.3f} s")
    print("kinds:", dict(Counter(s.kind for s in settlements)))
    print(
        "coord_source:",
        dict(Counter(s.coord_source for s in settlements if s.kind not in ("raion", "hromada"))),
    )

    places = [s for s in settlements if s.kind not in ("raion", "hromada")]
    by_code = {s.katottg: s for s in places}
    by_key: dict[tuple[str, str], set[str]] = defaultdict(set)
    official: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s in places:
        official[(s.admin1, fold(s.name))].add(s.katottg)
        for name in (s.name, s.name_uk, *s.alternates):
            by_key[(s.admin1, fold(name))].add(s.katottg)
    landmark_keys = {fold(n) for lm in read_landmarks() for n in (lm.name, *lm.alternates)}

    codes = admin1_codes()
    with open(args.acled_csv, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    pairs = {(row["location"], row["admin1"]) for row in rows}
    units = {(row["location"], row["admin1"]): (row["admin2"], row["admin3"]) for row in rows}
    found = official_found = ambiguous = by_raion = by_hromada = 0
    misses = []
    for location, admin1 in sorted(pairs):
        key = (codes.get(fold(admin1), ""), fold(location))
        if key in official:
            official_found += 1
        if key in by_key or fold(location) in landmark_keys:
            found += 1
            candidates = [by_code[c] for c in by_key.get(key, ())]
            ambiguous += len(candidates) > 1
            raion, hromada = (fold(n) for n in units[(location, admin1)])
            in_raion = [c for c in candidates if fold(c.raion) == raion]
            by_raion += len(in_raion) > 1
            by_hromada += len([c for c in in_raion if fold(c.hromada) == hromada]) > 1
        else:
            misses.append((location, admin1))
    # ACLED writes a city's district as "Kyiv - Obolonskyi": the city is the place we know.
    cities = sum(
        1
        for location, admin1 in misses
        if " - " in location
        and (codes.get(fold(admin1), ""), fold(location.split(" - ")[0])) in by_key
    )
    n = len(pairs)
    print(f"ACLED (location, admin1) pairs: {n}")
    print(f"  found by the official name alone: {official_found / n:.1%}")
    print(f"  found by any name or a landmark:  {found / n:.1%}")
    print(f"  ... and counting 'City - district' as the city: {(found + cities) / n:.1%}")
    print(f"  found but ambiguous in the oblast: {ambiguous / n:.1%}")
    print(f"  ... still ambiguous knowing the coder's raion: {by_raion / n:.1%}")
    print(f"  ... and its hromada: {by_hromada / n:.1%}")

    names = {s.name for s in places}
    folds: dict[str, set[str]] = defaultdict(set)
    for name in names:
        folds[fold(name)].add(name)
    merged = {k: v for k, v in folds.items() if len(v) > 1}
    print(
        f"fold collisions: {len(names)} distinct official names -> {len(folds)} keys; "
        f"{len(merged)} keys join {sum(len(v) for v in merged.values())} distinct names"
    )
    per_oblast: dict[tuple[str, str], set[str]] = defaultdict(set)
    for s in places:
        per_oblast[(s.admin1, fold(s.name))].add(s.name)
    print(f"  of which within one oblast: {sum(1 for v in per_oblast.values() if len(v) > 1)} keys")
    repeated = sum(1 for v in official.values() if len(v) > 1)
    print(f"official names repeated inside an oblast: {repeated} of {len(official)} keys")
    if args.misses:
        for location, admin1 in misses:
            print("  miss:", location, "/", admin1)
        for key, group in sorted(merged.items())[:200]:
            print("  fold:", key, sorted(group))


if __name__ == "__main__":
    main()
