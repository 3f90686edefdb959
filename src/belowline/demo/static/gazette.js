// Fill in comment counts on the front page and article pages with one request to Belowline.
const service = document.querySelector('meta[name="belowline-service"]')?.content;
const site = document.querySelector('meta[name="belowline-site"]')?.content;
const links = [...document.querySelectorAll("[data-comment-count]")];

function label(n) {
  return n === 1 ? "1 comment" : `${n.toLocaleString("en-GB")} comments`;
}

async function fillCounts() {
  if (!service || !site || links.length === 0) return;
  const params = new URLSearchParams();
  for (const id of new Set(links.map((a) => a.dataset.commentCount))) params.append("story", id);
  try {
    const res = await fetch(`${service}/api/v1/sites/${encodeURIComponent(site)}/counts?${params}`);
    if (!res.ok) return;
    const counts = await res.json();
    for (const a of links) {
      const n = counts[a.dataset.commentCount];
      if (typeof n === "number") a.textContent = label(n);
    }
  } catch {
    // The counts are a nicety; the page works without them.
  }
}

fillCounts();
