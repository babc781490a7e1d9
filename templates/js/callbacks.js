// Callbacks. The menu shows how many callbacks the signed-in manager has open (and how many
// are overdue), refreshed every half minute; on a callback's page the keys 1-5 pick an action
// (reached, no answer, lost, hand over, move the due time): the key puts the cursor in that
// form, Enter sends it.
// The list opens with the most urgent callback focused.
(function () {
  "use strict";
  const cf = window.callfaq;
  const link = document.getElementById("callbacks-link");
  if (link) {
    const count = link.querySelector(".count");
    const refresh = () => cf.send("GET", link.dataset.count).then((c) => {
      count.hidden = c.open === 0;
      count.textContent = c.overdue > 0 ? c.open + " (" + c.overdue + ")" : String(c.open);
      count.classList.toggle("overdue", c.overdue > 0);
    }, () => {});
    refresh();
    setInterval(refresh, 30000);
  }

  // The list of callbacks opens on its first (the most urgent): Enter opens it, Tab the next.
  const first = document.querySelector("li.callback a.open");
  if (first && !document.getElementById("callback-actions") && document.activeElement === document.body) {
    first.focus({ preventScroll: true });
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
    Object.values(forms).forEach((f) => f.classList.toggle("chosen", f === form));
    const first = form.querySelector("input[type=text], select, button[type=submit]");
    if (first) first.focus();
  });
})();
