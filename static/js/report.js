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
