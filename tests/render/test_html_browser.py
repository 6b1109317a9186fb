"""The HTML report in a real headless Chromium: it renders, filters work, nothing runs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.render.browser import browser, screenshot
from tests.render.hostile import HOSTILE, SCRIPT, hostile_report
from wellsec.render.html import TrendPoint, render_html
from wellsec.report import from_json_dict

T0 = dt.datetime(2026, 8, 1, tzinfo=dt.UTC)


@pytest.fixture()
def page(tmp_path: Path) -> Path:
    trend = [
        TrendPoint(T0, "HIGH", 2, 8),
        TrendPoint(T0 + dt.timedelta(days=30), "HIGH", 3, 8),
        TrendPoint(T0 + dt.timedelta(days=60), "MEDIUM", 5, 8),
    ]
    path = tmp_path / "report.html"
    path.write_text(render_html(from_json_dict(hostile_report()), trend), encoding="utf-8")
    return path


def _severe(driver: object) -> list[dict[str, str]]:
    logs = driver.get_log("browser")  # type: ignore[attr-defined]
    return [entry for entry in logs if entry["level"] == "SEVERE"]


def test_report_renders_without_console_errors(page: Path) -> None:
    from selenium.webdriver.common.by import By

    with browser() as driver:
        driver.get(page.as_uri())  # type: ignore[attr-defined]
        assert driver.find_element(By.ID, "risk").text == "HIGH"  # type: ignore[attr-defined]
        cells = driver.find_elements(By.CSS_SELECTOR, "#heatmap td.cell")  # type: ignore[attr-defined]
        assert len(cells) == 8 * 2
        assert driver.find_elements(By.CSS_SELECTOR, "#trend circle")  # type: ignore[attr-defined]
        count = driver.find_element(By.ID, "count").text  # type: ignore[attr-defined]
        assert count == "3 of 3 findings"
        assert _severe(driver) == []


def test_filters_and_search(page: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    with browser() as driver:
        driver.get(page.as_uri())  # type: ignore[attr-defined]
        find = driver.find_element  # type: ignore[attr-defined]

        def visible() -> list[str]:
            rows = driver.find_elements(By.CSS_SELECTOR, "#findings tbody tr")  # type: ignore[attr-defined]
            return [r.get_attribute("data-status") for r in rows if r.is_displayed()]

        Select(find(By.ID, "f-status")).select_by_visible_text("FAIL")
        assert visible() == ["FAIL", "FAIL"]
        assert find(By.ID, "count").text == "2 of 3 findings"
        Select(find(By.ID, "f-status")).select_by_visible_text("All statuses")
        Select(find(By.ID, "f-account")).select_by_value("222222222222")
        assert visible() == ["PASS"]
        Select(find(By.ID, "f-account")).select_by_value("")
        find(By.ID, "search").send_keys("root_no_access")
        assert visible() == ["FAIL"]
        assert _severe(driver) == []


def test_hostile_text_is_shown_as_text(page: Path) -> None:
    from selenium.webdriver.common.by import By

    with browser() as driver:
        driver.get(page.as_uri())  # type: ignore[attr-defined]
        assert driver.execute_script("return window.__pwned === undefined")  # type: ignore[attr-defined]
        assert len(driver.find_elements(By.TAG_NAME, "script")) == 1  # type: ignore[attr-defined]
        assert not driver.find_elements(By.CSS_SELECTOR, "img")  # type: ignore[attr-defined]
        body = driver.find_element(By.TAG_NAME, "body").text  # type: ignore[attr-defined]
        assert SCRIPT in body
        assert "window.__pwned=2" in body
        title = driver.title  # type: ignore[attr-defined]
        assert SCRIPT in title
        assert _severe(driver) == []


def test_self_contained(page: Path) -> None:
    html = page.read_text()
    for marker in ('src="http', "src='http", '<link rel="stylesheet"', "@import", "url(http"):
        assert marker not in html
    assert "Content-Security-Policy" in html
    assert json.dumps(HOSTILE) not in html  # never embedded raw in a script


def test_screenshot_helper(page: Path, tmp_path: Path) -> None:
    png = screenshot(page, tmp_path / "report.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 10_000
