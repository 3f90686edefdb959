"""Identity terms: naming a group is never abuse on its own.

A model trained on abusive text learns that "muslim", "gay" or "black" often occur in it, so
"Three Muslim women were elected" scores higher than it should. When a comment that names a
group reads as abusive, it is scored again with the group names replaced by "people"; the
lower of the two stands. "Muslims are vermin" stays high (the hostility is in "vermin"),
"Muslims are wonderful" comes down. The second reading runs only for comments over the
reasons threshold that name a group, so it costs nothing on most comments.
"""

from __future__ import annotations

import re
from functools import lru_cache

from belowline.triage.ngrams import tokens

__all__ = ["IDENTITY_TERMS", "group_terms", "names_a_group", "neutralise"]

IDENTITY_TERMS: tuple[str, ...] = (
    "muslim", "muslims", "islam", "islamic", "jew", "jews", "jewish", "christian", "christians",
    "catholic", "catholics", "protestant", "hindu", "hindus", "sikh", "sikhs", "buddhist",
    "atheist", "atheists", "black", "blacks", "white", "whites", "asian", "asians", "chinese",
    "indian", "indians", "african", "africans", "mexican", "mexicans", "arab", "arabs",
    "latino", "latinos", "latina", "latinas", "hispanic", "hispanics", "gay", "gays",
    "lesbian", "lesbians", "bisexual", "homosexual", "homosexuals", "heterosexual", "straight",
    "trans", "transgender", "queer", "lgbt", "lgbtq", "nonbinary", "immigrant", "immigrants",
    "refugee", "refugees", "migrant", "migrants", "indigenous", "aboriginal", "native",
    "disabled", "deaf", "blind", "elderly", "woman", "women", "female", "females", "girl",
    "girls", "man", "men", "male", "males", "feminist", "feminists", "european", "americans",
    "american", "canadian", "canadians", "japanese", "korean", "polish", "irish",
)  # fmt: skip
_IDENTITY = re.compile(r"\b(?:" + "|".join(sorted(IDENTITY_TERMS, key=len, reverse=True)) + r")\b")
_TERMS = frozenset(IDENTITY_TERMS)
_WORDS = re.compile(r"\w+")  # every term is one word, so "\b term \b" is a whole \w+ run


def group_terms(prepared: str) -> frozenset[str]:
    """The identity terms the (lowercased, folded) text names.

    A set test over the words rather than the alternation: the same answer, and a scan of one
    simple pattern instead of ninety alternatives at every word start of a long comment. The
    words are the models' own tokens (``\\w`` runs of two or more, cached for the word block
    that reads them next): every term is longer than one letter, so none is missed.
    """
    return _TERMS.intersection(tokens(prepared))


def names_a_group(prepared: str) -> bool:
    """True if the (lowercased, folded) text names an identity group."""
    return not _TERMS.isdisjoint(_WORDS.findall(prepared))


@lru_cache(maxsize=512)
def _only(terms: frozenset[str]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(terms, key=len, reverse=True)) + r")\b")


def neutralise(prepared: str, terms: frozenset[str] | None = None) -> str:
    """The text with every identity term replaced by "people".

    ``terms`` (from :func:`group_terms`) narrows the pattern to the terms present: each match
    of ``\\b term \\b`` is a whole ``\\w+`` run equal to a term, so it is one of them and
    the result is the same, from a scan of a few alternatives instead of ninety.
    """
    if terms is None:
        return _IDENTITY.sub("people", prepared)
    if not terms:
        return prepared
    return _only(terms).sub("people", prepared)
