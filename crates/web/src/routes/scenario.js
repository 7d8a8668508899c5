// veerkracht: the scenario page's "Doorrekenen" without leaving the page (issue 17).
// Starts a progressive computation (POST /api/v1/scenarios/jobs) and puts its result block
// (/scenarios/berekening/{id}) in #resultaat until it is done: a first picture from 4 runs,
// sharpening at a quarter, half and all of the runs. Every 150 ms it asks whether a newer
// picture is there (`gezien` = the runs of the one shown; 204 = not yet), so the block is
// replaced only when it changes. A new run stops the one it replaces. Without this script
// (or when the server refuses the start) the forms load the page with the full result. No
// inline code: the page's CSP allows scripts from this server only.
(function () {
  "use strict";
  var out = document.getElementById("resultaat");
  if (!out || !window.fetch) {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var csrf = out.getAttribute("data-csrf") || "";
  var current = null;
  function headers(json) {
    var h = {};
    if (json) {
      h["Content-Type"] = "application/json";
    }
    if (csrf) {
      h["X-CSRF-Token"] = csrf;
    }
    return h;
  }
  function fail(text) {
    var p = document.createElement("p");
    p.className = "fout";
    p.setAttribute("role", "alert");
    p.textContent = text;
    out.replaceChildren(p);
    out.removeAttribute("aria-busy");
  }
  function stop(id) {
    fetch("/api/v1/scenarios/jobs/" + encodeURIComponent(id), {
      method: "DELETE",
      credentials: "same-origin",
      headers: headers(false)
    }).catch(function () {});
  }
  function poll(id, seen) {
    if (current !== id) {
      return; // a newer computation replaced this one
    }
    var url = "/scenarios/berekening/" + encodeURIComponent(id) + "?lang=" + lang;
    if (seen !== null) {
      url += "&gezien=" + seen;
    }
    fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
      if (r.status === 204) {
        return { same: true };
      }
      return r.text().then(function (t) {
        return { ok: r.ok, text: t };
      });
    }).then(function (r) {
      if (current !== id) {
        return;
      }
      if (r.same) {
        window.setTimeout(function () { poll(id, seen); }, 150);
        return;
      }
      if (!r.ok) {
        fail(lang === "en" ? "The computation was lost; run it again." : "De berekening is niet meer beschikbaar; reken opnieuw.");
        return;
      }
      out.innerHTML = r.text;
      document.dispatchEvent(new CustomEvent("veerkracht:nieuw"));
      var root = out.firstElementChild;
      var status = root ? root.getAttribute("data-status") : "fout";
      if (status === "bezig") {
        var runs = root.getAttribute("data-runs-klaar");
        window.setTimeout(function () { poll(id, runs); }, 150);
      } else {
        out.removeAttribute("aria-busy");
      }
    }).catch(function () {
      fail(lang === "en" ? "No connection to the server." : "Geen verbinding met de server.");
    });
  }
  function start(form, body) {
    if (current !== null) {
      stop(current);
      current = null;
    }
    out.setAttribute("aria-busy", "true");
    fetch("/api/v1/scenarios/jobs", {
      method: "POST",
      credentials: "same-origin",
      headers: headers(true),
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.text().then(function (t) {
        var j = null;
        try {
          j = JSON.parse(t);
        } catch (e) {
          j = null;
        }
        return { ok: r.ok, status: r.status, json: j };
      });
    }).then(function (r) {
      if (r.ok && r.json && r.json.id) {
        current = r.json.id;
        poll(current, null);
      } else if (r.status === 401 || r.status === 403) {
        // not allowed this way (session, token): the form the ordinary way
        form.submit();
      } else {
        fail((r.json && (r.json.detail || r.json.title)) || ("HTTP " + r.status));
      }
    }).catch(function () {
      fail(lang === "en" ? "No connection to the server." : "Geen verbinding met de server.");
    });
  }
  document.querySelectorAll("form[data-doorrekenen]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      var data = new FormData(form);
      var runs = parseInt(data.get("runs") || "100", 10);
      var body = { runs: runs, seed: parseInt(data.get("seed") || "1", 10) };
      if (data.get("basis")) {
        body.basis = data.get("basis");
      }
      if (data.get("toml") !== null) {
        body.scenario = data.get("toml");
      } else {
        body.scenario = data.get("scenario");
        // the address names the choice, as after the form without script
        var q = "?scenario=" + encodeURIComponent(body.scenario) + "&runs=" + runs;
        if (body.seed !== 1) {
          q += "&seed=" + body.seed;
        }
        if (body.basis) {
          q += "&basis=" + encodeURIComponent(body.basis);
        }
        if (lang === "en") {
          q += "&lang=en";
        }
        window.history.replaceState(null, "", "/scenarios" + q);
      }
      e.preventDefault();
      start(form, body);
    });
  });
})();
