// The schedule editor: add and remove weekly blocks and dated exceptions without a round trip.

function addRow(listId, templateId) {
  const list = document.getElementById(listId);
  const template = document.getElementById(templateId);
  if (!list || !template) return;
  let html = template.innerHTML;
  if (list.dataset.next !== undefined) {
    const index = Number(list.dataset.next) || 0;
    list.dataset.next = String(index + 1);
    html = html.replaceAll("__i__", String(index));
  }
  const holder = document.createElement("div");
  holder.innerHTML = html.trim();
  const row = holder.firstElementChild;
  list.append(row);
  row.querySelector("input:not([type=hidden]), select")?.focus();
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-sched]");
  if (!button) return;
  const op = button.dataset.sched;
  if (op === "add-block") addRow("block-rows", "block-template");
  else if (op === "add-exception") addRow("exception-rows", "exception-template");
  else if (op === "remove") {
    const row = button.closest("[data-sched-row]");
    const next = row?.nextElementSibling || row?.previousElementSibling;
    const fieldset = row?.closest("fieldset");
    row?.remove();
    (next?.querySelector("[data-sched='remove']") || fieldset?.querySelector("[data-sched^='add']"))?.focus();
  }
});
