"""A seeded generator of a municipal-style knowledge base (Dutch and English), a people directory and
realistic questions (typos, dropped words, chat filler) for the speed benchmark.

The vocabulary is built like a real one: a few hundred common words used often (Zipf), Dutch compounds
(parkeer + vergunning), and tens of thousands of rare words (street, district and scheme names).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from knowledge.model import Article, Person

NL_MOD = """parkeer afval bouw woon zorg belasting huur water riool gemeente reis rijbewijs geboorte huwelijks
verhuis uitkerings bijstand schuld jeugd onderwijs leerlingen kinderopvang sport cultuur evenementen
horeca terras markt standplaats kap boom groen speel fiets auto bewoners bezoekers laadpaal energie
isolatie subsidie zonnepaneel warmte geluid overlast vuurwerk hond honden grafrechten begraaf
milieu omgevings sloop dakkapel uitrit container grofvuil papier glas textiel verkiezings stem paspoort
identiteits uittreksel naturalisatie inburgerings taal vrijwilligers mantelzorg armoede huis wijk
buurt straat verkeers snelheids drempel verlichtings brug haven wegwerkzaamheden""".split()
NL_HEAD = """vergunning aanvraag regeling toeslag belasting kosten loket formulier ontheffing melding
heffing subsidie pas kaart plan plaats bak dienst beleid tarief termijn bezwaar afspraak register
uitkering bijdrage premie overzicht procedure voorwaarden controle keuring verklaring akte
inschrijving wijziging zone gebied rooster kalender punt route plicht recht budget fonds
voorziening consulent""".split()
NL_VERB = """aanvragen verlengen wijzigen opzeggen betalen melden ophalen inleveren regelen aanpassen
doorgeven terugvragen verhuizen afhalen vervangen opvragen indienen stopzetten controleren""".split()
NL_FILL = """u uw de het een van voor met bij als dan wordt kunt moet heeft via binnen na tijdens zonder
over onder tussen digitaal online schriftelijk telefonisch persoonlijk gratis jaarlijks maandelijks
nieuw oud eigen ander belangrijk mogelijk nodig snel direct altijd soms meestal alleen ook nog
gemeente balie website formulier afspraak dagen weken werkdagen bedrag euro informatie gegevens
adres woning bewoner eigenaar aanvrager medewerker besluit brief email telefoonnummer digid
bewijs document kopie foto handtekening betaling rekening tarieven regels wet wetten artikel""".split()
EN_NOUN = """permit license benefit allowance tax fee waste collection parking housing rent care school
childcare passport identity card certificate registration address move birth marriage death grave
subsidy grant energy insulation solar panel noise nuisance dog tree garden street road bridge bike
car charging point market event terrace license plate appointment desk form objection complaint
payment refund debt assistance youth elderly volunteer language course citizenship vote election""".split()
EN_VERB = """apply renew change cancel pay report collect return arrange adjust request replace submit
stop check register book extend transfer""".split()
EN_FILL = """you your the a of for with at if then is can must has via within after during without about
under between digital online written by phone in person free yearly monthly new old own other
important possible needed quickly directly always sometimes usually only also still municipality
desk website form appointment days weeks working amount euro information details address home
resident owner applicant employee decision letter email number proof document copy photo""".split()
NL_TITLE = [
    "{T} {v}",
    "Hoe kan ik een {t} {v}?",
    "{T} in {p}",
    "Wat kost een {t}?",
    "{T}: voorwaarden en kosten",
    "{T} {v} voor {p}",
    "Wanneer krijg ik mijn {t}?",
]
NL_Q = [
    "Hoe kan ik mijn {t} {v}?",
    "Wat kost een {t} in {p}?",
    "Waar moet ik een {t} {v}?",
    "Kan ik online een {t} {v}?",
    "Hoe lang duurt het voordat mijn {t} klaar is?",
    "Wie beslist over mijn {t}?",
    "Ik wil een {t} {v}, hoe doe ik dat?",
    "Heb ik een {t} nodig in {p}?",
    "Welke papieren heb ik nodig voor een {t}?",
]
EN_TITLE = ["{T} ({p})", "How do I {v} a {t}?", "{T}: conditions and costs", "{v} your {t} in {p}"]
EN_Q = [
    "How can I {v} my {t}?",
    "What does a {t} cost in {p}?",
    "Where do I {v} a {t}?",
    "Can I {v} a {t} online?",
    "How long does it take to get my {t}?",
    "Do I need a {t} in {p}?",
    "Who decides about my {t}?",
]
FILLER = ["hallo ", "goedemiddag, ", "hoi ik heb een vraag ", "beste, ", "", "", "", "", ""]
EN_FILLER = ["hi ", "hello, ", "quick question ", "", "", ""]
FIRST = """Anna Bram Carla Daan Eva Fleur Gijs Hanna Iris Jeroen Kim Lars Lotte Mark Noor Olaf Petra Quinten Rosa
Sanne Tim Umut Vera Willem Yara Zeynep Fatima Mohamed Sarah Thomas Emma Lucas Julia Milan Sophie Bas""".split()
LAST_PRE = ["", "", "", "van ", "de ", "van der ", "van den ", "ter "]
TITLES = """beleidsmedewerker klantcontactmedewerker vergunningverlener teamleider adviseur jurist
consulent handhaver specialist coordinator projectleider inspecteur""".split()
DEPTS = """Burgerzaken Vergunningen Belastingen Sociaal-Domein Wonen Openbare-Ruimte Afval Parkeren
Jeugd Werk-en-Inkomen Handhaving Onderwijs Sport Cultuur Economie Milieu Verkeer Klantcontact""".split()

_ON = "b d f g h k l m n p r s t v w z st br kr tr gr sch sl sp".split()
_VOW = "a e i o u aa ee oo ie oe ei ui ou".split()
_CODA = ["", "", "n", "r", "l", "k", "s", "t", "nd", "rk", "ld", "ng"]
_TAIL = [
    "straat",
    "laan",
    "plein",
    "weg",
    "wijk",
    "dorp",
    "veld",
    "hoven",
    "berg",
    "dijk",
    "kade",
    "park",
    "",
]


class Corpus:
    """Word lists sampled with a Zipf distribution from one seeded RNG."""

    def __init__(self, seed: int = 42, rare_words: int = 30_000) -> None:
        self.rng = random.Random(seed)
        rng = self.rng
        self.compounds = [m + ("s" if m.endswith(("ing", "heid")) else "") + h for m in NL_MOD for h in NL_HEAD]
        rng.shuffle(self.compounds)
        names: set[str] = set()
        while len(names) < rare_words:
            syl = "".join(rng.choice(_ON) + rng.choice(_VOW) + rng.choice(_CODA) for _ in range(rng.randint(1, 3)))
            names.add(syl + rng.choice(_TAIL))
        self.rare = sorted(names)
        rng.shuffle(self.rare)
        self.places = [n.capitalize() for n in self.rare[:3000]]
        self.en_topics = [f"{a} {b}" for a in EN_NOUN for b in EN_NOUN if a != b]
        rng.shuffle(self.en_topics)

    def zipf(self, items: list[str], k: int = 1, s: float = 1.05) -> list[str]:
        weights = _weights(len(items), s)
        return self.rng.choices(items, cum_weights=weights, k=k)

    def body(self, lang: str, topic: str, verb: str, place: str) -> str:
        fill = NL_FILL if lang == "nl" else EN_FILL
        sentences = []
        for _ in range(self.rng.randint(4, 10)):
            words = self.zipf(fill, self.rng.randint(6, 14), s=0.8)
            words += self.zipf(self.rare, self.rng.randint(0, 2), s=0.9)
            words.insert(
                self.rng.randrange(len(words)),
                self.rng.choice(
                    [topic, verb, place, *self.zipf(self.compounds if lang == "nl" else self.en_topics, 1, s=0.6)]
                ),
            )
            sentences.append(" ".join(words).capitalize() + ".")
        return " ".join(sentences)


_CUM: dict[tuple[int, float], list[float]] = {}


def _weights(n: int, s: float) -> list[float]:
    key = (n, s)
    if key not in _CUM:
        total, out = 0.0, []
        for rank in range(1, n + 1):
            total += 1 / rank**s
            out.append(total)
        _CUM[key] = out
    return _CUM[key]


def articles(corpus: Corpus, n: int) -> Iterator[Article]:
    rng = corpus.rng
    for i in range(n):
        lang = "nl" if rng.random() < 0.7 else "en"
        topic = (corpus.zipf(corpus.compounds, s=0.6) if lang == "nl" else corpus.zipf(corpus.en_topics, s=0.6))[0]
        verb = rng.choice(NL_VERB if lang == "nl" else EN_VERB)
        place = corpus.zipf(corpus.places, s=0.8)[0]
        fmt = {"t": topic, "T": topic.capitalize(), "v": verb, "p": place}
        title = rng.choice(NL_TITLE if lang == "nl" else EN_TITLE).format(**fmt)
        questions = tuple(q.format(**fmt) for q in rng.sample(NL_Q if lang == "nl" else EN_Q, rng.randint(1, 4)))
        keywords = (topic, place, *corpus.zipf(corpus.compounds, rng.randint(0, 2), s=0.6))
        yield Article(
            id=f"kb-{i:06d}",
            title=title,
            body=corpus.body(lang, topic, verb, place),
            keywords=keywords,
            questions=questions,
            lang=lang,
            owner="team-" + rng.choice(DEPTS).lower(),
        )


def people(corpus: Corpus, n: int) -> Iterator[Person]:
    rng = corpus.rng
    for i in range(n):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST_PRE)}{rng.choice(corpus.rare[:8000]).capitalize()}"
        expertise = tuple(corpus.zipf(corpus.compounds, rng.randint(2, 5), s=0.7))
        yield Person(
            id=f"p-{i:06d}",
            name=name,
            title=rng.choice(TITLES),
            department=rng.choice(DEPTS),
            expertise=expertise,
            email=f"p{i}@gemeente.example",
        )


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.33:
        return word[:i] + word[i + 1 :]  # dropped letter
    if kind < 0.66:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]  # swapped letters
    return word[:i] + rng.choice("aeiourstnkl") + word[i + 1 :]  # wrong letter


def sourced_questions(corpus: Corpus, sample: list[Article], n: int, rng: random.Random | None = None,
                      ) -> list[tuple[str, str | None]]:
    """Chat-like questions, each with the id of the article it was made from: a phrasing of a known article,
    lower case, a dropped word, typos, filler; some ask for people and some are about nothing in the KB
    (no article: None). The ids let the benchmark tell how often search finds the source at 100,000 articles.
    ``rng`` (default: the corpus's) makes the questions independent of how much was generated before."""
    rng = rng or corpus.rng
    out: list[tuple[str, str | None]] = []
    for _ in range(n):
        roll = rng.random()
        if roll < 0.15:
            out.append((f"wie weet iets van {typo(rng.choice(corpus.compounds), rng)}", None))
            continue
        if roll < 0.25:
            out.append((" ".join(corpus.zipf(NL_FILL + corpus.rare[:5000], rng.randint(3, 8))) + "?", None))
            continue
        article = rng.choice(sample)
        words = rng.choice([article.title, *article.questions]).lower().split()
        if len(words) > 3 and rng.random() < 0.5:
            words.pop(rng.randrange(len(words)))
        words = [typo(w, rng) if rng.random() < 0.25 else w for w in words]
        filler = FILLER if article.lang == "nl" else EN_FILLER
        out.append((rng.choice(filler) + " ".join(words), article.id))
    return out
