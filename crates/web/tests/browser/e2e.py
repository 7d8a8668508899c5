"""Browser end-to-end test of the dashboard in headless Chromium (Debian's chromium and
chromium-driver, driven through WebDriver by selenium). Run by crates/web/tests/browser.rs.

Usage: python e2e.py BASE_URL SCREENSHOT_DIR
Prints one JSON object with what it saw; exits non-zero with a message when a step fails.
"""
import base64
import json
import os
import re
import sys
import urllib.request

from driver import chromium, console_errors
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait


AXE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "vendor", "axe-core-4.10.3", "axe.min.js")
AXE_RUN = """
var done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
  .then(function (r) { done(r.violations.map(function (v) {
    return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) { return n.target.join(' '); }).slice(0, 5)};
  })); })
  .catch(function (e) { done([{id: 'axe-error', impact: 'error', nodes: [String(e)]}]); });
"""


def axe(d, out, name):
    """Runs axe-core (vendored, WCAG 2.0/2.1 A and AA) on the page in the browser."""
    with open(AXE, encoding="utf-8") as f:
        d.execute_script(f.read())
    d.set_script_timeout(60)
    out.setdefault("axe", {})[name] = d.execute_async_script(AXE_RUN)


def runs_klaar(d):
    """The runs done so far, read in one script call: the page replaces the element while it
    refines the picture, so a found element can be stale before its attribute is read."""
    return int(d.execute_script(
        "return document.querySelector('#resultaat .berekening').getAttribute('data-runs-klaar')"))


def main():
    base, shots = sys.argv[1].rstrip("/"), sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    d = chromium()
    out = {}
    try:
        wait = WebDriverWait(d, 20)
        # 1. The map.
        d.get(base + "/")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.map path")))
        links = d.find_elements(By.CSS_SELECTOR, "svg.map a")
        out["map_areas"] = len(links)
        out["legend_items"] = len(d.find_elements(By.CSS_SELECTOR, ".legend li"))
        out["title"] = d.title
        out["html_lang"] = d.find_element(By.TAG_NAME, "html").get_attribute("lang")
        d.save_screenshot(os.path.join(shots, "01-kaart.png"))
        axe(d, out, "/")
        # 2. Keyboard: Tab from the top reaches the skip link, then the menu.
        body = d.find_element(By.TAG_NAME, "body")
        body.send_keys(Keys.TAB)
        out["first_tab"] = d.switch_to.active_element.text
        # 3. Click a buurt on the map: its profile opens.
        # A real mouse click in the middle of a buurt's shape; the buurt that opens is read
        # from the URL (the middle of a concave shape may lie in a neighbour).
        target = links[len(links) // 2].find_element(By.TAG_NAME, "path")
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
        target.click()
        wait.until(ec.url_contains("/buurt/"))
        code = d.current_url.split("/buurt/")[1].split("?")[0]
        score_el = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=score]")))
        out["clicked"] = code
        out["profile_score_text"] = score_el.text
        out["waarom_rows"] = len(d.find_elements(By.XPATH, "//table[caption[starts-with(., 'Waarom')]]/tbody/tr"))
        d.save_screenshot(os.path.join(shots, "02-buurtprofiel.png"))
        axe(d, out, "/buurt/" + code)
        out["waarom_bars"] = len(d.find_elements(By.CSS_SELECTOR, "[data-testid=waarom-grafiek] g.bar"))
        d.execute_script("document.querySelector('[data-testid=waarom-grafiek]').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "02c-buurtprofiel-waarom.png"))
        trend = d.find_elements(By.CSS_SELECTOR, "[data-testid=trend-grafiek] circle")
        out["trend_dots"] = len(trend)
        if trend:
            d.execute_script("document.querySelector('[data-testid=trend-grafiek]').scrollIntoView()")
            d.save_screenshot(os.path.join(shots, "02b-buurtprofiel-trend.png"))
        for testid, shot in [("rang-grafiek", "02d-buurtprofiel-rangband.png"),
                             ("componenten-grafiek", "02e-buurtprofiel-componenten.png")]:
            el = d.find_elements(By.CSS_SELECTOR, f"[data-testid={testid}]")
            out[testid] = len(d.find_elements(By.CSS_SELECTOR, f"[data-testid={testid}] circle"))
            if el:
                d.execute_script("arguments[0].scrollIntoView()", el[0])
                d.save_screenshot(os.path.join(shots, shot))
        # 4. The same number from the API.
        with urllib.request.urlopen(f"{base}/api/v1/areas/{code}") as r:
            api = json.load(r)
        out["api_score"] = api["score"]["waarde"]
        # 5. English.
        d.find_element(By.CSS_SELECTOR, "header a.lang").click()
        wait.until(lambda drv: drv.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en")
        out["english_h2"] = d.find_element(By.CSS_SELECTOR, "#h-score").text
        d.save_screenshot(os.path.join(shots, "03-profile-en.png"))
        # 6. Another map layer through the form (state in the URL).
        d.get(base + "/")
        Select(d.find_element(By.NAME, "var")).select_by_value("lisa")
        d.find_element(By.CSS_SELECTOR, "form.controls button").click()
        wait.until(ec.url_contains("var=lisa"))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.map path")))
        out["lisa_legend"] = [e.text for e in d.find_elements(By.CSS_SELECTOR, ".legend li")]
        d.save_screenshot(os.path.join(shots, "04-kaart-lisa.png"))
        # 7. Hot spots and the corporation comparison render.
        for name, path in [("05-hotspots.png", "/hotspots"), ("06-corporatiebuurten.png", "/corporatie"),
                           ("07-signaal.png", "/signaal"), ("08-methode.png", "/methode"),
                           ("09-huurmix-naar-B.png", "/huurmix?naar=B"),
                           ("09d-beleidsvariant.png", "/huurmix/beleid?variant=woz-vrijstelling")]:
            d.get(base + path)
            wait.until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
            d.save_screenshot(os.path.join(shots, name))
            axe(d, out, path)
        # 7b. The signal page leads with its quadrant scatter: a dot per classified buurt, each
        # with its numbers in a title (hover) and a link to its profile.
        d.get(base + "/signaal")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.chart circle")))
        out["signal_dots"] = len(d.find_elements(By.CSS_SELECTOR, "svg.chart circle"))
        dot = d.find_elements(By.CSS_SELECTOR, "svg.chart circle")[0]
        ActionChains(d).move_to_element(dot).perform()
        out["signal_title"] = d.execute_script(
            "return document.querySelector('svg.chart circle title').textContent")
        d.execute_script("document.querySelector('figure.chart').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "07b-signaal-grafiek.png"))
        # the chart's download: an SVG document the browser parses, with as many dots
        d.set_script_timeout(30)
        out["signal_svg"] = d.execute_async_script("""
            var done = arguments[arguments.length - 1];
            var a = document.querySelector('[data-testid=signaal-grafiek] .downloads a[download]');
            fetch(a.href).then(function (r) { return r.text(); }).then(function (t) {
              var doc = new DOMParser().parseFromString(t, 'image/svg+xml');
              done({error: doc.getElementsByTagName('parsererror').length,
                    dots: doc.getElementsByTagName('circle').length,
                    root: doc.documentElement.nodeName});
            }).catch(function (e) { done({error: String(e)}); });""")
        d.get(base + "/huurmix?naar=B")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.chart g.column")))
        out["huurmix_columns"] = len(d.find_elements(By.CSS_SELECTOR, "svg.chart g.column"))
        d.execute_script("document.querySelector('div.charts').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "09b-huurmix-grafieken.png"))
        d.execute_script("document.querySelector('[data-testid=segmenten-per-buurt]').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "09c-huurmix-segmenten-per-buurt.png"))
        out["huurmix_stack_parts"] = len(d.find_elements(By.CSS_SELECTOR, "[data-testid=segmenten-per-buurt] rect.part"))
        # the policy variant page: its map of Δ maximum rent per buurt and its charts
        d.get(base + "/huurmix/beleid?variant=woz-vrijstelling")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=variant-kaart] svg.map path")))
        out["variant_map_areas"] = len(d.find_elements(By.CSS_SELECTOR, "[data-testid=variant-kaart] svg.map path"))
        out["variant_columns"] = len(d.find_elements(By.CSS_SELECTOR, "[data-testid=variant-segmenten] svg.chart g.column"))
        d.execute_script("document.querySelector('[data-testid=variant-kaart]').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "09e-beleidsvariant-kaart.png"))
        d.get(base + "/corporatie")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.chart g.box")))
        out["corporatie_boxes"] = len(d.find_elements(By.CSS_SELECTOR, "svg.chart g.box"))
        d.execute_script("document.querySelector('figure.chart').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "06b-corporatie-spreiding.png"))
        out["corporatie_intervals"] = len(d.find_elements(By.CSS_SELECTOR, "[data-testid=verschil-grafiek] g.interval"))
        d.execute_script("document.querySelector('[data-testid=verschil-grafiek]').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "06c-corporatie-verschil.png"))
        d.get(base + "/hotspots")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.chart circle")))
        out["moran_dots"] = len(d.find_elements(By.CSS_SELECTOR, "svg.chart circle"))
        d.execute_script("document.querySelector('figure.chart').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "05b-moran-spreidingsdiagram.png"))
        # 8. Run a scenario against the baseline.
        d.get(base + "/scenarios")
        Select(d.find_element(By.NAME, "scenario")).select_by_value("spreiding")
        Select(d.find_element(By.NAME, "runs")).select_by_value("50")
        d.find_element(By.CSS_SELECTOR, "form.controls button").click()
        # with the page's script: a first picture from a few runs, refined until all are done
        WebDriverWait(d, 60).until(ec.presence_of_element_located((By.XPATH, "//caption[starts-with(., 'Regio in')]")))
        out["scenario_first_runs"] = runs_klaar(d)
        WebDriverWait(d, 60).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#resultaat .berekening[data-status=klaar]")))
        out["scenario_done_runs"] = runs_klaar(d)
        out["scenario_url"] = d.current_url.replace(base, "")
        kaart = d.find_element(By.CSS_SELECTOR, "[data-testid=verschilkaart]")
        out["verschilkaart"] = [int(kaart.get_attribute("data-getekend")), int(kaart.get_attribute("data-afgeschermd")),
                                len(kaart.find_elements(By.CSS_SELECTOR, "svg.map a"))]
        # the map put in place by the script has working zoom tools
        before = kaart.find_element(By.CSS_SELECTOR, "svg.map").get_dom_attribute("viewBox")
        kaart.find_element(By.CSS_SELECTOR, "[data-map=in]").click()
        out["verschilkaart_zoomt"] = kaart.find_element(By.CSS_SELECTOR, "svg.map").get_dom_attribute("viewBox") != before
        d.execute_script("arguments[0].scrollIntoView()", kaart)
        d.save_screenshot(os.path.join(shots, "10c-scenario-verschilkaart.png"))
        out["scenario_rows"] = len(d.find_elements(By.XPATH, "//table[caption[starts-with(., 'Regio in')]]/tbody/tr"))
        out["fans"] = len(d.find_elements(By.CSS_SELECTOR, "svg.chart g.fan"))
        d.execute_script("document.querySelector('div.fans').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "10b-scenario-waaiers.png"))
        axe(d, out, "/scenarios (doorgerekend)")
        for path in ["/?gemeente=GM9001", "/zoek?q=Het", "/buurt/BU90010903", "/?var=lisa"]:
            d.get(base + path)
            wait.until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
            axe(d, out, path)
        d.save_screenshot(os.path.join(shots, "10-scenario-spreiding.png"))
        # 9. The buurt dossier printed on A4 portrait: laid out at the printable width (210 mm
        # less 2 × 12 mm margins = 186 mm = 703 CSS px) with print styles, nothing may stick
        # out on the right; the PDF is kept beside the screenshots.
        d.get(base + "/buurt/BU90010700/dossier")
        wait.until(ec.presence_of_element_located((By.TAG_NAME, "h1")))
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                          {"width": 703, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
        out["dossier_overflow"] = d.execute_script("""
            var w = document.documentElement.clientWidth, bad = [];
            document.querySelectorAll('body *').forEach(function (e) {
              var r = e.getBoundingClientRect();
              if (r.width > 0 && r.right > w + 1 && !e.closest('svg')) bad.push(e.tagName + ' ' + (e.className || '') + ' ' + Math.round(r.right));
            });
            return {width: w, scroll: document.documentElement.scrollWidth, bad: bad.slice(0, 10)};""")
        d.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        pdf = d.execute_cdp_cmd("Page.printToPDF", {"preferCSSPageSize": True, "printBackground": True})
        data = base64.b64decode(pdf["data"])
        with open(os.path.join(shots, "11-buurtdossier-A4.pdf"), "wb") as f:
            f.write(data)
        out["dossier_pdf_pages"] = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
        boxes = [tuple(float(x) for x in m.split()) for m in re.findall(rb"/MediaBox \[([^\]]*)\]", data)]
        # A4 portrait is 595.28 × 841.89 points
        out["dossier_pdf_a4"] = bool(boxes) and all(abs(b[2] - b[0] - 595.3) < 2 and abs(b[3] - b[1] - 841.9) < 2 for b in boxes)
        out["console_errors"] = console_errors(d)
    finally:
        d.quit()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
