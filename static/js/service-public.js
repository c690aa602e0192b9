// The 营商码 pages: print the poster, copy the tracking link, and keep a form
// from being sent twice by a double tap (the server is idempotent anyway).
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var print = document.getElementById("poster-print");
    if (print) {
      print.addEventListener("click", function () { window.print(); });
    }

    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = button.getAttribute("data-copy");
        var done = function () { button.textContent = button.getAttribute("data-done-label") || button.textContent; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () {});
        }
      });
    });

    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function () {
        if (form.dataset.sent) { return; }
        form.dataset.sent = "1";
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          // Disabled after this tick, so the button's own name/value is still sent.
          window.setTimeout(function () {
            button.disabled = true;
            var label = button.getAttribute("data-busy-label");
            if (label) { button.textContent = label; }
          }, 0);
        });
      });
    });

    // Back from another page (bfcache): the forms can be sent again.
    window.addEventListener("pageshow", function (event) {
      if (!event.persisted) { return; }
      document.querySelectorAll("form[data-once]").forEach(function (form) {
        delete form.dataset.sent;
        form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = false; });
      });
    });

    // The number of files, told before the upload (the server checks again).
    document.querySelectorAll("input[type=file][data-max-files]").forEach(function (input) {
      input.addEventListener("change", function () {
        var max = parseInt(input.getAttribute("data-max-files"), 10);
        input.setCustomValidity(input.files.length > max ? (input.getAttribute("data-max-files-message") || "") : "");
      });
    });
  });
})();
