"""Text analysis shared by indexing and querying: normalise, tokenise, stem, split compounds.

Everything here is pure and deterministic so the index and the query see words the same way.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_WORD = re.compile(r"\w+", re.UNICODE)

STOPWORDS = {
    "nl": set(
        """de het een en of maar als dan dat die dit deze daar hier er in op aan bij met voor van naar
        uit over onder door om tot te is zijn was waren wordt worden word ben bent heb hebt heeft hebben
        had kan kun kunt kunnen moet moeten mag mogen wil wilt willen zal zou zouden ik je jij u we wij
        ze zij hij mijn mijne jouw uw ons onze hun haar zijn me mij jou hem wat wie waar hoe waarom
        wanneer welke welk niet geen nog wel ook al zo dus want omdat toch even iets iemand ze hoeveel
        doe doen gaat gaan krijg krijgen krijgt nu graag alstublieft aub""".split()
    ),
    "en": set(
        """the a an and or but if then that this these those there here in on at by with for of to
        from about into over under is are was were be been being am do does did have has had can could
        should would will shall may might must i you he she it we they my your his her its our their
        me him us them what who whom where how why when which not no nor also so too very just get
        got please any some""".split()
    ),
}

_STEMMERS: dict[str, snowballstemmer.Stemmer] = {}


def fold(text: str) -> str:
    """Lower case without diacritics: 'Café Één' -> 'cafe een'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded word tokens; underscores and punctuation split words."""
    return [w for w in _WORD.findall(fold(text).replace("_", " "))]


def detect_lang(text: str, default: str = "nl") -> str:
    """'nl' or 'en' by counting function words; ``default`` when it cannot tell."""
    tokens = words(text)
    nl = sum(t in STOPWORDS["nl"] for t in tokens)
    en = sum(t in STOPWORDS["en"] for t in tokens)
    if nl == en:
        return default
    return "nl" if nl > en else "en"


@lru_cache(maxsize=200_000)
def stem(word: str, lang: str) -> str:
    stemmer = _STEMMERS.get(lang)
    if stemmer is None:
        stemmer = _STEMMERS[lang] = snowballstemmer.stemmer("dutch" if lang == "nl" else "english")
    return stemmer.stemWord(word)


def terms(text: str, lang: str) -> list[str]:
    """Stemmed content words in order (stop words dropped, numbers kept)."""
    stop = STOPWORDS.get(lang, set())
    return [stem(w, lang) for w in words(text) if w not in stop and (len(w) > 1 or w.isdigit())]
