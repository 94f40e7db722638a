"""The places we can name: the compiled gazetteer, the matcher that finds them in text, and the
one spelling-insensitive form of a name both use."""

from store.gazetteer.compile import (
    GAZETTEER_VERSION,
    compile_gazetteer,
    oblast_id,
    read_oblasts,
)
from store.gazetteer.folding import fold
from store.gazetteer.matcher import NAME_RANKING, Gazetteer, PlaceMention, rank_names
from store.gazetteer.names import normalise_name
from store.gazetteer.settlements import Landmark, Settlement, read_landmarks, read_settlements
from store.gazetteer.translit import translit_ru, translit_uk

__all__ = [
    "GAZETTEER_VERSION",
    "NAME_RANKING",
    "Gazetteer",
    "Landmark",
    "PlaceMention",
    "Settlement",
    "compile_gazetteer",
    "fold",
    "normalise_name",
    "oblast_id",
    "rank_names",
    "read_landmarks",
    "read_oblasts",
    "read_settlements",
    "translit_ru",
    "translit_uk",
]
