"""Headless Chromium for the HTML report's tests and bench/html_report.py.

Debian's `chromium` and `chromium-driver` (.ci/run installs them), driven by Selenium.
Both paths are given, so Selenium never looks for (or downloads) a browser or driver.
"""

import os
import shutil

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
DRIVER_NAMES = ("chromedriver",)

# As root in a container: no sandbox. Nothing in the background may reach the network,
# so that what the page asks for is all that is asked for.
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
    "--force-color-profile=srgb", "--lang=en-US",
)


class BrowserMissing(RuntimeError):
    pass


def find_browser():
    """(chromium, chromedriver) paths; BrowserMissing saying how to install them."""
    browser = os.environ.get("CHECKER_CHROMIUM") or next(filter(None, map(shutil.which, CHROMIUM_NAMES)), None)
    driver = os.environ.get("CHECKER_CHROMEDRIVER") or next(filter(None, map(shutil.which, DRIVER_NAMES)), None)
    missing = [name for name, path in (("chromium", browser), ("chromedriver", driver)) if not path]
    if missing:
        raise BrowserMissing(
            f"the HTML report's browser tests need {' and '.join(missing)}: "
            "apt-get install -y chromium chromium-driver (as .ci/run does), "
            "or set CHECKER_CHROMIUM / CHECKER_CHROMEDRIVER; deselect them with -m 'not browser'"
        )
    return browser, driver


def new_driver(profile_dir, performance_log=False):
    """A fresh headless Chromium with its own profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = find_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile_dir}")
    options.add_argument("--window-size=1280,800")
    if performance_log:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(executable_path=driver))
