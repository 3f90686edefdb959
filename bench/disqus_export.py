"""A synthetic Disqus XML export: N comments over N/100 threads, replies, late parents.

Usage: python bench/disqus_export.py OUT.xml [--comments 200000] [--seed 7]
Then: /usr/bin/time -v belowline import disqus OUT.xml --site SITE
"""

from __future__ import annotations

import argparse
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

_WORDS = [
    "council",
    "ferry",
    "bridge",
    "budget",
    "harbour",
    "library",
    "school",
    "bus",
    "road",
    "market",
    "hall",
    "river",
    "rain",
    "vote",
    "plan",
    "cost",
    "years",
    "people",
    "town",
    "new",
    "old",
    "fair",
    "late",
    "early",
    "open",
    "closed",
    "really",
    "think",
    "agree",
    "disagree",
    "again",
    "never",
    "always",
    "local",
    "trust",
    "report",
    "meeting",
    "week",
    "summer",
    "winter",
]
HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
)


def _sentence(rng: random.Random) -> str:
    words = rng.choices(_WORDS, k=rng.randint(6, 40))
    return " ".join(words).capitalize() + "."


def write(path: Path, *, comments: int, seed: int = 7) -> None:
    """Write the export (streamed to disk; the generator itself holds O(threads))."""
    rng = random.Random(seed)
    threads = max(1, comments // 100)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    with path.open("w", encoding="utf-8") as out:
        out.write(HEAD)
        for t in range(threads):
            out.write(
                f'  <thread dsq:id="{t + 1}">\n    <id>story-{t + 1}</id>\n'
                f"    <forum>bench</forum>\n"
                f"    <link>https://bench.example/news/story-{t + 1}/</link>\n"
                f"    <title>Story {t + 1}</title>\n"
                f"    <createdAt>{(start + timedelta(hours=t)):%Y-%m-%dT%H:%M:%SZ}</createdAt>\n"
                "    <isClosed>false</isClosed>\n    <isDeleted>false</isDeleted>\n  </thread>\n"
            )
        recent: dict[int, list[int]] = {}
        for i in range(comments):
            cid = 10_000_000 + i
            thread = rng.randrange(threads) + 1
            siblings = recent.setdefault(thread, [])
            parent = ""
            if siblings and rng.random() < 0.4:
                parent = f'    <parent dsq:id="{rng.choice(siblings)}" />\n'
            elif rng.random() < 0.01:  # a reply written out before its parent
                parent = f'    <parent dsq:id="{cid + 1}" />\n'
            siblings.append(cid)
            del siblings[:-20]
            user = rng.randrange(comments // 10 + 1)
            when = start + timedelta(hours=thread, minutes=i % 50_000)
            deleted = "true" if rng.random() < 0.02 else "false"
            out.write(
                f'  <post dsq:id="{cid}">\n    <id />\n'
                f"    <message><![CDATA[<p>{_sentence(rng)}</p>"
                f"<p>{_sentence(rng)}</p>]]></message>\n"
                f"    <createdAt>{when:%Y-%m-%dT%H:%M:%SZ}</createdAt>\n"
                f"    <isDeleted>{deleted}</isDeleted>\n    <isSpam>false</isSpam>\n"
                f"    <author>\n      <email>reader{user}@mail.example</email>\n"
                f"      <name>Reader {user}</name>\n      <isAnonymous>false</isAnonymous>\n"
                f"      <username>reader{user}</username>\n    </author>\n"
                f'    <thread dsq:id="{thread}" />\n{parent}  </post>\n'
            )
        out.write("</disqus>\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--comments", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write(args.out, comments=args.comments, seed=args.seed)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB, {args.comments} comments)")


if __name__ == "__main__":
    main()
