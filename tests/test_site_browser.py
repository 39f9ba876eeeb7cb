"""The site in a real browser (Debian's chromium and chromium-driver, driven by selenium): the year
page's table, its 合计 row, sorting by 总分, the labelled SVG charts, no console error, no page wider
than a phone; screenshots of the sample years go to build/screenshots/ to be looked at."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
pytestmark = pytest.mark.skipif(CHROMIUM is None or DRIVER is None,
                                reason="chromium and chromedriver are not installed "
                                       "(apt-get install chromium chromium-driver; .ci/run does)")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
from selenium.webdriver.common.by import By  # noqa: E402

SHOTS = ROOT / "build" / "screenshots"
DESKTOP, PHONE = 1280, 390


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    from generator.site.build import build_site
    out = tmp_path_factory.mktemp("site")
    assert build_site([2020, 2022, 2023], ROOT / "sources", out) == 0
    return out


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", f"--window-size={DESKTOP},900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def load(driver, path: Path, width: int = DESKTOP):
    driver.set_window_size(width, 900)
    driver.get(path.as_uri())
    driver.get_log("browser")   # start each page with an empty console
    return driver


def console_errors(driver) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def screenshot(driver, name: str) -> Path:
    """The whole page: the window is made as tall as the document first."""
    width = driver.get_window_size()["width"]
    for _ in range(3):   # a taller window can change the layout (scroll bars, wrapping): settle it
        height = driver.execute_script("return document.documentElement.scrollHeight")
        driver.set_window_size(width, min(height + 140, 16000))
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    assert driver.save_screenshot(str(path))
    return path


def total_column(driver) -> list[str]:
    return [td.get_attribute("data-sort") for td in
            driver.find_elements(By.CSS_SELECTOR, "#funds tbody tr td:nth-child(7)")]


def slugs(driver) -> list[str]:
    return [tr.get_attribute("data-slug") for tr in driver.find_elements(By.CSS_SELECTOR, "#funds tbody tr")]


@pytest.mark.parametrize("year", [2020, 2022, 2023])
def test_year_page_rows_total_and_charts(site, browser, year):
    from generator.compute import fmt_percent
    from generator.pipeline import discover
    from generator.summary import summarise
    sources = discover([str(ROOT / "sources" / str(year))])
    load(browser, site / str(year) / "index.html")
    assert len(browser.find_elements(By.CSS_SELECTOR, "#funds tbody tr")) == len(sources)
    total = browser.find_elements(By.CSS_SELECTOR, "#funds tfoot tr td")
    _, _, rate = summarise(sources).totals
    assert total[0].text == "合计" and total[4].text == fmt_percent(rate)
    charts = browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert len(charts) == 4
    for svg in charts:
        assert svg.get_attribute("role") == "img"
        title = browser.find_element(By.ID, svg.get_attribute("aria-labelledby").split()[0])
        assert title.tag_name == "title" and title.get_attribute("textContent").strip()
        assert svg.size["width"] > 300
    assert console_errors(browser) == []
    screenshot(browser, f"{year}-desktop")


def test_sorting_by_total_reorders_rows(site, browser):
    load(browser, site / "2022" / "index.html")
    first = slugs(browser)
    assert first == ["enterprise-service-center", "enterprise-association"]   # more errors first
    button = browser.find_element(By.XPATH, "//table[@id='funds']/thead//button[normalize-space()='总分']")
    button.click()
    totals = [float(t) for t in total_column(browser)]
    assert totals == sorted(totals, reverse=True) and slugs(browser) != first
    assert button.find_element(By.XPATH, "..").get_attribute("aria-sort") == "descending"
    button.click()
    totals = [float(t) for t in total_column(browser)]
    assert totals == sorted(totals)
    assert browser.find_element(By.CSS_SELECTOR, "#funds tfoot td").text == "合计"   # stays last
    assert console_errors(browser) == []


@pytest.mark.parametrize("year", [2020, 2022, 2023])
def test_phone_width_has_no_sideways_page(site, browser, year):
    load(browser, site / str(year) / "index.html", PHONE)
    wide = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    assert wide <= 0, f"the page is {wide}px wider than a phone; only the table may scroll sideways"
    assert console_errors(browser) == []
    screenshot(browser, f"{year}-phone")


@pytest.mark.parametrize("width,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_fund_page_table_findings_and_report(site, browser, width, name):
    load(browser, site / "2020" / "it-integration.html", width)
    table = browser.find_element(By.ID, "score-table")
    assert table.find_elements(By.CSS_SELECTOR, "[rowspan]") and table.find_elements(By.CSS_SELECTOR, "[colspan]")
    flagged = table.find_elements(By.CSS_SELECTOR, "tr.flagged td.findings")
    assert any("E-PUBLISHED" in td.text for td in flagged)
    assert "绩效自评报告" in browser.find_element(By.CSS_SELECTOR, "article.report").text
    assert browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert console_errors(browser) == []
    screenshot(browser, f"2020-it-integration-{name}")
