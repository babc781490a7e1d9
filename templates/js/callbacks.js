// Callbacks. The menu shows how many callbacks the signed-in manager has open (and how many
// are overdue), refreshed every half minute and on coming back to the tab; the list of them
// says when that count is no longer the number it lists, with a link to reload it; a
// callback's page says when the callback changed meanwhile, and its keys 1-5 pick an action
// (reached, no answer, lost, hand over, move the due time): the key puts the cursor in that
// form, Enter sends it.
// The list opens with the most urgent callback focused.
(function () {
  "use strict";
  const cf = window.callfaq;
  const link = document.getElementById("callbacks-link");
  if (link) {
    const count = link.querySelector(".count");
    const changed = document.getElementById("callbacks-changed");
    const refresh = () => cf.send("GET", link.dataset.count).then((c) => {
      if (changed && c.open !== Number(changed.dataset.listed)) changed.hidden = false;
      count.hidden = c.open === 0;
      count.textContent = c.overdue > 0 ? c.open + " (" + c.overdue + ")" : String(c.open);
      count.classList.toggle("overdue", c.overdue > 0);
    }, () => {});
    refresh();
    setInterval(refresh, 30000);
    // Back to the tab, the count is brought up to date at once.
    window.addEventListener("focus", refresh);
  }

  // The list of callbacks opens on its first (the most urgent): Enter opens it; ↓ and ↑ go
  // from one callback to the next (Tab also passes through each one's phone).
  const opens = Array.from(document.querySelectorAll("li.callback a.open"));
  const first = opens[0];
  if (first && !document.getElementById("callback-actions") && document.activeElement === document.body) {
    first.focus({ preventScroll: true });
  }
  if (opens.length > 0 && !document.getElementById("callback-actions")) {
    document.addEventListener("keydown", (e) => {
      if (e.ctrlKey || e.altKey || e.metaKey || (e.key !== "ArrowDown" && e.key !== "ArrowUp")) return;
      const t = e.target;
      if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) return;
      const at = opens.findIndex((a) => a.closest("li") === (t && t.closest && t.closest("li.callback")));
      const next = e.key === "ArrowDown" ? Math.min(at + 1, opens.length - 1) : Math.max(at - 1, 0);
      e.preventDefault();
      opens[at < 0 ? 0 : next].focus();
    });
  }

  // A callback's page asks where the callback stands every half minute and on coming back to
  // the tab: handed over, moved or tried meanwhile (by a head, another screen), it says so and
  // names its manager now; no longer the manager's, it says whose it is, from the server.
  const watch = document.getElementById("callback-changed");
  if (watch) {
    const d = watch.dataset;
    const lead = document.querySelector("p.lead");
    const tell = (said, yours) => {
      watch.querySelector(".said").textContent = said;
      watch.querySelector("a.reload").hidden = !yours;
      watch.querySelector("a.to-list").hidden = yours;
      watch.hidden = false;
      if (lead) lead.classList.add("stale");
    };
    const check = () => cf.sendStatus("GET", d.standing).then((c) => {
      const owner = lead && lead.querySelector(".owner");
      if (owner) owner.textContent = c.owner_name || d.unassigned;
      const changed = (c.owner || "") !== d.owner || c.state !== d.state ||
        Math.floor(Date.parse(c.due) / 1000) !== Number(d.due) ||
        c.attempts !== Number(d.attempts) || c.called_again !== Number(d.again) ||
        c.missed_calls !== Number(d.missed);
      if (changed) tell(d.said, true);
    }, (e) => {
      if (e.status !== 403 && e.status !== 404) return;
      tell(e.message, false);
      // No longer theirs: the manager the page named is struck through; the message names
      // the one it has now.
      const owner = lead && lead.querySelector(".owner");
      if (owner) owner.classList.add("gone");
    });
    setInterval(check, 30000);
    window.addEventListener("focus", check);
  }

  const actions = document.getElementById("callback-actions");
  if (!actions) return;
  const forms = {};
  actions.querySelectorAll("form[data-key]").forEach((f) => { forms[f.dataset.key] = f; });
  document.addEventListener("keydown", (e) => {
    if (e.ctrlKey || e.altKey || e.metaKey) return;
    const t = e.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT")) {
      if (e.key === "Escape") t.blur();
      // Enter on a list sends its form, as it does in a text field.
      if (e.key === "Enter" && t.tagName === "SELECT" && t.form && actions.contains(t)) {
        e.preventDefault();
        t.form.requestSubmit();
      }
      return;
    }
    const form = forms[e.key];
    if (!form) return;
    e.preventDefault();
    const first = form.querySelector("input[type=text], select, button[type=submit]");
    if (first) first.focus();
    choose(form);
  });
  // The action being filled is framed, however it was reached (its key, Tab or the mouse).
  function choose(form) {
    Object.values(forms).forEach((f) => f.classList.toggle("chosen", f === form));
  }
  actions.addEventListener("focusin", (e) => {
    const form = e.target.closest("form[data-key]");
    if (form) choose(form);
  });
})();
