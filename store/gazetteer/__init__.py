"""The places we can name: the compiled gazetteer, the matcher that finds them in text, and the
one spelling-insensitive form of a name both use."""

from store.gazetteer.compile import (
    GAZETTEER_VERSION,
    compile_gazetteer,
    oblast_id,
    read_oblasts,
)
from store.gazetteer.matcher import Gazetteer, PlaceMention
from store.gazetteer.names import normalise_name

__all__ = [
    "GAZETTEER_VERSION",
    "Gazetteer",
    "PlaceMention",
    "compile_gazetteer",
    "normalise_name",
    "oblast_id",
    "read_oblasts",
]
