"""Headless Chromium for the browser tests: Debian's chromium and chromium-driver (overridable
with CHROMIUM and CHROMEDRIVER), driven through WebDriver by selenium."""
import os

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium(height=1000, page_load_timeout=30):
    """A headless Chromium window 1280 wide, Dutch first."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              f"--window-size=1280,{height}", "--lang=nl"]:
        opts.add_argument(a)
    d = webdriver.Chrome(options=opts, service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
    d.set_page_load_timeout(page_load_timeout)
    return d


def console_errors(d):
    """The browser console's errors so far (a CSP violation is one)."""
    return [e["message"] for e in d.get_log("browser") if e.get("level") == "SEVERE"]
