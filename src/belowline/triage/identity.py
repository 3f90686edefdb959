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

__all__ = ["IDENTITY_TERMS", "names_a_group", "neutralise"]

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


def names_a_group(prepared: str) -> bool:
    """True if the (lowercased, folded) text names an identity group.

    A set test over the words rather than the alternation: the same answer, and a scan of one
    simple pattern instead of ninety alternatives at every word start of a long comment.
    """
    return not _TERMS.isdisjoint(_WORDS.findall(prepared))


def neutralise(prepared: str) -> str:
    """The text with every identity term replaced by "people"."""
    return _IDENTITY.sub("people", prepared)
