// veerkracht: the scenario page's "Doorrekenen" without leaving the page (issue 17).
// Starts a progressive computation (POST /api/v1/scenarios/jobs) and puts its result block
// (/scenarios/berekening/{id}) in #resultaat every 150 ms until it is done: a first picture
// from 4 runs, sharpening at a quarter, half and all of the runs. Without this script the forms load the
// page with the full result. No inline code: the page's CSP allows scripts from this server.
(function () {
  "use strict";
  var out = document.getElementById("resultaat");
  if (!out || !window.fetch) {
    return;
  }
  var lang = document.documentElement.lang === "en" ? "en" : "nl";
  var current = null;
  function fail(text) {
    var p = document.createElement("p");
    p.className = "fout";
    p.setAttribute("role", "alert");
    p.textContent = text;
    out.replaceChildren(p);
    out.removeAttribute("aria-busy");
  }
  function poll(id) {
    if (current !== id) {
      return; // a newer computation replaced this one
    }
    fetch("/scenarios/berekening/" + encodeURIComponent(id) + "?lang=" + lang, {
      credentials: "same-origin",
      cache: "no-store"
    }).then(function (r) {
      return r.text().then(function (t) {
        return { ok: r.ok, text: t };
      });
    }).then(function (r) {
      if (current !== id) {
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
        window.setTimeout(function () { poll(id); }, 150);
      } else {
        out.removeAttribute("aria-busy");
        document.dispatchEvent(new CustomEvent("veerkracht:berekend", { detail: status }));
      }
    }).catch(function () {
      fail(lang === "en" ? "No connection to the server." : "Geen verbinding met de server.");
    });
  }
  function start(form, body) {
    var headers = { "Content-Type": "application/json" };
    var csrf = form.querySelector("input[name=csrf]");
    if (csrf) {
      headers["X-CSRF-Token"] = csrf.value;
    }
    out.setAttribute("aria-busy", "true");
    fetch("/api/v1/scenarios/jobs", {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) {
        return { ok: r.ok, json: j };
      });
    }).then(function (r) {
      if (!r.ok) {
        fail(r.json.detail || r.json.title || "fout");
        return;
      }
      current = r.json.id;
      poll(current);
    }).catch(function () {
      fail(lang === "en" ? "No connection to the server." : "Geen verbinding met de server.");
    });
  }
  document.querySelectorAll("form[data-doorrekenen]").forEach(function (form) {
    form.addEventListener("submit", function (e) {
      var data = new FormData(form);
      var runs = parseInt(data.get("runs") || "100", 10);
      var body = { runs: runs, seed: parseInt(data.get("seed") || "1", 10) };
      if (data.get("toml") !== null) {
        body.scenario = data.get("toml");
      } else {
        body.scenario = data.get("scenario");
        // the address names the choice, as after the form without script
        var q = "?scenario=" + encodeURIComponent(body.scenario) + "&runs=" + runs;
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
