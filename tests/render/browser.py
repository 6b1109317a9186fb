"""A headless Chromium (Debian's chromium + chromedriver) for HTML tests and screenshots."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("WELLSEC_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("WELLSEC_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1280,1600",
)


def _require_browser() -> None:
    if Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists():
        return
    if os.environ.get("CI"):
        pytest.fail(f"browser tests need {CHROMIUM} and {CHROMEDRIVER} (scripts/services.sh)")
    pytest.skip("Debian chromium and chromium-driver are not installed")


@contextmanager
def browser() -> Iterator[object]:
    """A Selenium WebDriver on headless Chromium, with console logging on."""
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="wellsec-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(html: Path, png: Path, height: int = 2400) -> Path:
    """Render an HTML file to a PNG (full width 1280 px), for looking at a report."""
    with browser() as driver:
        driver.set_window_size(1280, height)  # type: ignore[attr-defined]
        driver.get(html.resolve().as_uri())  # type: ignore[attr-defined]
        driver.save_screenshot(str(png))  # type: ignore[attr-defined]
    return png
