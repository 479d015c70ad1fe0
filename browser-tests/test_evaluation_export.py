"""A large export made in the background (issue 10): the evaluator asks for the long form as a spreadsheet
with the evaluation's own form, watches the progress bar move on the export's page (the page asks the server
every second), downloads the workbook once with its button, and finds the file gone afterwards; at 1280 and
375 px.

The shared server's data stays as the other tests expect it: this test starts its own Pulje on a fresh data
directory (the binary the CI built, or PULJE_BINARY) and fills it with `pulje seed-evaluation`, whose
evaluation is large enough that its export takes some seconds.
"""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import openpyxl
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import DEMO_PASSWORD, click_and_wait
from test_catalogue import serious_violations

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("PULJE_BINARY", os.path.join(ROOT, ".build", "debug", "pulje"))
WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"
CITIZENS = 8000


@pytest.fixture(scope="module")
def measured():
    """The base URL of a Pulje with an evaluation of 8.000 measured citizens ("Belastningstest …")."""
    if not os.path.exists(BINARY):
        pytest.fail("build the server first (swift build --product pulje) or name it with PULJE_BINARY")
    data = tempfile.mkdtemp(prefix="pulje-export-")
    env = dict(os.environ, PULJE_DATA_DIR=data, LOG_LEVEL="error")
    for name in ("DATABASE_URL", "PULJE_OIDC_ISSUER", "PULJE_SENDMAIL"):
        env.pop(name, None)
    subprocess.run([BINARY, "seed-evaluation", "--citizens", str(CITIZENS)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = "http://127.0.0.1:%d" % port
    env["PULJE_PUBLIC_URL"] = base
    server = subprocess.Popen([BINARY, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                if urllib.request.urlopen(base + "/healthz", timeout=1).status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield base, data
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data, ignore_errors=True)


def sign_in(driver, base, email):
    driver.get(base + "/log-ind")
    driver.find_element(By.ID, "felt-email").send_keys(email)
    driver.find_element(By.ID, "felt-password").send_keys(DEMO_PASSWORD)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def open_seeded_evaluation(driver, base):
    driver.get(base + "/evalueringer")
    click_and_wait(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "Belastningstest"))


@pytest.mark.parametrize("width", [1280, 375])
def test_the_evaluator_watches_a_large_export_being_made_and_downloads_it_once(browser, measured, width):
    base, data = measured
    browser.set_window_size(width, 900)
    sign_in(browser, base, "evaluator@vive.demo")
    open_seeded_evaluation(browser, base)
    browser.find_element(By.XPATH, "//label[starts-with(text(), 'Lang form, regneark')]").click()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Bestil eksporten']"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Eksport: lang form, regneark (XLSX)"

    # While it is made: a progress bar with its label and a status line, moved by the page itself.
    bar = browser.find_element(By.CSS_SELECTOR, "progress#export-progress")
    status = browser.find_element(By.CSS_SELECTOR, "[data-export-text]")
    assert "af 8.000 borgere" in status.text, status.text
    assert serious_violations(browser) == []
    assert browser.execute_script(WIDTH)[0] <= width
    seen = {int(bar.get_attribute("value"))}
    texts = {status.text}
    deadline = time.time() + 300
    while time.time() < deadline and not browser.find_elements(By.XPATH, "//button[starts-with(text(), 'Hent ')]"):
        bars = browser.find_elements(By.CSS_SELECTOR, "progress#export-progress")
        if bars:
            try:
                seen.add(int(bars[0].get_attribute("value")))
                texts.add(browser.find_element(By.CSS_SELECTOR, "[data-export-text]").text)
            except Exception:  # the page was reloaded between the two reads
                pass
        time.sleep(0.3)
    # The bar moved between 0 and 100 while the page stood (the server writes 1.000 citizens a step).
    assert any(0 < value < 100 for value in seen), seen
    assert any(text.startswith("I gang: ") for text in texts), texts

    # Ready: the page was loaded again by itself and offers the file once.
    button = WebDriverWait(browser, 10).until(
        EC.element_to_be_clickable((By.XPATH, "//button[text()='Hent evaluering-lang.xlsx']")))
    ready = browser.find_element(By.TAG_NAME, "main").text
    assert "Eksporten er klar: 8.000 borgere" in ready, ready
    assert serious_violations(browser) == []
    assert browser.execute_script(WIDTH)[0] <= width
    downloads = tempfile.mkdtemp(prefix="pulje-downloads-")
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    button.click()
    saved = os.path.join(downloads, "evaluering-lang.xlsx")
    deadline = time.time() + 60
    while not os.path.exists(saved) and time.time() < deadline:
        time.sleep(0.2)
    time.sleep(0.5)
    sheet = openpyxl.load_workbook(saved, read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("pseudonym", "kommune", "maalepunkt", "instrument", "version", "variabel", "vaerdi")
    assert len({row[0] for row in rows[1:]}) == CITIZENS
    shutil.rmtree(downloads, ignore_errors=True)

    # Downloaded once: the page says the file is gone, and it is gone from the data directory.
    browser.refresh()
    assert "Filen er slettet" in browser.find_element(By.TAG_NAME, "main").text
    assert os.listdir(os.path.join(data, "exports")) == []
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".session button"))


@pytest.mark.parametrize("width", [1280, 375])
def test_the_evaluator_pages_through_eight_thousand_citizens(browser, measured, width):
    base, _ = measured
    browser.set_window_size(width, 900)
    sign_in(browser, base, "evaluator@vive.demo")
    open_seeded_evaluation(browser, base)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Borgere (pseudonymiseret)"))
    assert browser.find_element(By.ID, "borgere").text == "Indskrevne borgere (8.000)"

    def shown():
        return [a.text for a in browser.find_elements(By.CSS_SELECTOR, "table.data tbody th a")]

    first = shown()
    assert len(first) == 50
    assert serious_violations(browser) == []
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Næste 50 borgere"))
    second = shown()
    assert len(second) == 50 and not set(first) & set(second)
    assert browser.execute_script(WIDTH)[0] <= width
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Første side"))
    assert shown() == first
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".session button"))
