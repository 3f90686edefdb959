// The marks beside an author's name: Staff, Expert, Journalist, Subscriber (from author.badges).

import { strings } from "./i18n.js";
import { h } from "./render.js";

const KNOWN = ["staff", "journalist", "expert", "subscriber"];

/** One chip per badge the server gave the author; an unknown badge shows as its own word. */
export function badges(author) {
  const list = author && Array.isArray(author.badges) ? author.badges : [];
  return list
    .filter((b) => typeof b === "string" && b.trim())
    .map((b) => {
      const kind = KNOWN.includes(b) ? b : "other";
      const label = (strings.badges && strings.badges[b]) || b.charAt(0).toUpperCase() + b.slice(1);
      return h(
        "span",
        {
          class: `bl-badge-role bl-badge-${kind}`,
          "data-badge": b,
          title: (strings.badgeTitles && strings.badgeTitles[b]) || null,
        },
        label,
      );
    });
}
