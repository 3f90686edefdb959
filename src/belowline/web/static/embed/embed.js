// Belowline comments: paste <div data-belowline data-site="…" data-story="…"></div> and load
// this file as a module. Everything else (styles, modules, API) comes from the same origin.

const here = new URL(import.meta.url);
// Served at /embed.js (and also as /static/embed/embed.js or its hashed name): find the service root.
// The server rewrites the file names below to their content-hashed names, cached for a year.
const base = new URL(here.pathname.replace(/(static\/embed\/)?embed(\.[0-9a-f]+)?\.js$/, ""), here.origin).toString();
const assets = new URL("static/embed/", base).toString();

// The thread's styles, the dialogs' (report, notices, warnings), the reader's extras, then the
// editor tools' (announcement, Featured strip, badges, complaint answers).
const STYLESHEETS = ["embed.css", "dialogs.css", "reader.css", "featured.css"];

function loadStyles() {
  const existing = document.querySelector(`link[data-belowline-css]`);
  if (existing) return Promise.resolve();
  return Promise.all(STYLESHEETS.map(loadStylesheet));
}

function loadStylesheet(name) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL(name, assets).toString();
  link.setAttribute("data-belowline-css", name);
  return new Promise((resolve) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
    window.setTimeout(resolve, 3000);
    document.head.append(link);
  });
}

async function mount(el) {
  if (el.__belowline) return el.__belowline;
  const [{ Widget }] = await Promise.all([import(new URL("widget.js", assets).toString()), stylesReady]);
  if (el.__belowline) return el.__belowline;
  const widget = new Widget(el, base);
  el.__belowline = widget;
  await widget.start();
  return widget;
}

const stylesReady = loadStyles();

function mountAll() {
  for (const el of document.querySelectorAll("[data-belowline]")) mount(el);
}

window.Belowline = Object.assign(window.Belowline || {}, { mount, mountAll, base });
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mountAll);
else mountAll();
