"""The agency's list of applications across calls, driven through its own form and links at 1280 and 375 px."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click_and_wait, sign_in, sign_out
from test_catalogue import serious_violations

WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"


def test_a_grant_administrator_searches_filters_and_sorts_the_applications(browser):
    sign_in(browser, "tilskud@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Ansøgninger"))
    status = browser.find_element(By.ID, "resultat").text
    assert status.startswith("Viser "), status
    rows = browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")
    assert rows
    assert serious_violations(browser) == []

    # A municipality's name in a row filters the list to it; "fjern" takes the filter away again.
    name = rows[0].find_elements(By.TAG_NAME, "td")[1].text
    click_and_wait(browser, rows[0].find_elements(By.TAG_NAME, "a")[1])
    assert "Ansøger: " + name in browser.find_element(By.CSS_SELECTOR, ".active-filters").text
    shown = {r.find_elements(By.TAG_NAME, "td")[1].text for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr")}
    assert shown == {name}
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "fjern"))
    assert not browser.find_elements(By.CSS_SELECTOR, ".active-filters")

    # The search form: part of a name; a name that matches nothing says so.
    search = browser.find_element(By.ID, "felt-q")
    search.send_keys(name.split(" ")[0])
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".filters button"))
    assert all(name.split(" ")[0] in r.find_elements(By.TAG_NAME, "td")[1].text
               for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr"))
    search = browser.find_element(By.ID, "felt-q")
    search.clear()
    search.send_keys("Findes ikke kommune")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".filters button"))
    assert "Ingen ansøgninger passer til filtrene." in browser.find_element(By.ID, "resultat").text

    # Ordered by call, on a phone: the rows come in the calls' order, and the page does not scroll sideways.
    browser.find_element(By.ID, "felt-q").clear()
    Select(browser.find_element(By.ID, "felt-sortering")).select_by_visible_text("Pulje (A–Å)")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".filters button"))
    calls = [r.find_elements(By.TAG_NAME, "td")[2].text for r in browser.find_elements(By.CSS_SELECTOR, "tbody tr")]
    assert calls == sorted(calls)
    browser.set_window_size(375, 800)
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    browser.set_window_size(1280, 1000)
    sign_out(browser)
