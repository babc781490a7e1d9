// The answer editor: the preview follows the text as the editor types (rendered and checked on
// the server by the same rules as a save, each problem shown beside its field), a new answer's
// file name follows its title until the editor types one, a text over the size limit is
// refused before it is sent (and stays in the form), and leaving with unsaved changes asks.
(function () {
  "use strict";
  const form = document.getElementById("editor");
  if (!form) return;
  const cf = window.callfaq;
  const body = document.getElementById("edit-body");
  const title = document.getElementById("edit-title");
  const slug = document.getElementById("edit-slug");
  const previewBody = document.getElementById("preview-body");
  const previewTitle = document.getElementById("preview-title");
  const state = document.getElementById("preview-state");
  const size = document.getElementById("edit-size");
  const DEBOUNCE_MS = 250;
  let timer = null, sent = 0, shown = 0, changed = false, submitting = false;
  let slugTyped = false;

  // Enter in a one-line field goes on to the next field instead of saving an answer half
  // written (the save button, or Alt+S, saves).
  form.addEventListener("keydown", (e) => {
    const t = e.target;
    if (e.key !== "Enter" || e.isComposing || t.tagName !== "INPUT") return;
    if (t.type === "submit" || t.type === "button") return;
    e.preventDefault();
    const fields = Array.from(form.querySelectorAll("input, textarea, select, button"))
      .filter((f) => f.type !== "hidden" && !f.disabled && f.offsetParent !== null);
    const next = fields[fields.indexOf(t) + 1];
    if (next) next.focus();
  });

  // A file whose front matter could not be read is edited whole: no fields, no preview; only
  // leaving with unsaved changes asks.
  if (!body) {
    form.addEventListener("input", () => { changed = true; });
    form.addEventListener("submit", () => { submitting = true; });
    window.addEventListener("beforeunload", (e) => {
      if (changed && !submitting) { e.preventDefault(); e.returnValue = ""; }
    });
    return;
  }

  function fields() {
    const out = {};
    new FormData(form).forEach((v, k) => { if (k !== "_csrf") out[k] = String(v); });
    // An answer being edited is checked as itself (its own title is no conflict); a new one's
    // typed name is checked as a file name (free, not a word of the pages' addresses).
    if (form.dataset.slug) out.slug = form.dataset.slug;
    else { out.new_slug = out.slug || ""; delete out.slug; }
    return out;
  }

  function showProblems(problems) {
    form.querySelectorAll(".field-problem.live").forEach((e) => e.remove());
    form.querySelectorAll(".field-problem:not(.live)").forEach((e) => e.remove());
    problems.forEach((p) => {
      const input = form.querySelector('[name="' + p.field + '"]');
      const label = input && input.closest("label");
      if (!label) return;
      const span = document.createElement("span");
      span.className = "field-problem live";
      span.setAttribute("role", "alert");
      span.textContent = p.message;
      label.querySelector("span").appendChild(span);
    });
  }

  function refresh() {
    const seq = ++sent;
    state.hidden = false;
    cf.send("POST", form.dataset.preview, fields()).then((r) => {
      if (seq < shown) return;
      shown = seq;
      // Rendered and sanitized on the server, as the answer page shows it.
      previewBody.innerHTML = r.html;
      previewTitle.textContent = title.value;
      showProblems(r.problems);
      if (slug && !slugTyped && r.proposed_slug) slug.value = r.proposed_slug;
      if (seq === sent) state.hidden = true;
    }, () => { if (seq === sent) state.hidden = true; });
  }

  form.addEventListener("input", (e) => {
    changed = true;
    if (e.target === slug) slugTyped = slug.value !== "";
    clearTimeout(timer);
    timer = setTimeout(refresh, DEBOUNCE_MS);
  });

  form.addEventListener("submit", (e) => {
    const bytes = new TextEncoder().encode(body.value).length;
    if (bytes > Number(form.dataset.maxBytes)) {
      e.preventDefault();
      delete form.dataset.sending;
      size.textContent = form.dataset.tooLarge;
      size.hidden = false;
      body.focus();
      return;
    }
    size.hidden = true;
    submitting = true;
  });

  window.addEventListener("beforeunload", (e) => {
    if (changed && !submitting) { e.preventDefault(); e.returnValue = ""; }
  });
})();
