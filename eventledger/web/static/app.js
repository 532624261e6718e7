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

  // Table: one line per row; a click on a shortened evidence shows it all (and hides it again).
  document.querySelectorAll("table.events td.evidence").forEach(function (cell) {
    cell.addEventListener("click", function () { cell.classList.toggle("open"); });
  });

  // Record view: keyboard shortcuts for reviewing (a accept, r reject, n next unreviewed),
  // outside form fields and without modifier keys.
  var reviewForm = document.getElementById("review-form");
  if (reviewForm) {
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) { return; }
      if (target && (target.isContentEditable || /^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(target.tagName))) { return; }
      var button = {a: "button.accept", r: "button.reject"}[event.key];
      if (button) {
        event.preventDefault();
        reviewForm.requestSubmit(reviewForm.querySelector(button));
      } else if (event.key === "n") {
        var next = document.getElementById("next");
        if (next) { event.preventDefault(); window.location.assign(next.getAttribute("href")); }
      }
    });
  }

  // Record view: bring the record's evidence into view in the document text.
  var current = document.querySelector(".doctext mark.current");
  if (current) { current.scrollIntoView({block: "center"}); }
})();
