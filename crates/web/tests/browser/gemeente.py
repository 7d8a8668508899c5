"""Browser test of the gemeente focus on real data (issue 16), in headless Chromium driven by
selenium: choose Utrecht in the header, zoom and pan the map (button, key, drag), click a wijk
and land on its profile, find a wijk by name. Run by crates/web/tests/gemeente.rs.

Usage: python gemeente.py BASE_URL SCREENSHOT_DIR
Prints one JSON object with what it saw; exits non-zero with a message when a step fails.
"""
import json
import os
import sys

from driver import chromium, console_errors
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait


def view_box(d):
    text = d.execute_script("return document.querySelector('svg.map').getAttribute('viewBox')")
    return [float(x) for x in text.split()]


def main():
    base, shots = sys.argv[1].rstrip("/"), sys.argv[2]
    os.makedirs(shots, exist_ok=True)
    d = chromium(page_load_timeout=60)
    out = {}
    try:
        wait = WebDriverWait(d, 30)
        # 1. The whole country, then Utrecht chosen in the header.
        d.get(base + "/")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.map path")))
        out["country_areas"] = len(d.find_elements(By.CSS_SELECTOR, "svg.map > a"))
        box = d.find_element(By.CSS_SELECTOR, "[data-testid=gemeente]")
        box.clear()
        box.send_keys("Utrecht")
        d.find_element(By.CSS_SELECTOR, "form.gemeente button").click()
        wait.until(ec.url_contains("gemeente="))
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.map g.faint")))
        out["focus_areas"] = len(d.find_elements(By.CSS_SELECTOR, "svg.map > a"))
        out["faint_areas"] = len(d.find_elements(By.CSS_SELECTOR, "svg.map g.faint a"))
        hrefs = d.execute_script(
            "return Array.from(document.querySelectorAll('svg.map > a')).map(a => a.getAttribute('href'))")
        out["focus_codes"] = sorted({h.split("/buurt/")[1].split("?")[0] for h in hrefs})
        out["heading"] = d.find_element(By.CSS_SELECTOR, "main h2").text
        d.execute_script("document.querySelector('.map-tools').scrollIntoView()")
        d.save_screenshot(os.path.join(shots, "11-gemeente-utrecht.png"))
        # 2. Zoom: the + button halves the view, the - key doubles it, 0 goes home; a drag pans.
        home = view_box(d)
        d.find_element(By.CSS_SELECTOR, "[data-map=in]").click()
        out["zoom_button"] = view_box(d)[2] / home[2]
        svg = d.find_element(By.CSS_SELECTOR, "svg.map")
        d.execute_script("arguments[0].focus()", svg)
        svg.send_keys("+")
        out["zoom_key"] = view_box(d)[2] / home[2]
        before = view_box(d)
        ActionChains(d).move_to_element(svg).click_and_hold().move_by_offset(120, 60).release().perform()
        after = view_box(d)
        out["pan"] = [after[0] - before[0], after[1] - before[1]]
        out["url_after_drag"] = d.current_url
        d.save_screenshot(os.path.join(shots, "12-ingezoomd.png"))
        svg.send_keys("0")
        out["home"] = view_box(d) == home
        # 3. Click a wijk of Utrecht: its profile opens.
        target = d.find_elements(By.CSS_SELECTOR, "svg.map > a path")[0]
        d.execute_script("arguments[0].scrollIntoView({block: 'center'})", target)
        target.click()
        wait.until(ec.url_contains("/buurt/"))
        out["clicked"] = d.current_url.split("/buurt/")[1].split("?")[0]
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=score]")))
        out["profile_h1"] = d.find_element(By.TAG_NAME, "h1").text
        d.save_screenshot(os.path.join(shots, "13-wijkprofiel.png"))
        # 4. Find a wijk by name on Utrecht's map.
        d.get(base + "/?gemeente=GM0344")
        q = wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "[data-testid=zoek]")))
        q.send_keys("Binnenstad")
        q.send_keys(Keys.ENTER)
        wait.until(ec.url_contains("/buurt/"))
        out["found"] = d.current_url.split("/buurt/")[1].split("?")[0]
        out["console_errors"] = console_errors(d)
    finally:
        d.quit()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
