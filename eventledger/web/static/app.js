// eventledger: small behaviours shared by every page. No data from documents is ever written as HTML.
(function () {
  "use strict";

  // Filters: leave empty fields out of the URL so that it names only the filters in use.
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (el) {
        if (el.name && el.type !== "checkbox" && !el.value) { el.disabled = true; }
      });
    });
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters [disabled]").forEach(function (el) { el.disabled = false; });
  });

  // Record view: bring the record's evidence into view in the document text.
  var current = document.querySelector(".doctext mark.current");
  if (current) { current.scrollIntoView({block: "center"}); }
})();
