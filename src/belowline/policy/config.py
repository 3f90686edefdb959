"""The site's moderation policy settings over the defaults: thresholds per coverage level, report
hiding, brigade detection, SLA hours and the repeat-offender ladder. Read by the post policy, the
report policy, the SLA clocks and the offenders ladder, so it sits below all of them.
"""

from __future__ import annotations

import copy
from typing import Any

from belowline.stories.models import Site

SETTINGS_KEY = "moderation_policy"

# Thresholds per coverage level. While moderators are on full duty nothing is held for abuse
# (post-moderation: it is published and flagged, with a one-hour SLA). A banned word sets the
# abuse score to at least 0.95, so it is held outside full coverage (or rejected outright if the
# site opts in). Chosen from eval/evaluate.py's held-out figures (docs/triage.md):
# - abuse flag 0.3 at full: the knee of held-out Wikipedia recall (0.36; 0.19 at 0.6), 1 % of
#   ordinary comments flagged; 0.4 at part/none, where fewer people work the queue (0.31, 0.8 %).
# - abuse hold: precision never passes ~0.7 at 5 % abusive on Wikipedia, so 0.8 is out of
#   reach. Part holds at 0.95 (banned words and the model's surest; the highest that still
#   holds banned words). None holds at 0.7, above the suspect-word floor (0.6), where both
#   Wikipedia and tweets reach precision 0.6 at 5 % abusive and 0.13 % of ordinary comments
#   are held.
# - spam flag 0.5: precision 0.99 on YouTube, 0.35 % of Wikipedia comments; hold 0.6 outside
#   full coverage: no ham held on YouTube, 0.16 % of Wikipedia comments, recall 0.20.
# - off-topic does not flag by default: on built sets its flags are right about 2 times in 3
#   at an even off-topic rate (1 in 10 at 5 %). A site can still set a flag threshold.
DEFAULT_POLICY: dict[str, Any] = {
    "thresholds": {
        "full": {
            "abuse": {"flag": 0.3, "hold": None},
            "spam": {"flag": 0.5, "hold": 0.95},
            "off_topic": {"flag": None, "hold": None},
        },
        "part": {
            "abuse": {"flag": 0.4, "hold": 0.95},
            "spam": {"flag": 0.5, "hold": 0.6},
            "off_topic": {"flag": None, "hold": None},
        },
        "none": {
            "abuse": {"flag": 0.4, "hold": 0.7},
            "spam": {"flag": 0.5, "hold": 0.6},
            "off_topic": {"flag": None, "hold": None},
        },
    },
    "reject_banned_words": False,
    "report_hide_weight": {"full": None, "part": 3.0, "none": 2.0},
    "brigade": {"window_minutes": 60, "min_reports": 3, "low_trust_weight": 0.6},
    "sla_hours": {"full": 1, "part": 4, "none": 12},
    # Notices from anyone (DSA Art. 16) wait in their own queue with their own clock.
    "notice_sla_hours": {"full": 4, "part": 12, "none": 24},
    "repeat_offenders": [
        {"removals": 3, "within_days": 30, "premoderate_days": 7, "prompt_suspension": True}
    ],
}

# Which community rule an automated step cites, by the signal that triggered it.
RULE_FOR = {
    "abuse": "respect",
    "spam": "no-spam",
    "off_topic": "on-topic",
    "abusive": "respect",
    "untrue": "truthful",
    "other": "respect",
}


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


_CONFIG_CACHE: dict[str, tuple[Any, dict[str, Any]]] = {}


def policy_config(site: Site) -> dict[str, Any]:
    """The site's policy: its `moderation_policy` settings over the defaults."""
    raw = (site.settings or {}).get(SETTINGS_KEY) or {}
    cached = _CONFIG_CACHE.get(site.id)
    if cached is not None and cached[0] == raw:
        return cached[1]
    merged = _merge(DEFAULT_POLICY, raw if isinstance(raw, dict) else {})
    _CONFIG_CACHE[site.id] = (copy.deepcopy(raw), merged)
    return merged
