// Call cards. On both cards the end-of-call fields (manager, callback) show when the outcome
// needs them. The new-call card recognises a returning caller as the phone or company is typed:
// their name and company are proposed (kept as the operator types them otherwise) and their
// last calls are listed.
(function () {
  "use strict";
  const cf = window.callfaq;
  document.querySelectorAll("form.card").forEach((form) => {
    const blocks = form.querySelectorAll("[data-when]");
    if (blocks.length === 0) return;
    // `data-when="outcome:transferred callback"`: shown while the field has one of the values;
    // conditions joined by `;` must all hold (an empty value: the field is not chosen).
    function update() {
      blocks.forEach((b) => {
        b.hidden = !b.dataset.when.split(";").every((condition) => {
          const [field, values] = condition.split(":");
          const el = form.elements[field];
          return values.split(" ").includes(el ? el.value : "");
        });
      });
    }
    form.addEventListener("change", update);
    update();
  });

  // A time typed or pasted in «Точное время» is the one meant: its choice is ticked with it
  // (a ticked preset would win otherwise, and the typed time be lost). Passing through the box
  // with Tab changes nothing: the preset chosen stays the one saved.
  document.querySelectorAll("#callback-due").forEach((input) => {
    const exact = input.form && input.form.querySelector("input[name=callback_when][value=exact]");
    if (!exact) return;
    input.addEventListener("input", () => { if (input.value.trim() !== "") exact.checked = true; });
    // Chosen with the mouse, the time is typed next: the cursor goes there. (Arrow keys through
    // the choices leave it on them.)
    (exact.closest("label") || exact).addEventListener("pointerup", () =>
      setTimeout(() => { if (exact.checked && document.activeElement !== input) input.focus(); }, 0));
    // Reached with the arrow keys, typing the time there writes it in the time's field.
    exact.addEventListener("keydown", (e) => {
      if (e.key.length !== 1 || e.ctrlKey || e.altKey || e.metaKey || e.key === " ") return;
      e.preventDefault();
      input.focus();
      input.value += e.key;
      input.dispatchEvent(new Event("input", { bubbles: true }));
    });
  });

  // A number the operator types is one they read back: the checkbox follows, unless they
  // untick it themselves; only a way to call back (an e-mail, or a phone of at least 10
  // digits, as the desk's figures count a contact) ticks it.
  // A number typed with +7 is whole with ten digits after it.
  const reachable = (text) => {
    if (text.includes("@")) return true;
    const digits = (text.match(/[0-9]/g) || []).length;
    return text.startsWith("+7") ? digits === 11 : digits >= 10;
  };
  document.querySelectorAll("#phone, #card-phone").forEach((input) => {
    const box = document.getElementById("contact-confirmed");
    if (!box) return;
    // Ticked by itself, it says so beside it: a person who reads the number back and then
    // clicks it would untick it otherwise.
    const note = box.parentElement.querySelector(".auto-ticked");
    box.addEventListener("change", () => { box.dataset.touched = "1"; if (note) note.hidden = true; });
    input.addEventListener("input", () => {
      if (box.dataset.touched) return;
      box.checked = reachable(input.value.trim());
      if (note) note.hidden = !box.checked;
    });
  });

  // «Saved» is said once: a reload of the page does not say it again; it is said in view.
  const savedNote = document.getElementById("card-saved");
  if (savedNote) {
    window.history.replaceState(null, "", location.pathname + location.hash);
    savedNote.scrollIntoView({ block: "nearest" });
    // In one column the question box, taking the cursor, scrolls the page after this: the note
    // is brought back into view then, the box under it.
    if (window.matchMedia("(max-width: 60rem)").matches) {
      window.addEventListener("load", () => requestAnimationFrame(() => savedNote.scrollIntoView({ block: "start" })));
    }
  }

  // A refused card: the cursor goes to the field at fault, and what is wrong with it is said
  // right under it (the card's pane scrolls, and the message above it would be out of view).
  // A list (the manager, the outcome) is found by the field the refusal names.
  const said = document.getElementById("card-error");
  // A card refused because a colleague saved the same fields meanwhile: what is saved now, said
  // under the row of fields at fault, in full width, and said until the card is saved.
  const clash = said && said.classList.contains("changed");
  const named = said && said.dataset.field && said.closest("form");
  const wrong = document.querySelector("form.card [aria-invalid=true]") ||
    (named ? named.querySelector('[name="' + said.dataset.field + '"]:not([type=hidden])') : null);
  if (wrong) {
    wrong.setAttribute("aria-invalid", "true");
    const place = wrong.closest("label, fieldset");
    if (said && place) {
      // A field of the card's grid takes the message inside its own cell, under the input; a
      // choice in a fieldset, right after that choice.
      const inGrid = place.parentElement && place.parentElement.classList.contains("fields");
      if (inGrid && clash) place.parentElement.insertAdjacentElement("afterend", said);
      else if (inGrid) place.appendChild(said);
      else place.insertAdjacentElement("afterend", said);
      wrong.form.querySelectorAll("[aria-invalid=true]").forEach((f) => f.setAttribute("aria-describedby", "card-error"));
      wrong.setAttribute("aria-describedby", "card-error");
      // Once the field is mended, what was wrong with it is no longer said (a due time read
      // as it is typed says the rest).
      const mended = () => {
        said.hidden = true;
        wrong.removeAttribute("aria-invalid");
        wrong.removeAttribute("aria-describedby");
      };
      if (!clash) {
        wrong.addEventListener("input", mended, { once: true });
        wrong.addEventListener("change", mended, { once: true });
      }
    }
    // What else is wrong with the card, each said under its own field too, and gone once
    // that field is mended.
    document.querySelectorAll(".card-error-also").forEach((also) => {
      const form = also.closest("form") || wrong.form;
      const field = form && form.querySelector('[name="' + also.dataset.field + '"]:not([type=hidden])');
      const cell = field && field.closest("label, fieldset");
      if (!cell) return;
      field.setAttribute("aria-invalid", "true");
      if (!also.id) also.id = "card-error-" + also.dataset.field;
      field.setAttribute("aria-describedby", also.id);
      const inGrid = cell.parentElement && cell.parentElement.classList.contains("fields");
      if (inGrid) cell.appendChild(also); else cell.insertAdjacentElement("afterend", also);
      const gone = () => { also.hidden = true; field.removeAttribute("aria-invalid"); field.removeAttribute("aria-describedby"); };
      field.addEventListener("input", gone, { once: true });
      field.addEventListener("change", gone, { once: true });
    });
    wrong.focus();
    // The cursor after what was typed, to mend its end.
    if (typeof wrong.value === "string" && wrong.setSelectionRange && /^(text|tel|email|search|textarea)$/.test(wrong.type)) {
      try { wrong.setSelectionRange(wrong.value.length, wrong.value.length); } catch (err) { /* not a text field */ }
    }
    wrong.scrollIntoView({ block: "center" });
  }

  // The script says what the card knows: as its fields are typed or chosen, each phrase is said
  // again by the server's rule (`desk::Phrase::say`): the first of its ways whose values are all
  // known, or else its text with each unknown value in brackets.
  const phrases = document.querySelector("details.script .phrases");
  const cardForm = document.querySelector("form.card");
  if (phrases && cardForm) {
    const known = JSON.parse(phrases.dataset.values || "{}");
    const blanks = JSON.parse(phrases.dataset.blanks || "{}");
    const names = Object.keys(blanks);
    // A number read back in groups, by the server's rule (`calls::phone::spoken`).
    const spoken = (phone) => {
      const digits = phone.replace(/\D/g, "");
      const groups = (d) => d.slice(0, 3) + " " + d.slice(3, 6) + "-" + d.slice(6, 8) + "-" + d.slice(8, 10);
      if (phone.includes("@")) return phone;
      if (digits.length === 11 && digits[0] === "8") return "8 " + groups(digits.slice(1));
      if (digits.length === 11 && digits[0] === "7") return "+7 " + groups(digits.slice(1));
      if (digits.length === 10 && !phone.trim().startsWith("+")) return groups(digits);
      return phone;
    };
    const values = () => {
      const v = Object.assign({}, known);
      names.forEach((n) => {
        const field = cardForm.elements[n];
        // A choice says its label (a manager's name, not their login).
        if (field && field.tagName === "SELECT") v[n] = field.value ? field.options[field.selectedIndex].text : null;
        else if (field && typeof field.value === "string") v[n] = field.value.trim() || null;
      });
      if (v.phone) v.phone = spoken(v.phone);
      return v;
    };
    const say = (ways, v) => {
      // A value in quotes of its own («ООО «Ромашка»») drops the script's quotes around it
      // (`desk::put`).
      const put = (out, n, value) => {
        const bare = /[«»"„“”]/.test(value) ? out.split("«{" + n + "}»").join("{" + n + "}") : out;
        return bare.split("{" + n + "}").join(value);
      };
      const fill = (text, blank) => names.reduce((out, n) => put(out, n, v[n] || blank(n)), text);
      const way = ways.find((text) => names.every((n) => !text.includes("{" + n + "}") || v[n]));
      return way !== undefined ? fill(way, () => "") : fill(ways[0] || "", (n) => blanks[n]);
    };
    const sayAll = () => {
      const v = values();
      phrases.querySelectorAll("li[data-say]").forEach((li) => {
        li.querySelector(".phrase").textContent = say(JSON.parse(li.dataset.say), v);
      });
    };
    cardForm.addEventListener("input", sayAll);
    cardForm.addEventListener("change", sayAll);
    sayAll();
  }

  // A value proposed from the caller's earlier calls (`data-proposed`) is chosen whole when the
  // cursor comes to it, so that typing the name the caller gives replaces it; typed, it is the
  // operator's.
  document.addEventListener("focusin", (e) => {
    const f = e.target;
    if (f.matches && f.matches("input[data-proposed]") && f.value === f.dataset.proposed) f.select();
  });
  document.addEventListener("input", (e) => {
    if (e.target.dataset && e.target.dataset.proposed !== undefined) delete e.target.dataset.proposed;
  });
  document.querySelectorAll("input[data-proposed]").forEach((f) => {
    if (document.activeElement === f && f.value === f.dataset.proposed) f.select();
  });

  const card = document.getElementById("new-call");
  if (!card) return;
  const promisedLine = document.getElementById("caller-promised");
  const phone = document.getElementById("phone");
  const company = document.getElementById("company");
  const name = document.getElementById("name");
  const callerHistory = document.getElementById("caller-history");
  const outcomes = JSON.parse(card.dataset.outcomes || "{}");
  let timer = null;
  let asked = 0;

  function propose(field, value) {
    if (!value) return;
    if (field.value === "" || field.value === field.dataset.proposed) {
      field.value = value;
      field.dataset.proposed = value;
      field.classList.add("proposed");
      field.title = card.dataset.proposed;
      if (document.activeElement === field) field.select();
    }
  }

  [name, company].forEach((field) => field.addEventListener("input", () => {
    // Typed by the operator: no longer a proposal, and kept.
    delete field.dataset.proposed;
    field.classList.remove("proposed");
    field.title = "";
  }));

  function lookup() {
    const p = phone.value.trim();
    const c = company.dataset.proposed ? "" : company.value.trim();
    const seq = ++asked;
    if (!p && !c) { callerHistory.hidden = true; promisedLine.hidden = true; return; }
    const exchange = card.elements.exchange ? card.elements.exchange.value : "";
    cf.send("GET", card.dataset.caller + "?phone=" + encodeURIComponent(p) + "&company=" + encodeURIComponent(c) +
      (exchange ? "&exchange=" + encodeURIComponent(exchange) : ""))
      .then((body) => {
        if (seq !== asked) return;
        if (body.callback) {
          const day = cf.when(body.callback.due, card.dataset.zone, { day: true });
          const at = cf.when(body.callback.due, card.dataset.zone, { time: true });
          const late = body.callback.overdue ? card.dataset.overdue : card.dataset.waiting;
          // Whose it is now (the call it was promised on says so too where it was handed over).
          const owner = " · " + card.dataset.manager + ": " + (body.callback.owner_name || card.dataset.unassigned);
          promisedLine.innerHTML = "<strong>" + cf.escapeText(card.dataset.promised.replace("{}", day).replace("{}", at)) + "</strong> " +
            cf.escapeText(late) + cf.escapeText(owner);
          promisedLine.classList.toggle("overdue", body.callback.overdue);
          promisedLine.hidden = false;
        } else {
          promisedLine.hidden = true;
        }
        if (!body.returning) { callerHistory.hidden = true; return; }
        propose(name, body.name);
        propose(company, body.company);
        card.dispatchEvent(new Event("change"));
        const time = (iso, withDay) => cf.when(iso, card.dataset.zone, { day: withDay, time: true });
        // What the operator needs at a glance: when, how it ended, with whom, what was asked.
        const rows = body.calls.slice(0, 3).map((call) => {
          const outcome = call.outcome ? " · <strong>" + cf.escapeText(outcomes[call.outcome] || call.outcome) + "</strong>" : "";
          const manager = call.manager ? " · " + cf.escapeText(call.manager_name || call.manager) : "";
          // A callback made says so, not the time it was promised for.
          const due = call.called_back ? " · ✓ " + cf.escapeText(card.dataset.calledBack)
            : call.callback_due ? " · " + cf.escapeText(card.dataset.due) + " " + cf.escapeText(time(call.callback_due, true)) : "";
          const asked = call.questions.slice(0, 3);
          const asks = asked.map((q) => cf.quoted(q.text) + (q.title ? " → " + cf.escapeText(q.title) : "")).join("; ") +
            (call.questions.length > asked.length ? "; …" : "");
          return "<li>" + cf.escapeText(time(call.started_at, true)) + outcome + manager + due + (asks ? " — " + asks : "") + "</li>";
        }).join("");
        // Known by the company alone, the calls were its other people's, not this caller's.
        const key = (v) => String(v || "").includes("@") ? String(v).trim().toLowerCase() : String(v || "").replace(/\D/g, "").slice(-10);
        const typed = key(p);
        const same = typed.length >= 7 && body.calls.some((call) => key(call.phone) === typed);
        const said = same || !c ? card.dataset.returning.replace("{}", body.calls.length)
          : card.dataset.returningCompany.replace("{}", c).replace("{}", body.calls.length);
        callerHistory.innerHTML = "<strong>" + cf.escapeText(said) + "</strong><ul>" + rows + "</ul>";
        callerHistory.hidden = false;
      }, () => {});
  }

  function soon() { clearTimeout(timer); timer = setTimeout(lookup, 250); }
  phone.addEventListener("input", soon);
  company.addEventListener("input", soon);
  if (phone.value.trim()) lookup();
})();
