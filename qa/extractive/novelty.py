"""A sentence that adds nothing to the question cannot answer it.

An answer tells the asker something the question does not already say. A sentence whose content
words are all the question's own, or the labels of the page it stands on (its title, its section
heading), is an echo of the question: a heading that names the venue asked about ("Blue Tomato
Kitchen" for "Who is behind Blue Tomato Kitchen?"), a site name, a byline that repeats the title.
Only a yes/no question is answered by its own words ("Did the rebels take Aleppo?" by "The rebels
took Aleppo."). The test is on stemmed content terms (the BM25 analyser: no stop words), so it
knows no word list. Pure functions.
"""

from __future__ import annotations

from collections.abc import Iterable


def adds_nothing(sentence: Iterable[str], question: Iterable[str], labels: Iterable[str]) -> bool:
    """Whether every content term of the sentence is the question's or the page's labels'."""
    return set(sentence) <= set(question) | set(labels)
