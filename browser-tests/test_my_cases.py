"""Mine sager at scale: a municipality with more than a hundred applications and twenty grant cases pages
through both lists with the page's own links and filters by status with its own form, at 1280 and 375 px.

The shared server's data stays as the other tests expect it: this test starts its own Pulje on a fresh data
directory (the binary the CI built, or PULJE_BINARY) and fills it with `pulje seed-lists`, which gives each
municipality about one in 98 of the applications and a grant case for each awarded one.
"""
import json
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import DEMO_PASSWORD, click_and_wait
from test_catalogue import serious_violations

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = os.environ.get("PULJE_BINARY", os.path.join(ROOT, ".build", "debug", "pulje"))
WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"


@pytest.fixture(scope="module")
def crowded():
    """The base URL of a Pulje whose Aarhus has about 120 applications and 24 grant cases."""
    if not os.path.exists(BINARY):
        pytest.fail("build the server first (swift build --product pulje) or name it with PULJE_BINARY")
    data = tempfile.mkdtemp(prefix="pulje-my-cases-")
    env = dict(os.environ, PULJE_DATA_DIR=data, LOG_LEVEL="error")
    for name in ("DATABASE_URL", "PULJE_OIDC_ISSUER", "PULJE_SENDMAIL"):
        env.pop(name, None)
    subprocess.run([BINARY, "seed-lists", "--applications", "12000"], env=env, check=True,
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
        yield base
    finally:
        server.terminate()
        server.wait(10)
        shutil.rmtree(data, ignore_errors=True)


def rows(driver, table):
    """The links of the rows of one of the page's tables ("Tilskudssager" or "Ansøgninger")."""
    found = driver.find_elements(By.XPATH, "//table[caption[starts-with(., '%s')]]/tbody/tr/td[1]/a" % table)
    return [a.get_attribute("href") for a in found]


def statuses(driver):
    return [tr.find_elements(By.TAG_NAME, "td")[2].text
            for tr in driver.find_elements(By.XPATH, "//table[caption[starts-with(., 'Ansøgninger')]]/tbody/tr")]


def test_a_municipality_pages_through_its_cases_and_filters_them(browser, crowded):
    browser.get(crowded + "/log-ind")
    browser.find_element(By.ID, "felt-email").send_keys("ansoger@aarhus.demo")
    browser.find_element(By.ID, "felt-password").send_keys(DEMO_PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    # What the API says Aarhus has, to hold the pages against.
    browser.get(crowded + "/api/v1/applications")
    items = json.loads(browser.find_element(By.TAG_NAME, "body").text)["items"]
    assert len(items) > 100, len(items)
    awarded = [a for a in items if a["status"] == "awarded"]

    browser.get(crowded + "/")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Mine sager"))
    assert browser.find_element(By.ID, "resultat").text == "Viser 50 ansøgninger; der er flere."
    first_grants = rows(browser, "Tilskudssager")
    assert len(first_grants) == 20
    assert serious_violations(browser) == []

    # The applications, a page at a time through "Næste 50 ansøgninger": each once, all of them.
    seen = rows(browser, "Ansøgninger")
    pages = 1
    while browser.find_elements(By.LINK_TEXT, "Næste 50 ansøgninger"):
        click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Næste 50 ansøgninger"))
        assert "(fortsat)" in browser.find_element(By.ID, "resultat").text
        # The grant cases stay on their first page meanwhile.
        assert rows(browser, "Tilskudssager") == first_grants
        seen += rows(browser, "Ansøgninger")
        pages += 1
    assert pages == (len(items) + 49) // 50
    assert len(seen) == len(set(seen)) == len(items)
    assert {re.sub(r".*/ansoegninger/", "", h) for h in seen} == {a["id"].lower() for a in items}
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Til de nyeste ansøgninger"))
    assert browser.find_element(By.ID, "resultat").text == "Viser 50 ansøgninger; der er flere."

    # The grant cases' next page: the rest of them, none twice.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Næste 20 tilskudssager"))
    more = rows(browser, "Tilskudssager")
    assert more and not set(more) & set(first_grants)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Til de nyeste tilskudssager"))
    assert rows(browser, "Tilskudssager") == first_grants

    # On a phone: the status filter through the page's own form; only awarded applications, no sideways scroll.
    browser.set_window_size(375, 800)
    Select(browser.find_element(By.ID, "felt-status")).select_by_visible_text("Tilsagn")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    assert "status=awarded" in browser.current_url
    assert set(statuses(browser)) == {"Tilsagn"}
    assert len(rows(browser, "Ansøgninger")) == min(50, len(awarded))
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner, (scroll, inner)
    assert serious_violations(browser) == []
    Select(browser.find_element(By.ID, "felt-status")).select_by_visible_text("Trukket tilbage")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    assert browser.find_element(By.ID, "resultat").text == "Ingen ansøgninger passer til filtrene."

    # The search field: part of a call's title, any case, with every status; then a whole journal number.
    Select(browser.find_element(By.ID, "felt-status")).select_by_visible_text("Alle")
    browser.find_element(By.ID, "felt-q").send_keys("PULJE 00001")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    calls = [tr.find_elements(By.TAG_NAME, "td")[1].text
             for tr in browser.find_elements(By.XPATH, "//table[caption='Ansøgninger']/tbody/tr")]
    assert calls and all(c.endswith("pulje 00001") for c in calls), calls
    number = next(a["submission"]["number"] for a in items if a.get("submission"))
    search = browser.find_element(By.ID, "felt-q")
    search.clear()
    search.send_keys(number.lower())
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    assert browser.find_element(By.ID, "resultat").text == "Viser 1 ansøgning."
    assert number in browser.find_element(By.XPATH, "//table[caption='Ansøgninger']/tbody/tr").text
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner, (scroll, inner)
    browser.set_window_size(1280, 1000)
