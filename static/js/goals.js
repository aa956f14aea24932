// Team goals: progressive enhancement only; the forms work without this file.
(function () {
  "use strict";

  // Goal form: show only the fields that fit how progress is measured.
  function syncMeasureFields(form) {
    var checked = form.querySelector('input[name="measure_type"]:checked');
    if (!checked) { return; }
    var show = {
      number: ["unit", "start_value", "target_value"],
      percentage: ["start_value", "target_value"],
      milestone: []
    }[checked.value] || [];
    ["unit", "start_value", "target_value"].forEach(function (name) {
      var wrapper = document.getElementById("div_id_" + name);
      if (wrapper) { wrapper.hidden = show.indexOf(name) === -1; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.goal-form").forEach(function (form) {
      syncMeasureFields(form);
      form.addEventListener("change", function (event) {
        if (event.target.name === "measure_type") { syncMeasureFields(form); }
      });
    });
  });

  // Inline check-in (htmx): after the swap, move focus to the confirmation or the errors,
  // so keyboard and screen-reader users hear what happened.
  document.addEventListener("htmx:afterSettle", function () {
    var live = document.getElementById("goal-live");
    var focus = live && (live.querySelector("#error-summary") || live.querySelector("#goal-notice"));
    if (focus) { focus.focus(); }
  });

  // A session that ran out answers an inline post with the log-in page: go there instead of
  // putting that page inside the goal page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/account/login/") !== -1) {
      event.detail.shouldSwap = false;
      window.location.href = xhr.responseURL;
    }
  });

  // The server refused or failed (403, 500, no network): say so next to the form.
  function showFailure(event) {
    var form = event.detail.elt && event.detail.elt.closest("form[data-error-message]");
    if (!form) { return; }
    var note = form.querySelector(".inline-failure");
    if (!note) {
      note = document.createElement("p");
      note.className = "alert alert-danger inline-failure";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = form.getAttribute("data-error-message");
  }
  document.addEventListener("htmx:responseError", showFailure);
  document.addEventListener("htmx:sendError", showFailure);
})();
