"""The cut-off of knowledge/compare.py (CLOSE): how close an article must be to an expert's answer to be shown.

    python -m benchmarks.compare_cutoff [--show]

On the demo with its history (``vraagbaak demo --no-chat`` into a temporary database): every answer waiting
for review against the articles the review page's search finds for it (``Desk._like``), each pair labelled by
hand below (RELATED: the article is about what the answer is about; every other pair is unrelated). Prints the
closeness of each pair (weighted by the knowledge base's idf, as the page does) and, for each cut-off, the
related pairs kept and the unrelated pairs shown. docs/web-pages.md has the figures and the choice.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bot import bootstrap
from bot.config import Settings
from bot.console.chat import ConsoleChat
from knowledge import compare

# (the answer's question, an article search finds for it) pairs that are about the same thing, by hand
RELATED = {
    ("Kan een stel trouwen in hun eigen tuin met een trouwambtenaar van de gemeente?", "nl-huwelijk-partnerschap"),
    ("Can an expat register at a holiday park address?", "en-brp-registration"),
    ("Can an expat register at a holiday park address?", "en-moving-address-change"),
    ("Mag een bewoner een bedrijfsbus parkeren met een bewonersvergunning?", "nl-parkeervergunning-bewoners"),
    ("vraag over de afvalpas en de container", "nl-afvalpas-ondergrondse-container"),
}
QUESTION = "--no-question" not in sys.argv  # the question counts in the closeness (as the page does)
CUTS = (0.10, 0.15, 0.16, 0.165, 0.17, 0.20, 0.25, 0.30)


def pairs(db: Path) -> list[tuple[str, str, float, bool, str]]:
    """(answer's title, article id, closeness, related, verdict) for every pending answer and candidate."""
    settings = Settings(db_path=str(db), semantic="off", digest="off", web_owners="Kim")
    store = bootstrap.open_store(settings)
    desk = bootstrap.build_desk(settings, ConsoleChat(store, out=lambda _: None), store=store)
    vocabulary = desk.searcher.queries.vocabulary
    vocabulary.refresh()
    out = []
    for item in store.pending_reviews():
        answer = store.article(item.article_id)
        assert answer is not None
        for article in desk._like(answer):
            found = compare.compare(answer.body, article, answer.lang,
                                    lambda s, lang=answer.lang: vocabulary.idf(s, lang),
                                    answer.title if QUESTION else "")
            out.append((answer.title, article.id, found.closeness, (answer.title, article.id) in RELATED,
                        found.verdict))
    store.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every pair")
    parser.add_argument("--no-question", action="store_true", help="the answer's text alone (not its question)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.db"
        env = {**os.environ, "VRAAGBAAK_DB": str(db), "VRAAGBAAK_SEMANTIC": "off", "VRAAGBAAK_DIGEST": "off",
               "VRAAGBAAK_ENV_FILE": str(Path(tmp) / "none.env")}
        subprocess.run([sys.executable, "-m", "bot", "demo", "--no-chat"], env=env, check=True,
                       capture_output=True)
        found = pairs(db)
    if args.show:
        for title, article, closeness, related, verdict in sorted(found, key=lambda p: -p[2]):
            print(f"{closeness:.3f} {'RELATED  ' if related else 'unrelated'} {verdict:11} {article:38} {title}")
    related = [c for _, _, c, r, _ in found if r]
    unrelated = [c for _, _, c, r, _ in found if not r]
    print(f"{len(found)} pairs: {len(related)} related, {len(unrelated)} unrelated")
    print(f"related closeness:   min {min(related):.3f}  max {max(related):.3f}")
    print(f"unrelated closeness: max {max(unrelated):.3f}")
    print("cut-off  related kept  unrelated shown")
    for cut in CUTS:
        print(f"  {cut:.3f}  {sum(c >= cut for c in related):2d}/{len(related)}          "
              f"{sum(c >= cut for c in unrelated):2d}/{len(unrelated)}")


if __name__ == "__main__":
    main()
