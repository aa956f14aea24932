// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // --- User menu: a <details> disclosure. Escape closes it and returns focus to its summary;
  // it closes as soon as focus or a click goes elsewhere, so it never covers the control that
  // has focus.
  function setUpUserMenu() {
    document.querySelectorAll("details.user-menu").forEach(function (menu) {
      var summary = menu.querySelector("summary");
      menu.addEventListener("keydown", function (event) {
        if (event.key === "Escape" && menu.open) {
          menu.open = false;
          summary.focus();
          event.preventDefault();
        }
      });
      // A mouse or finger moves focus on press, before the click: closing then would shift the
      // page under the pointer and lose the click, so pointer presses are left to the click
      // handler below and only keyboard focus closes the menu here.
      var pointerDown = false;
      document.addEventListener("pointerdown", function () { pointerDown = true; }, true);
      document.addEventListener("pointerup", function () {
        setTimeout(function () { pointerDown = false; }, 0);
      }, true);
      menu.addEventListener("focusout", function (event) {
        if (pointerDown) { return; }
        if (menu.open && event.relatedTarget && !menu.contains(event.relatedTarget)) {
          menu.open = false;
        }
      });
      document.addEventListener("click", function (event) {
        if (menu.open && !menu.contains(event.target)) { menu.open = false; }
      });
    });
    // Phone menu: without JavaScript the toggler is a link to #main-nav (CSS :target shows
    // it); with JavaScript Bootstrap's collapse takes over and it behaves as a button.
    document.querySelectorAll("a.navbar-toggler").forEach(function (toggler) {
      toggler.setAttribute("role", "button");
      toggler.addEventListener("keydown", function (event) {
        if (event.key === " ") { event.preventDefault(); toggler.click(); }
      });
    });
  }

  // --- Scrollable tables: a named, focusable region, so keyboard users can scroll them and
  // screen readers say what the region holds.
  function nameTableRegions() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      if (wrapper.hasAttribute("aria-label") || wrapper.hasAttribute("aria-labelledby")) { return; }
      var table = wrapper.querySelector("table");
      var caption = table && table.querySelector("caption");
      var name = caption ? caption.textContent : "";
      if (!name) {
        var node = wrapper.previousElementSibling;
        while (node && !/^H[1-6]$/.test(node.tagName)) { node = node.previousElementSibling; }
        if (!node) {
          var parent = wrapper.parentElement;
          node = parent && parent.querySelector("h1, h2, h3, h4");
        }
        name = node ? node.textContent : "";
      }
      name = name.replace(/\s+/g, " ").trim();
      if (name) {
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", name);
        wrapper.setAttribute("tabindex", "0");
      }
    });
  }

  // --- Drafts: what is typed in a form is kept in this browser tab (sessionStorage) until the
  // form is sent. When the session ended in between, the log-in page keeps the draft and the
  // form gets it back after logging in (WCAG 2.2.1, 2.2.5).
  var DRAFT_PREFIX = "zs-draft:";
  var body = document.body;

  function draftable(form) {
    return form.method && form.method.toLowerCase() === "post" && !form.hasAttribute("data-no-draft");
  }
  function draftKey(form) {
    var forms = Array.prototype.filter.call(document.forms, draftable);
    return DRAFT_PREFIX + location.pathname + "|" + (form.getAttribute("action") || "") + "|" +
      (form.id || forms.indexOf(form));
  }
  function keptFields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      if (!el.name || el.disabled || el.name === "csrfmiddlewaretoken") { return false; }
      var type = (el.type || "").toLowerCase();
      return ["hidden", "password", "file", "submit", "button", "reset"].indexOf(type) === -1;
    });
  }
  function readDraft(key) {
    try { return JSON.parse(sessionStorage.getItem(key) || "null"); } catch (e) { return null; }
  }
  function writeDraft(key, draft) {
    try { sessionStorage.setItem(key, JSON.stringify(draft)); } catch (e) { /* storage full or off */ }
  }
  function saveDraft(form, state) {
    var values = {};
    keptFields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        if (!values[el.name]) { values[el.name] = []; }
        if (el.checked) { values[el.name].push(el.value); }
      } else if (el.value !== "") {
        values[el.name] = el.value;
      }
    });
    var key = document.contains(form) ? draftKey(form) : form.dataset.draftKey;
    // The draft belongs to the person who typed it: on a shared computer the next person to
    // log in in this tab does not get it.
    var user = body.dataset.user || "";
    if (key) { writeDraft(key, { state: state, values: values, user: user, at: Date.now() }); }
  }
  function restoreDraft(form) {
    var key = draftKey(form);
    var draft = readDraft(key);
    if (!draft || draft.state === "submitted" || !draft.values) { return; }
    if (draft.user !== (body.dataset.user || "")) { sessionStorage.removeItem(key); return; }
    var restored = false;
    keptFields(form).forEach(function (el) {
      if (!(el.name in draft.values)) { return; }
      var value = draft.values[el.name];
      if (el.type === "checkbox" || el.type === "radio") {
        var checked = value.indexOf(el.value) !== -1;
        if (el.checked !== checked) { el.checked = checked; restored = true; }
      } else if (el.value !== value) {
        el.value = value; restored = true;
      }
    });
    if (restored && body.dataset.draftRestored) {
      var notice = document.createElement("p");
      notice.className = "alert alert-info draft-notice";
      notice.setAttribute("role", "status");
      form.parentNode.insertBefore(notice, form);
      // Filled after insertion, so screen readers announce it.
      window.setTimeout(function () { notice.textContent = body.dataset.draftRestored; }, 100);
    }
  }
  function clearDrafts() {
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var key = sessionStorage.key(i);
      if (key && key.indexOf(DRAFT_PREFIX) === 0) { sessionStorage.removeItem(key); }
    }
  }
  function setUpDrafts() {
    var onLoginPage = body.hasAttribute("data-login-page");
    // A draft marked "submitted" whose page we see again was received by the server (success
    // or a form with errors, which shows the values itself), unless we landed on the log-in page.
    for (var i = sessionStorage.length - 1; i >= 0; i--) {
      var key = sessionStorage.key(i);
      if (!key || key.indexOf(DRAFT_PREFIX) !== 0) { continue; }
      var draft = readDraft(key);
      if (!draft) { continue; }
      if (draft.state === "submitted") {
        if (onLoginPage) { draft.state = "restore"; writeDraft(key, draft); }
        else { sessionStorage.removeItem(key); }
      }
    }
    if (onLoginPage) { return; }
    Array.prototype.filter.call(document.forms, draftable).forEach(restoreDraft);
    document.addEventListener("input", function (event) {
      var form = event.target.form;
      if (form && draftable(form)) { saveDraft(form, "typing"); }
    });
    document.addEventListener("change", function (event) {
      var form = event.target.form;
      if (form && draftable(form)) { saveDraft(form, "typing"); }
    });
    document.addEventListener("submit", function (event) {
      if (event.target.hasAttribute("data-logout")) { clearDrafts(); return; }
      if (draftable(event.target)) {
        // Remember the key: an htmx answer may take the form out of the page.
        event.target.dataset.draftKey = draftKey(event.target);
        saveDraft(event.target, "submitted");
      }
    });
    // htmx forms (the inline check-in) do not load a new page: clear on success, and when the
    // session had ended (the answer is the log-in page) go there with the draft kept.
    // beforeSwap, not afterRequest: after an outerHTML swap the form is out of the page and
    // its events no longer reach the document.
    document.addEventListener("htmx:beforeSwap", function (event) {
      // The event comes from the swap target; the form that sent is requestConfig.elt.
      var source = (event.detail.requestConfig && event.detail.requestConfig.elt) || event.detail.elt;
      var form = source && source.closest && source.closest("form");
      if (!form || !draftable(form)) { return; }
      var xhr = event.detail.xhr;
      var loginUrl = body.dataset.loginUrl;
      if (xhr && loginUrl && xhr.responseURL && xhr.responseURL.indexOf(loginUrl) !== -1) {
        saveDraft(form, "restore");
        window.location.href = loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
      } else if (xhr && xhr.status >= 200 && xhr.status < 300) {
        sessionStorage.removeItem(form.dataset.draftKey || draftKey(form));
      }
    });
  }

  // --- Idle timeout warning (WCAG 2.2.1): before the session ends, an alert dialog says so
  // and offers to stay logged in; when it has ended, it says the input was kept.
  function setUpSessionWarning() {
    var timeout = parseInt(body.dataset.sessionTimeout || "0", 10);
    var lead = parseInt(body.dataset.sessionWarning || "0", 10);
    var box = document.getElementById("session-warning");
    if (!timeout || !box) { return; }
    var stay = box.querySelector("[data-stay]");
    var login = box.querySelector("[data-login]");
    var text = box.querySelector("[data-text]");
    var title = box.querySelector("[data-title]");
    var warnTimer, endTimer, returnFocus = null, ended = false;

    function hide() {
      box.hidden = true;
    }
    // Every tab of the portal records when it last talked to the server, so a tab left alone
    // does not warn while the session is kept alive in another one.
    var ACTIVITY = "zs-last-activity";
    function lastActivity() {
      try { return parseInt(localStorage.getItem(ACTIVITY) || "0", 10); } catch (e) { return 0; }
    }
    function schedule(fromOtherTab) {
      var base = Date.now();
      if (fromOtherTab) { base = lastActivity(); } else {
        try { localStorage.setItem(ACTIVITY, String(base)); } catch (e) { /* private mode */ }
      }
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      var left = timeout * 1000 - (Date.now() - base);
      warnTimer = window.setTimeout(warn, Math.max(left - lead * 1000, 1));
      endTimer = window.setTimeout(end, Math.max(left, 1));
      scheduledAt = base;
    }
    function activeElsewhere() {
      if (lastActivity() > scheduledAt) { hide(); schedule(true); return true; }
      return false;
    }
    var scheduledAt = 0;
    function warn() {
      if (activeElsewhere()) { return; }
      returnFocus = document.activeElement;
      title.textContent = box.dataset.warningTitle;
      text.textContent = box.dataset.warning;
      stay.hidden = false;
      login.hidden = true;
      box.hidden = false;
      stay.focus();
    }
    function end() {
      if (activeElsewhere()) { return; }
      ended = true;
      // Keep what was typed in every form on the page, to be restored after logging in.
      Array.prototype.filter.call(document.forms, draftable).forEach(function (form) {
        if (keptFields(form).some(function (el) { return el.value !== "" && !el.defaultValue; })) {
          saveDraft(form, "restore");
        }
      });
      title.textContent = box.dataset.endedTitle;
      text.textContent = box.dataset.ended;
      stay.hidden = true;
      login.hidden = false;
      login.href = body.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname + location.search);
      box.hidden = false;
      login.focus();
    }
    stay.addEventListener("click", function () {
      var token = box.querySelector("[name=csrfmiddlewaretoken]");
      fetch(box.dataset.keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.value : "" },
      }).then(function (response) {
        if (response.ok && !ended) {
          hide();
          schedule();
          if (returnFocus && document.contains(returnFocus)) { returnFocus.focus(); }
        } else { end(); }
      }, function () { /* network down: the warning stays, the user can try again */ });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !ended) { stay.click(); }
    });
    // Every request to the server extends the session.
    document.addEventListener("htmx:beforeSwap", function () { if (!ended) { schedule(); } });
    schedule();
  }

  // --- Dashboard filters (issue #17): folded behind "Filters" on a narrow screen, so the teams
  // are on the first screen; always open on a wide one (where the summary is hidden by CSS).
  // Without JavaScript they stay open, as before.
  function setUpFilterFold() {
    var folds = document.querySelectorAll("details.filters-fold");
    if (!folds.length || !window.matchMedia) { return; }
    var narrow = window.matchMedia("(max-width: 767.98px)");
    function apply() {
      folds.forEach(function (fold) { fold.open = !narrow.matches; });
    }
    apply();
    if (narrow.addEventListener) { narrow.addEventListener("change", apply); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    body = document.body;
    // Move keyboard and screen-reader focus to the error summary after a failed submit.
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
    setUpUserMenu();
    nameTableRegions();
    try { setUpDrafts(); } catch (e) { /* sessionStorage unavailable: forms work as before */ }
    setUpSessionWarning();
    setUpFilterFold();
    // Messages after a redirect are part of the page, so screen readers would not announce
    // them: copy their text into the (empty at load) live region once the page is ready.
    var live = document.getElementById("messages-live");
    if (live) {
      var text = Array.prototype.map.call(document.querySelectorAll(".messages .alert"), function (item) {
        return item.textContent.trim();
      }).join(" ");
      if (text) { window.setTimeout(function () { live.textContent = text; }, 250); }
    }
  });
})();
