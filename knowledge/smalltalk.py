"""Is this a question? Small talk (greetings, thanks, acknowledgements, tests, emoji, keyboard noise) is told
apart from questions, however short, by a few rules over features of the message (docs/judgement.md).

Each word gets a class: a kind of small talk (``knowledge.courtesy``: greeting, thanks, ack, farewell, test,
opener, filler), a function word, a number, a word the knowledge base knows, gibberish, or another content
word. Gibberish is judged by its letters alone: a run of three equal letters ('jjjjj'), a walk along a keyboard
row ('asdf', 'qwerty'), letters all from one row ('ajsdhaksjd'), a short unit repeated ('sdfsdf'), five or more
letters without a vowel, or hardly a vowel in a long word. A short word without a vowel ('BRP', 'bsn', 'ggd')
is an abbreviation, not gibberish; a word the knowledge base knows is never gibberish. Then the message:

- no content word at all (only small talk, function words, numbers, gibberish, symbols, emoji): small talk;
- content words, but no sign of a question ('?' or a question word opening a clause), few words, and small talk
  that frames the message: thanks, a farewell, a test or laughter anywhere, a message that opens with an
  acknowledgement ('ok, dan bel ik terug'), or a greeting to a name ('Hoi Sanne'): doubtful. The search decides
  a doubtful message: when it finds nothing relevant (it would go to the experts), it is small talk;
- anything else is a question. Small talk around it ('hoi, ik heb een vraag: ...', '... alvast bedankt') is
  left out of what is searched.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from knowledge import courtesy, text
from knowledge.model import SearchResult
from knowledge.query import QueryBuilder

Verdict = Literal["question", "small_talk", "doubtful"]
Known = Callable[[str], bool]  # whether the knowledge base knows a (folded) word

DOUBT_WORDS = 12  # a message of more words than this, with a content word, is a question whatever frames it
ASKED = 8  # words of one message looked up in the knowledge base at most
CACHED = 50_000  # words whose letters were judged, kept (a few MB)
# the kinds of small talk, in the order one names a message that has several ('hoi, ik heb een vraag': opener)
PRIORITY = ("test", "thanks", "farewell", "opener", "greeting", "ack", "noise")
# the order a word is looked up in the kinds ('dag' greets before it says goodbye)
LOOKUP = ("thanks", "test", "greeting", "farewell", "addressee", "opener", "ack", "filler")

_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CLAUSE_END = re.compile(r"(?:(?<!\d)[,.:]|[,.:](?!\d)|[;!?\n])+|\s[-–—]+\s")  # not in 08:30 or 84,35
_LAUGH = re.compile(r"a?(?:h+[aeiou]+){2,}h?|(?:lo)+l|l+m+f*a+o+|x+d+|r+o+f+l+|(?:bla)+")
_STRETCHED = re.compile(r"(.)\1{2,}")  # 'hoiii'
_TRAILING = re.compile(r"(.)\1+$")  # 'bedanktt'
_TRIPLE = re.compile(r"(.)\1\1")
_VOWELS = frozenset("aeiouy")
_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_ONE_ROW = (frozenset(_ROWS[1]), frozenset(_ROWS[2]))  # rows without vowels (the top one holds most of them)
_KEY = {c: (row, col) for row, keys in enumerate(_ROWS) for col, c in enumerate(keys)}
_LEXICONS = {kind: courtesy.words_of(courtesy.KINDS[kind]) for kind in LOOKUP}
_FUNCTION = text.STOPWORDS["nl"] | text.STOPWORDS["en"]
_SMALL_TALK = frozenset({*LOOKUP, "laugh"})
_FRAME = _SMALL_TALK - {"opener", "test"}  # what a clause may open with before what it says
_LEADING = frozenset({"greeting", "thanks", "laugh"})  # left out where they open a question
_ASIDE = frozenset({"greeting", "addressee", "thanks", "farewell", "opener", "laugh"})
_ANY = frozenset(w for kind in LOOKUP for w in _LEXICONS[kind] if len(w) >= 3)
_TYPOS = sorted(w for kind in ("greeting", "thanks", "farewell") for w in _LEXICONS[kind] if len(w) >= 6)


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    kind: str = ""  # small talk's kind (PRIORITY), also of a doubtful message; "" for a question
    question: str = ""  # what to search: the message without the small talk around it ("" for small talk)

    @property
    def small_talk(self) -> bool:
        return self.verdict == "small_talk"


def judge(message: str, known: Known | None = None) -> Judgement:
    """Whether ``message`` is a question, small talk, or doubtful (small talk unless the search finds an
    article); ``known``: the knowledge base's words (without it, no word counts as known)."""
    tokens = [(text.fold(m.group())[:text.MAX_WORD], m) for m in _TOKEN.finditer(message)]
    if not tokens:
        return Judgement("small_talk", "noise" if message.strip() else "")
    classes = [word_class(word, _bounded(known)) for word, _ in tokens]
    if "content" not in classes:
        return Judgement("small_talk", _kind(classes))
    clauses = _clauses(message, [m.start() for _, m in tokens])
    content = [i for i, c in enumerate(classes) if c == "content"]
    if len(content) <= 2 and all(_name(tokens[i][1].group()) and _after_greeting(i, tokens, classes, clauses)
                                 for i in content):
        return Judgement("small_talk", _kind(classes[:content[0]]))  # 'Hoi Sanne', 'Hi Mark': to someone
    question = _question(message, tokens, classes, clauses)
    if _doubtful(message, tokens, classes, clauses, known):
        return Judgement("doubtful", _kind(classes), question)
    return Judgement("question", "", question)


def _bounded(known: Known | None) -> Known | None:
    """``known`` asked at most ASKED times for one message, once per word (a near spelling is looked up in the
    whole vocabulary: a long message of noise must not cost more than a question)."""
    if known is None:
        return None
    answers: dict[str, bool] = {}

    def ask(word: str) -> bool:
        if word not in answers:
            answers[word] = len(answers) < ASKED and known(word)
        return answers[word]
    return ask


def word_class(word: str, known: Known | None = None) -> str:
    """The class of one folded ``word``: a kind of small talk (LOOKUP), 'laugh', 'function', 'number',
    'gibberish' or 'content'."""
    if word.isdigit():
        return "number"
    kind = _small_talk(word)
    if kind:
        return kind
    if _LAUGH.fullmatch(word):
        return "laugh"
    if word in _FUNCTION:
        return "function"
    if len(word) == 1:
        return "filler"
    # a word the knowledge base knows is never gibberish (asked only of words that look it: asking costs more)
    return "gibberish" if gibberish(word) and not (known is not None and known(word)) else "content"


@functools.lru_cache(maxsize=CACHED)
def _small_talk(word: str) -> str:
    """The kind of small talk ``word`` is, also written stretched ('hoiii') or as a compound of two small-talk
    words ('testbericht', 'hoidoei'); "" when none."""
    forms = _forms(word)
    for kind in LOOKUP:
        if not forms.isdisjoint(_LEXICONS[kind]):
            return kind
    for i in range(3, len(word) - 2 if len(word) <= 16 else 0):
        if word[:i] in _ANY and word[i:] in _ANY:
            return next(kind for kind in LOOKUP if word[:i] in _LEXICONS[kind])
    if len(word) >= 6:  # one letter off a long greeting or thanks: 'goedenmiddag', 'bedanktt', 'dankjwel'
        found = process.extractOne(word, _TYPOS, scorer=Levenshtein.distance, score_cutoff=1)
        if found is not None:
            return next(kind for kind in LOOKUP if found[0] in _LEXICONS[kind])
    return ""


@functools.lru_cache(maxsize=CACHED)
def gibberish(word: str) -> bool:
    """Whether the letters of ``word`` (folded) make no word of any language typed on purpose."""
    if not word.isalpha():
        return False  # codes and numbers with letters ('a12', 'NL-2024') are kept
    if not word.isascii():
        return False  # the rules below know Latin letters only: a Chinese, Arabic or Cyrillic word is a word
    if _TRIPLE.search(word):
        return True
    if len(word) >= 4 and _keyboard_walk(word):
        return True
    vowels = sum(c in _VOWELS for c in word)
    if vowels == 0:
        return len(word) >= 5  # a short one is an abbreviation: 'BRP', 'bsn', 'ggd'
    if len(word) >= 6 and any(set(word) <= row for row in _ONE_ROW):
        return True
    if len(word) >= 6 and any(len(word) % n == 0 and word == word[:n] * (len(word) // n) for n in (2, 3)):
        return True
    return len(word) >= 8 and vowels / len(word) < 0.12


def _keyboard_walk(word: str) -> bool:
    """Three in four neighbouring letters are the same key or neighbours on one keyboard row."""
    keys = [_KEY.get(c) for c in word]
    pairs = list(zip(keys, keys[1:], strict=False))
    near = sum(1 for a, b in pairs if a and b and a[0] == b[0] and abs(a[1] - b[1]) <= 1)
    return near >= 0.75 * len(pairs)


def _forms(word: str) -> frozenset[str]:
    """``word`` and what it is with stretched letters undone ('hoiii', 'bedanktt', 'okeee') or said twice
    ('hoihoi', 'doeidoei')."""
    forms = {word, _STRETCHED.sub(r"\1", word), _STRETCHED.sub(r"\1\1", word), _TRAILING.sub(r"\1", word)}
    half = len(word) // 2
    if len(word) % 2 == 0 and word[:half] == word[half:]:
        forms.add(word[:half])
    return frozenset(forms)


def _kind(classes: list[str]) -> str:
    present = {"noise" if c in ("filler", "laugh", "gibberish", "number", "content") else
               "greeting" if c == "addressee" else c for c in classes}
    if present <= {"function", "noise"} and "function" in present:
        return "opener"  # 'wat nu?', 'en?': only words that lead to a question
    return next((kind for kind in PRIORITY if kind in present), "noise")


def _clauses(message: str, starts: list[int]) -> list[int]:
    """The clause each token is in (0, 1, ...): clauses end at punctuation and dashes."""
    ends = [m.start() for m in _CLAUSE_END.finditer(message)]
    return [bisect.bisect_left(ends, start) for start in starts]


def _opening(tokens: list[tuple[str, re.Match[str]]], classes: list[str], clauses: list[int]) -> list[int]:
    """Per clause, the first token that is not a greeting, thanks or the like ('hoi, hoe ...': 'hoe'; an opener
    word such as 'daar' or 'nog' opens a clause: 'daar kan ik wat mee' asks nothing)."""
    first: dict[int, int] = {}
    for i, (clause, kind) in enumerate(zip(clauses, classes, strict=True)):
        if clause not in first and kind not in _FRAME:
            first[clause] = i
    return sorted(first.values())


def _asks(message: str, tokens: list[tuple[str, re.Match[str]]], classes: list[str], clauses: list[int]) -> bool:
    """A sign of a question: a question mark, or a question word opening a clause."""
    return "?" in message or any(tokens[i][0] in courtesy.INTERROGATIVES
                                 for i in _opening(tokens, classes, clauses))


def _doubtful(message: str, tokens: list[tuple[str, re.Match[str]]], classes: list[str],
              clauses: list[int], known: Known | None) -> bool:
    if len(tokens) > DOUBT_WORDS or _asks(message, tokens, classes, clauses):
        return False
    framed = not courtesy.IN_ADVANCE.intersection(word for word, _ in tokens) and any(
        c == "laugh" or _forms(word) & courtesy.FRAMING for (word, _), c in zip(tokens, classes, strict=True))
    if framed or classes[0] == "ack":
        return True
    # a greeting and, elsewhere, what may be names: capitalised words unknown to the knowledge base
    names = [i for i, c in enumerate(classes) if c == "content"]
    return "greeting" in classes and len(names) <= 2 and all(
        _name(tokens[i][1].group()) and not (known is not None and known(tokens[i][0])) for i in names)


def _name(said: str) -> bool:
    return said[:1].isupper() and (said[1:].islower() or not said[1:])


def _after_greeting(i: int, tokens: list[tuple[str, re.Match[str]]], classes: list[str], clauses: list[int]) -> bool:
    """Token ``i`` follows a greeting or an interjection in its clause, with only names between ('Hoi Jan
    Willem', 'Hallo Ingrid en Tom', 'Hé Karin')."""
    j = i - 1
    while j >= 0 and clauses[j] == clauses[i] and (classes[j] == "content" or tokens[j][0] in ("en", "and")):
        j -= 1
    return j >= 0 and clauses[j] == clauses[i] and classes[j] in ("greeting", "filler")


def _question(message: str, tokens: list[tuple[str, re.Match[str]]], classes: list[str],
              clauses: list[int]) -> str:
    """The message without the small talk around the question: clauses of greetings, thanks, openers or tests
    before or after it ('hoi, ik heb een vraag: hoe ...' -> 'hoe ...'; '..., alvast bedankt!' -> '...'), a
    greeting or thanks that opens it ('hoi ik wil ...' -> 'ik wil ...'), and 'a question about' where nothing
    asks before it ('een vraag over de WOZ' -> 'de WOZ'). The rest is kept as written."""
    held: dict[int, set[str]] = {}
    for clause, kind in zip(clauses, classes, strict=True):
        held.setdefault(clause, set()).add(kind)
    kept = [c for c, kinds in sorted(held.items()) if not _aside(kinds)]
    first, last = kept[0], kept[-1]
    opens = clauses.index(first)
    start = opens
    while start < len(tokens) - 1 and classes[start] in _LEADING and clauses[start + 1] == first:
        start += 1
    for i in range(opens, len(tokens) - 2):
        if clauses[i + 2] != first or tokens[i][0] in courtesy.WH:
            break  # 'waar kan ik vragen stellen over ...' asks itself
        if classes[i] == "opener" and tokens[i + 1][0] in courtesy.ABOUT:
            start = max(start, i + 2)
    begin = tokens[start][1].start() if start else 0
    if last == clauses[-1]:
        return message[begin:].strip()
    end = tokens[max(i for i, c in enumerate(clauses) if c == last)][1].end()
    after = _CLAUSE_END.match(message, end)
    if after is not None and "?" in after.group():
        end = after.end()
    return message[begin:end].strip()


def _aside(kinds: set[str]) -> bool:
    """Whether a clause of words of ``kinds`` is small talk beside the question: no content word, and a greeting,
    thanks, opener, farewell or laugh ('hoi,', 'ik heb een vraag:', 'alvast bedankt!'; not 'is that right?')."""
    return "content" not in kinds and bool(kinds & _ASIDE)


def known_by(queries: QueryBuilder) -> Known:
    """``known`` for the knowledge base ``queries`` searches: a word its articles hold (as it is, or stemmed in
    Dutch or English), a synonym or abbreviation it lists, or a near spelling of one of its words."""
    vocabulary = queries.vocabulary
    vocabulary.refresh()
    synonyms = queries.store.synonyms_cached(vocabulary.generation)

    def known(word: str) -> bool:
        if word in synonyms or word in vocabulary.df:
            return True
        stems = {text.stem(word, "nl"), text.stem(word, "en")}
        return not stems.isdisjoint(vocabulary.df) or any(vocabulary.correct(s) for s in stems)
    return known


def no_question(query: str, judged: Judgement, default_lang: str) -> SearchResult:
    """The search's answer to small talk: nothing found, nothing shown, the kind of small talk it was."""
    return SearchResult(query=query, decision="no_question", lang=text.guess_lang(query) or default_lang,
                        small_talk=judged.kind or "noise")
