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

    # The order, chosen with the page's own form on a phone: last saved first, a page at a time, each once.
    browser.set_window_size(375, 800)
    browser.find_element(By.ID, "felt-q").clear()
    Select(browser.find_element(By.ID, "felt-sortering")).select_by_visible_text("Senest gemt først")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    assert "sortering=gemt" in browser.current_url
    by_save = rows(browser, "Ansøgninger")
    while browser.find_elements(By.LINK_TEXT, "Næste 50 ansøgninger"):
        click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Næste 50 ansøgninger"))
        assert "sortering=gemt" in browser.current_url
        by_save += rows(browser, "Ansøgninger")
    assert len(by_save) == len(set(by_save)) == len(items)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Til de senest gemte ansøgninger"))
    assert Select(browser.find_element(By.ID, "felt-sortering")).first_selected_option.text == "Senest gemt først"
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner, (scroll, inner)
    browser.set_window_size(1280, 1000)


def recipients(driver):
    return [tr.find_elements(By.TAG_NAME, "td")[1].text
            for tr in driver.find_elements(By.XPATH, "//table[caption='Tilskudssager']/tbody/tr")]


def test_staff_order_the_grant_cases_by_recipient_and_newest_first(browser, crowded):
    """The agency's list of some two thousand grant cases, ordered with the list's own form: by recipient
    (each recipient's cases together across pages), then newest first; at 1280 and 375 px."""
    browser.get(crowded + "/log-ind")
    browser.find_element(By.ID, "felt-email").send_keys("tilskud@styrelsen.demo")
    browser.find_element(By.ID, "felt-password").send_keys(DEMO_PASSWORD)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Tilskudssager"))
    Select(browser.find_element(By.ID, "felt-sortering")).select_by_visible_text("Modtager (A–Å)")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    assert "sortering=modtager" in browser.current_url
    seen, names = [], []
    for _ in range(4):
        seen += rows(browser, "Tilskudssager")
        names += recipients(browser)
        click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Næste 50"))
        assert "sortering=modtager" in browser.current_url
    assert len(seen) == len(set(seen)) == 200
    # Each recipient's cases come together: a name never returns once the list has moved past it.
    runs = [n for i, n in enumerate(names) if i == 0 or names[i - 1] != n]
    assert len(runs) == len(set(runs)), runs
    assert serious_violations(browser) == []

    browser.set_window_size(375, 800)
    Select(browser.find_element(By.ID, "felt-sortering")).select_by_visible_text("Senest åbnet først")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.filters button"))
    assert "sortering=aabnet" in browser.current_url and "efter=" not in browser.current_url
    first = rows(browser, "Tilskudssager")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Næste 50"))
    second = rows(browser, "Tilskudssager")
    assert len(first) == len(second) == 50 and not set(first) & set(second)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Til første side"))
    assert rows(browser, "Tilskudssager") == first
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner, (scroll, inner)
    browser.set_window_size(1280, 1000)
