"""The extraction package stays readable: small functions, a short loop, knobs in rules.py.

Limits of issue #10: no function in store/extract with more than 20 branches, 20 local names or
6 parameters; `extract_events` at most 45 lines; pipeline.py under 300 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

EXTRACT = Path(__file__).resolve().parent.parent / "store" / "extract"
MODULES = sorted(EXTRACT.glob("*.py"))


def _functions() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                found.append((f"{path.name}:{node.name}", node))
    return found


def _branches(fn: ast.FunctionDef) -> int:
    count = 0
    for node in ast.walk(fn):
        if isinstance(node, ast.If | ast.For | ast.While | ast.ExceptHandler | ast.IfExp):
            count += 1
        elif isinstance(node, ast.comprehension):
            count += 1 + len(node.ifs)
    return count


def _locals(fn: ast.FunctionDef) -> set[str]:
    names = {a.arg for a in [*fn.args.posonlyargs, *fn.args.args, *fn.args.kwonlyargs]}
    for node in ast.walk(fn):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
    return names


FUNCTIONS = _functions()


@pytest.mark.parametrize("name,fn", FUNCTIONS, ids=[n for n, _ in FUNCTIONS])
def test_no_extraction_function_has_more_than_20_branches_20_locals_or_6_parameters(name, fn):
    params = len(fn.args.posonlyargs) + len(fn.args.args) + len(fn.args.kwonlyargs)
    assert _branches(fn) <= 20, name
    assert len(_locals(fn)) <= 20, (name, sorted(_locals(fn)))
    assert params <= 6, name


def test_extract_events_is_a_short_loop_and_pipeline_py_is_under_300_lines():
    pipeline = EXTRACT / "pipeline.py"
    (fn,) = [f for n, f in FUNCTIONS if n == "pipeline.py:extract_events"]
    assert fn.end_lineno is not None
    assert fn.end_lineno - fn.lineno + 1 <= 45
    assert len(pipeline.read_text(encoding="utf-8").splitlines()) < 300


def test_the_shape_checks_would_catch_a_function_that_grew():
    grown = ast.parse(
        "def f(a, b, c, d, e, f, g):\n"
        + "".join(f"    if a == {i}:\n        x{i} = {i}\n" for i in range(21))
    ).body[0]
    assert isinstance(grown, ast.FunctionDef)
    assert _branches(grown) == 21
    assert len(_locals(grown)) == 28
