"""The words of small talk, by kind and language: what people say around a question, not the question.

Data only (``knowledge.smalltalk`` judges a message with it; ``knowledge.text`` uses it to tell the language
and to leave such words out of a question's content). Each kind is a closed class of everyday words in Dutch
and English (and the loan words agents use in both): the classes are the principle, the lists only spell
them out. Words are folded (lower case, no accents), as ``text.words`` gives them.
"""

from __future__ import annotations

Lexicon = dict[str, frozenset[str]]  # language ("nl", "en", "" for both) -> words


def _lexicon(nl: str = "", en: str = "", both: str = "") -> Lexicon:
    return {"nl": frozenset(nl.split()), "en": frozenset(en.split()), "": frozenset(both.split())}


# Saying hello.
GREETING = _lexicon(
    nl="""hoi hallo hee hey hai hoihoi hallootjes goedemorgen goeiemorgen goedemiddag goeiemiddag goedenavond
    goeienavond goedendag goeiedag dag daag morgen middag avond welkom""",
    en="hi hello hey hiya howdy heya yo greetings morning afternoon evening",
    both="moi hallo hi hey",
)
# Whom a greeting goes to ('goedemorgen allemaal', 'hi team').
ADDRESSEE = _lexicon(
    nl="allemaal iedereen jullie lui mensen collega collegas",
    en="everyone everybody all guys folks people there",
    both="team",
)
# Thanking.
THANKS = _lexicon(
    nl="dank danke dankje dankjewel dankuwel bedankt bedankje bedankjes",
    en="thanks thank thankyou thanx thx tnx ty tyvm appreciated appreciate appreciation grateful cheers",
    both="merci",
)
# Agreeing, acknowledging, having understood, letting it go, praising the help ('ok', 'top', 'helder', 'got it',
# 'that helped', 'dat dacht ik al', 'makes sense', 'laat maar', 'never mind').
ACK = _lexicon(
    nl="""ok oke okee okay oki okido okidoki prima top toppie topper super mooi fijn goed helder duidelijk
    begrepen snap gesnapt klopt inderdaad precies juist akkoord afgesproken genoteerd gezien gelezen ja jawel
    jep jup nee neen neuh tuurlijk natuurlijk zeker geweldig perfect heerlijk lekker netjes chill handig
    geholpen helpt hielp opgelost begrijp begrijpelijk snap snapt dacht gedacht weet wist genoeg logisch
    aha laat zitten negeer vergeet""",
    en="""ok okay okey k kk fine great good nice cool awesome perfect excellent lovely brilliant sure right alright
    got gotcha understood noted clear yes yeah yep yup no nope nah agreed indeed exactly correct absolutely
    sounds helped helps helpful solved useful makes sense know knew thought figured understand see aha never mind
    nevermind ignore forget fair enough whatever""",
    both="top super perfect ok oke",
)
# Taking leave.
FAREWELL = _lexicon(
    nl="""doei doeg dag daag tot ziens straks zo later morgen fijne prettige goede dag avond middag weekend
    groet groeten groetjes gr mvg vriendelijke hartelijke verder""",
    en="""bye goodbye byebye later see soon cya ttyl take care have nice good great day evening weekend
    regards wishes talk""",
    both="ciao doei bye",
)
# Trying the bot out ('test', 'testje', 'werkt dit?', 'is this working?', 'ping').
TEST = _lexicon(
    nl="test testje testen testing tests getest probeer probeersel probeersels proberen werkt doet ie aan",
    en="test tests testing tested try trying ping pong working works on alive",
    both="ping test",
)
# Saying there is a question without saying it, or asking for a moment ('ik heb een vraag', 'quick question',
# 'mag ik iets vragen', 'heb je een momentje?', 'even denken').
OPENER = _lexicon(
    nl="""vraag vraagje vraagjes vragen stellen even effe ff kort korte klein kleine snel snelle iets ding
    dingetje hulp help helpen daar er aanwezig bereikbaar beschikbaar nog ander andere moment momentje minuut
    minuutje seconde secondje tel denken nadenken kijken""",
    en="""question questions ask asking quick short small something thing help there available around one
    another moment minute sec second think thinking""",
)
# Sounds, fillers, words of degree and words about the chat itself, which carry nothing on their own ('hmm',
# 'pff', 'ehm', 'heel erg', 'helemaal', 'bericht').
FILLER = _lexicon(
    nl="""eh ehm uh uhm hm hmm pff pfff tja nou och ach oh ah oeh oei oeps jeetje jemig zeg hoor he nouja
    enfin sorry excuus excuses sorrie vraagbaak bot heel erg hartstikke hartelijk alvast vriendelijk wel eens
    gewoon helemaal volledig totaal compleet echt best ontzettend super bericht berichtje chat jo weer""",
    en="""um umm uh uhh er erm hm hmm oh ah ooh oops wow whoa well so sorry bot much lot very really totally
    completely quite pretty message msg chat ya yah ye""",
    both="oh ah hm hmm",
)

# Small talk that frames a whole message wherever it stands ('ok, dan bel ik de klant terug, bedankt'): thanks,
# a leave-taking, a test (laughter is recognised by its sound, in knowledge.smalltalk).
FRAMING = frozenset(
    """dank danke dankje dankjewel dankuwel bedankt merci thanks thank thankyou thanx thx tnx ty tyvm appreciated
    cheers doei doeg ziens groet groeten groetjes mvg bye goodbye byebye ciao cya ttyl regards test testje
    testen testing tests ping probeersel""".split())

# What follows 'a question' to say what it is about ('een vraag over de WOZ', 'a question about parking').
ABOUT = frozenset(
    "over omtrent betreffende inzake aangaande rond rondom mbt ivm about regarding concerning re on".split())

# Thanks in advance ('alvast bedankt', 'thanks in advance') closes a request: it frames nothing.
IN_ADVANCE = frozenset({"alvast", "advance", "voorbaat"})

KINDS: dict[str, Lexicon] = {"greeting": GREETING, "addressee": ADDRESSEE, "thanks": THANKS, "ack": ACK,
                             "farewell": FAREWELL, "test": TEST, "opener": OPENER, "filler": FILLER}

# The question words proper (who, what, where ...).
WH = frozenset("""hoe hoeveel hoelang hoezo wat wanneer waar waarom welke welk wie wiens waarmee waarvoor waarover
    waarheen waarvan how what when where why which who whom whose""".split())
# Words that open a question: where one starts a clause, the clause asks something.
INTERROGATIVES = frozenset(
    """hoe hoeveel hoelang hoezo wat wanneer waar waarom welke welk wie wiens waarmee waarvoor waarover waarheen
    waarvan kan kun kunt kunnen mag mogen moet moeten zal zou wil heb hebben is zijn ben bent
    how what when where why which who whom whose can could may might should shall will would do does did
    is are am was were have has""".split())


def words_of(lexicon: Lexicon, lang: str | None = None) -> frozenset[str]:
    """The words of ``lexicon`` in ``lang`` and in both (None: in any language)."""
    if lang is None:
        return frozenset().union(*lexicon.values())
    return lexicon.get(lang, frozenset()) | lexicon[""]


# Per language, the greetings, thanks and farewells that belong to it alone: they tell the language of a
# message such as 'bedankt' or 'cheers' (acknowledgements and fillers are too often shared to tell it).
_TELLING = (GREETING, ADDRESSEE, THANKS, FAREWELL)
_SHARED = frozenset().union(*(lexicon[""] for lexicon in _TELLING))
BY_LANG: dict[str, frozenset[str]] = {
    lang: frozenset().union(*(lexicon[lang] for lexicon in _TELLING))
    - frozenset().union(*(lexicon[other] for lexicon in _TELLING)) - _SHARED
    for lang, other in (("nl", "en"), ("en", "nl"))
}
ALL: frozenset[str] = frozenset().union(*(words_of(lexicon) for lexicon in KINDS.values()))
