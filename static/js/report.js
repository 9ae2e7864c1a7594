// Reporting pages: preview of a narrative (sanitised by the server) and the print button.
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  document.querySelectorAll("[data-markdown-preview]").forEach(function (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.source);
      var target = document.getElementById(button.dataset.target);
      var body = new URLSearchParams();
      body.append("text", source ? source.value : "");
      fetch(button.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() },
        body: body,
      })
        .then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.text();
        })
        .then(function (html) { target.innerHTML = html; })  // sanitised by nh3 on the server
        .catch(function () { target.textContent = button.dataset.error; })
        .finally(function () { target.hidden = false; });
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.classList.remove("d-none");
    button.addEventListener("click", function () { window.print(); });
  });
})();

// Autosave of the section and indicator pages: a draft is saved a few seconds after the last
// keystroke and when a field is left; the status line says "Enregistré à 14 h 32" or that changes
// are not saved; leaving with unsaved changes asks first. What is typed is also kept in this
// browser until the server has it (a refused or failed save never loses it), and offered back on
// the next visit. Evidence (links, files, removals) is saved only with the page's own buttons.
(function () {
  "use strict";

  var IDLE_MS = 3000;
  var RETRY_MS = 10000;
  var SKIPPED = /-(evidence_url|evidence_label|evidence_file|remove_evidence)$/;

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function tracked(element) {
    return element.name && element.type !== "file" && element.type !== "hidden" &&
      element.type !== "submit" && !SKIPPED.test(element.name);
  }

  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var status = form.querySelector(".autosave-status");
    var storageKey = "lcp-draft:" + window.location.pathname;
    var dirty = false;
    var timer = null;
    var inFlight = false;

    function say(text) { if (status) { status.textContent = text; } }

    function fieldValues() {
      var values = {};
      Array.prototype.forEach.call(form.elements, function (element) {
        if (!tracked(element)) { return; }
        if ((element.type === "radio" || element.type === "checkbox") && !element.checked) { return; }
        values[element.name] = element.value;
      });
      return values;
    }

    function keepLocally() {
      try {
        window.localStorage.setItem(storageKey, JSON.stringify({ at: Date.now(), values: fieldValues() }));
      } catch (error) { /* storage full or disabled: the page still holds the text */ }
    }

    function forgetLocally() {
      try { window.localStorage.removeItem(storageKey); } catch (error) { /* ignored */ }
    }

    function markDirty() {
      dirty = true;
      say(form.dataset.unsaved);
      keepLocally();
      window.clearTimeout(timer);
      timer = window.setTimeout(save, IDLE_MS);
    }

    function save() {
      window.clearTimeout(timer);
      if (!dirty || inFlight || submitting) { return; }
      inFlight = true;
      say(form.dataset.saving);
      var body = new FormData(form);
      Array.from(body.keys()).forEach(function (name) {
        if (SKIPPED.test(name)) { body.delete(name); }
      });
      body.append("autosave", "1");
      dirty = false;
      fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(form) },
        body: body,
      })
        .then(function (response) {
          // The server is down or overloaded (503 while the database is unavailable, a proxy's
          // 502/504): not a refusal, keep the text and try again like when offline.
          if (response.status >= 500) { throw new Error(form.dataset.unavailable); }
          return response.json().then(function (data) { return { ok: response.ok, data: data }; });
        })
        .then(function (result) {
          var data = result.data;
          Object.keys(data.revisions || {}).forEach(function (prefix) {
            var input = form.querySelector("input[name='" + prefix + "-revision']");
            if (input && data.revisions[prefix] !== null) { input.value = data.revisions[prefix]; }
          });
          if (result.ok && data.saved) {
            say(form.dataset.saved + " " + data.time);
            if (!dirty) { forgetLocally(); }
          } else {
            dirty = true;  // refused or in conflict: nothing is lost, the page keeps it
            say(data.message || form.dataset.unsaved);
          }
        })
        .catch(function (error) {
          dirty = true;
          keepLocally();
          say(error && error.message === form.dataset.unavailable && form.dataset.unavailable ?
            form.dataset.unavailable : form.dataset.offline);
          timer = window.setTimeout(save, RETRY_MS);
        })
        .finally(function () { inFlight = false; });
    }

    var submitting = false;
    function leavingForAButton(event) {
      var next = event.relatedTarget;
      return next && next.form === form && next.type === "submit";
    }
    form.addEventListener("input", function (event) { if (tracked(event.target)) { markDirty(); } });
    form.addEventListener("change", function (event) { if (tracked(event.target)) { markDirty(); } });
    // Leaving a field saves it, unless the person is about to save the whole page.
    form.addEventListener("focusout", function (event) {
      if (tracked(event.target) && !leavingForAButton(event) && !submitting) { save(); }
    });
    form.addEventListener("submit", function () {
      submitting = true;
      dirty = false;
      window.clearTimeout(timer);
      forgetLocally();
    });
    window.addEventListener("beforeunload", function (event) {
      if (!dirty) { return; }
      event.preventDefault();
      event.returnValue = form.dataset.leave;
    });

    // "Reprendre sa version": the other person's text back into the field.
    form.querySelectorAll("[data-take-theirs]").forEach(function (button) {
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        button.closest(".conflict").querySelectorAll("[data-field]").forEach(function (cell) {
          var fields = form.querySelectorAll("[name='" + cell.dataset.field + "']");
          fields.forEach(function (field) {
            if (field.type === "radio") { field.checked = field.value === cell.dataset.value; }
            else { field.value = cell.dataset.value; }
          });
        });
        markDirty();
      });
    });

    // A draft this browser kept (the server never got it): put it back.
    try {
      var kept = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      if (kept && kept.values) {
        Object.keys(kept.values).forEach(function (name) {
          form.querySelectorAll("[name='" + name + "']").forEach(function (field) {
            if (field.type === "radio" || field.type === "checkbox") { field.checked = field.value === kept.values[name]; }
            else if (field.value !== kept.values[name]) { field.value = kept.values[name]; }
          });
        });
        markDirty();
      }
    } catch (error) { forgetLocally(); }
  });
})();
