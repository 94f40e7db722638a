"""Text and publication metadata in, candidate events out: pure, no database, no clock.

The pipeline (pipeline.py) reads an article sentence by sentence and clause by clause; each
field has its own step (dates, places in where.py, taxonomy, casualties, actors, attribution),
what a sentence inherits from the ones before is discourse.py, and every knob is in rules.py.
"""

from store.extract.pipeline import extract_events

__all__ = ["extract_events"]
