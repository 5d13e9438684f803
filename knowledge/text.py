"""Text analysis shared by indexing and querying: normalise, tokenise, stem, split compounds.

Everything here is pure and deterministic so the index and the query see words the same way.
"""

from __future__ import annotations

import re
import unicodedata

import snowballstemmer

from knowledge import courtesy
from knowledge.cache import ByteCache

_WORD = re.compile(r"\w+", re.UNICODE)
# A word is cut to this many characters, for the index and for questions alike (so both see the same cut).
# The longest Dutch words in use ('aansprakelijkheidswaardevaststellingsveranderingen', 50 letters) and a
# SHA-256 in hex (64) fit; a longer run of letters is a pasted blob, not a word. Cut rather than dropped: a
# question of one long code still has a word, and that code still finds an article that quotes it. The cap
# also bounds what a word costs: compound splitting stems each of its suffixes (at most 64 of 64 letters).
MAX_WORD = 64
# Stems kept per stemmer language, in bytes (~150,000 ordinary words; the oldest go first).
STEM_CACHE_BYTES = 32 << 20

# Function words (after the Snowball stop lists), folded; numbers and content words are kept.
STOPWORDS = {
    "nl": set(
        """aan al alles als altijd andere ben bij daar dan dat de der deze die dit doch doen door dus een eens
        en er ge geen geweest haar had heb hebben heeft hem het hier hij hoe hun iemand iets ik in is ja je
        kan kon kunnen maar me meer men met mij mijn moet na naar niet niets nog nu of om omdat onder ons ook
        op over reeds te tegen toch toen tot u uit uw van veel voor want waren was wat werd wezen wie wil
        worden wordt zal ze zelf zich zij zijn zo zonder zou jij jou jouw wij we hun onze mag mogen moeten
        kun kunt zullen zouden bent hebt waar waarom wanneer welke welk even graag alstublieft aub dit
        deze gaat gaan doe doet krijg krijgen krijgt hoeveel ermee erover erbij daarvoor hiervoor""".split()
    ),
    "en": set(
        """a about above after again against all am an and any are as at be because been before being below
        between both but by can could did do does doing down during each few for from further had has have
        having he her here hers herself him himself his how i if in into is it its itself just me more most
        my myself no nor not now of off on once only or other our ours ourselves out over own same she should
        so some such than that the their theirs them themselves then there these they this those through to
        too under until up very was we were what when where which while who whom why will with would you
        your yours yourself yourselves shall may might must also get got please im ive dont doesnt didnt
        cant wont isnt arent id youre thats whats hi hello thanks thank ok okay yes""".split()
    ),
}

# Greetings, thanks and small talk: words that tell nothing of what a question is about (knowledge.gaps leaves
# them out of a question's terms; knowledge.smalltalk judges whole messages with knowledge.courtesy).
COURTESY = set(
    """hallo hoi hey hee hi hello hiya goedemorgen goedemiddag goedenavond goedendag morgen middag avond dag doei
    dank danke bedankt dankje dankjewel dankuwel thanks thank thx tnx merci you cheers fijn top prima super mooi
    oke okay ok oki groet groeten groetjes vriendelijke regards good morning afternoon evening bye goodbye ciao
    test testje testen testing ping wel""".split()
)


def has_content(text: str) -> bool:
    """Whether ``text`` may be a question: not small talk ('hallo', 'dank je wel', 'test', 'asdf', '👍' are;
    ``knowledge.smalltalk.judge`` without a knowledge base)."""
    from knowledge import smalltalk  # it builds on this module

    return not smalltalk.judge(text).small_talk


_STEMMERS: dict[str, snowballstemmer.Stemmer] = {}


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub(text: str) -> str:
    """``text`` with lone surrogates as U+FFFD: what a broken emoji in JSON or an undecodable byte in a command
    line leaves behind, and what SQLite and UTF-8 output cannot take."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def fold(text: str) -> str:
    """Lower case without diacritics: 'Café Één' -> 'cafe een'."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Folded word tokens, each cut to MAX_WORD characters; underscores and punctuation split words."""
    return [w[:MAX_WORD] for w in _WORD.findall(fold(text).replace("_", " "))]


def guess_lang(text: str) -> str | None:
    """'nl' or 'en' by counting function words and the greetings and thanks of one language ('bedankt',
    'cheers'); None when the text does not tell."""
    tokens = words(text)
    nl = sum(t in STOPWORDS["nl"] or t in courtesy.BY_LANG["nl"] for t in tokens)
    en = sum(t in STOPWORDS["en"] or t in courtesy.BY_LANG["en"] for t in tokens)
    if nl == en:
        return None
    return "nl" if nl > en else "en"


def detect_lang(text: str, default: str = "nl") -> str:
    """'nl' or 'en'; ``default`` when the text does not tell."""
    return guess_lang(text) or default


_STEMS: dict[str, ByteCache[str]] = {}  # per stemmer language: word -> stem (stemming is the costly part)


def _stemmer_lang(lang: str) -> str:
    return "nl" if lang == "nl" else "en"


def stem_cache(lang: str) -> ByteCache[str]:
    lang = _stemmer_lang(lang)
    cache = _STEMS.get(lang)
    if cache is None:
        cache = _STEMS.setdefault(lang, ByteCache[str](STEM_CACHE_BYTES))
    return cache


def stem(word: str, lang: str) -> str:
    cache = stem_cache(lang)
    found = cache.get(word)
    if found is None:
        lang = _stemmer_lang(lang)
        stemmer = _STEMMERS.get(lang)
        if stemmer is None:
            stemmer = snowballstemmer.stemmer("dutch" if lang == "nl" else "english")
            if hasattr(stemmer, "maxCacheSize"):  # PyStemmer keeps its own cache of 10,000 words of any size
                stemmer.maxCacheSize = 0
            _STEMMERS[lang] = stemmer
        found = cache.put(word, stemmer.stemWord(word))
    return found


def stems(tokens: list[str], lang: str) -> list[str]:
    """``stem`` for each of ``tokens`` (words), in order."""
    cached = stem_cache(lang).get
    return [cached(w) or stem(w, lang) for w in tokens]


def terms(text: str, lang: str) -> list[str]:
    """Stemmed words in order. Function words are kept: ranking weighs them by rarity, and in
    questions ('why', 'can I', 'moet ik') they carry part of the intent."""
    return stems(words(text), lang)
