"""Times the first render of a dashboard page in headless Chromium: navigation start to the
load event (the server-rendered SVG map is complete then), median of RUNS fresh loads.

Usage: python bench/web_render.py URL [RUNS]
"""
import json
import os
import statistics
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

url = sys.argv[1]
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
opts = webdriver.ChromeOptions()
opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
          "--window-size=1280,1000", "--disable-application-cache", "--incognito"]:
    opts.add_argument(a)
d = webdriver.Chrome(options=opts, service=Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")))
times, sizes = [], []
try:
    for _ in range(runs + 1):
        d.execute_cdp_cmd("Network.clearBrowserCache", {})
        d.get(url)
        paths = len(d.find_elements(By.CSS_SELECTOR, "svg.map path"))
        t = d.execute_script(
            "const n = performance.getEntriesByType('navigation')[0];"
            "return [n.loadEventEnd - n.startTime, n.transferSize, n.decodedBodySize];")
        times.append(t[0])
        sizes.append((t[1], t[2]))
finally:
    d.quit()
times = times[1:]  # the first load starts the browser's caches of fonts etc.
print(json.dumps({"paths": paths, "median_ms": statistics.median(times), "min_ms": min(times),
                  "transfer_bytes": sizes[-1][0], "decoded_bytes": sizes[-1][1]}))
