"""Browser test of the partner workspace in headless Chromium (selenium): a gemeente analyst
creates a buurt plan with a corporation and a care provider as partners, the corporation's
analyst adds a measure, the care provider's reader sees the plan read-only, and the audit
log shows both changes. Run by crates/web/tests/workspace.rs.

Usage: python workspace.py BASE_URL SCREENSHOT_DIR PASSWORD
Prints one JSON object with what it saw; exits non-zero with a message when a step fails.
"""
import json
import os
import sys

from driver import chromium, console_errors
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait


def main():
    base, shots, password = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    os.makedirs(shots, exist_ok=True)
    d = chromium(height=1400)
    wait = WebDriverWait(d, 20)
    out = {}

    def login(user):
        d.get(base + "/plans")
        wait.until(ec.url_contains("/login"))
        d.find_element(By.NAME, "gebruikersnaam").send_keys(user)
        d.find_element(By.NAME, "wachtwoord").send_keys(password)
        d.find_element(By.CSS_SELECTOR, "form[action='/login'] button").click()
        wait.until(ec.url_contains("/plans"))

    def logout():
        d.find_element(By.CSS_SELECTOR, "form[action='/logout'] button").click()
        wait.until(ec.url_contains("/login"))

    def set_date(name, value):
        el = d.find_element(By.NAME, name)
        d.execute_script("arguments[0].value = arguments[1]", el, value)

    try:
        # 1. The gemeente analyst creates the plan with two partners.
        login("gemeente.analist")
        Select(d.find_element(By.NAME, "gebied")).select_by_value("BU90010503")
        d.find_element(By.NAME, "titel").send_keys("Samen voor Kastanjehoek")
        d.find_element(By.NAME, "probleemanalyse").send_keys(
            "Veel verloop en een stijgend aandeel kwetsbare huishoudens; <script>alert(1)</script> blijft tekst.")
        for label in d.find_elements(By.CSS_SELECTOR, "form[action='/plans'] label.check"):
            if "Org corporatie" in label.text or "Org zorg" in label.text:
                label.find_element(By.TAG_NAME, "input").click()
        d.find_element(By.CSS_SELECTOR, "form[action='/plans'] button[type=submit]").click()
        wait.until(ec.url_matches(r"/plans/\d+$"))
        plan_url = d.current_url
        out["plan_id"] = int(plan_url.rsplit("/", 1)[1])
        out["snapshot_shown"] = "bevroren" in d.page_source
        d.save_screenshot(os.path.join(shots, "10-plan-gemeente.png"))
        logout()

        # 2. The corporation's analyst (partner) adds a measure of its own.
        login("corporatie.analist")
        d.get(plan_url)
        d.find_element(By.CSS_SELECTOR, "#maatregel-toevoegen summary").click()
        form = d.find_element(By.CSS_SELECTOR, "form[action$='/maatregelen']")
        form.find_element(By.NAME, "titel").send_keys("40 woningen middenhuur na renovatie")
        Select(form.find_element(By.NAME, "soort")).select_by_visible_text("woningvoorraad")
        form.find_element(By.NAME, "budget").send_keys("1.200.000")
        set_date("start", "2027-01-01")
        set_date("eind", "2029-12-31")
        form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
        wait.until(ec.presence_of_element_located((By.XPATH, "//table[caption='Maatregelen']")))
        out["corp_measure_rows"] = len(d.find_elements(By.XPATH, "//table[caption='Maatregelen']/tbody/tr"))
        out["corp_can_edit_plan"] = len(d.find_elements(By.CSS_SELECTOR, "form[action$='/bewerk']")) > 0
        d.save_screenshot(os.path.join(shots, "11-plan-corporatie.png"))
        logout()

        # 3. The care provider's reader sees everything, read-only.
        login("zorg.lezer")
        d.get(plan_url)
        wait.until(ec.presence_of_element_located((By.XPATH, "//table[caption='Maatregelen']")))
        src = d.page_source
        out["zorg_sees_measure"] = "40 woningen middenhuur na renovatie" in src
        out["zorg_forms"] = len(d.find_elements(By.CSS_SELECTOR, "main form"))
        out["zorg_read_only_note"] = len(d.find_elements(By.ID, "alleen-lezen")) == 1
        out["script_injected"] = len(d.find_elements(By.XPATH, "//main//script")) > 0
        log_rows = d.find_elements(By.XPATH, "//table[caption='Logboek']/tbody/tr")
        out["audit"] = [r.text for r in log_rows]
        d.save_screenshot(os.path.join(shots, "12-plan-zorg-lezen.png"))
        # the reader cannot reach the corporation's own stock
        d.get(base + "/huurmix")
        out["zorg_huurmix_title"] = d.find_element(By.TAG_NAME, "h1").text
        # (the refused /huurmix answers 403, which the console reports)
        out["console_errors"] = [m for m in console_errors(d) if "favicon" not in m and "403" not in m]
    except Exception as e:  # report what was seen so far
        out["error"] = repr(e)
        d.save_screenshot(os.path.join(shots, "19-fout.png"))
        print(json.dumps(out))
        sys.exit(1)
    finally:
        d.quit()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
