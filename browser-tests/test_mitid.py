"""Sign-in through MitID Erhverv, here a real OpenID Connect provider on loopback (oidc-provider-mock, started
by .ci/run with PULJE_OIDC_URL): an administrator gives Aarhus Kommune its CVR number on the organisations
page; an employee signs in through the provider on a phone, becomes an applicant of Aarhus, and signs out of
both; an employee of an organisation Pulje does not know gets a Danish page and no account."""
import os

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import click_and_wait, sign_in, sign_out, url
from test_catalogue import serious_violations

PROVIDER = os.environ.get("PULJE_OIDC_URL")
pytestmark = pytest.mark.skipif(not PROVIDER, reason="needs the OpenID Connect provider .ci/run starts (PULJE_OIDC_URL)")
WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"


def body_text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def set_cvr(driver, name, cvr):
    driver.get(url("/admin/organisationer"))
    search = driver.find_element(By.ID, "felt-soeg")
    search.clear()
    search.send_keys(name)
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Søg']"))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, name))
    field = driver.find_element(By.ID, "felt-cvr")
    field.clear()
    field.send_keys(cvr)
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Gem CVR-nummer']"))


def test_an_employee_signs_in_with_mitid_erhverv_and_out_of_both(browser):
    # The provider knows two employees: one of Aarhus (CVR 55133018) and one of an organisation Pulje lacks.
    requests.put(PROVIDER + "/users/aarhus-browser", timeout=10, json={
        "email": "bodil.browser@aarhus.dk", "name": "Bodil Browser", "cvr": "55133018"}).raise_for_status()
    requests.put(PROVIDER + "/users/ukendt-firma", timeout=10, json={
        "email": "x@firma.dk", "name": "Xenia Firma", "cvr": "29189897"}).raise_for_status()

    sign_in(browser, "admin@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Organisationer"))
    set_cvr(browser, "Aarhus Kommune", "5513 30")
    assert "Et CVR-nummer er 8 cifre" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    field = browser.find_element(By.ID, "felt-cvr")
    field.clear()
    field.send_keys("5513 3018")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem CVR-nummer']"))
    assert "CVR-nummeret for Aarhus Kommune er gemt." in body_text(browser)
    sign_out(browser)

    # On a phone: the sign-in page's button, the provider's page, and back signed in as an applicant of Aarhus.
    browser.set_window_size(375, 800)
    browser.get(url("/log-ind"))
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    assert serious_violations(browser) == []
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Log ind med MitID Erhverv"))
    assert browser.current_url.startswith(PROVIDER)
    sub = browser.find_element(By.NAME, "sub")
    sub.send_keys("aarhus-browser")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Authorize']"))
    assert browser.current_url.startswith(url("/"))
    text = body_text(browser)
    assert "Bodil Browser, Aarhus Kommune" in text
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Mine sager"))
    assert "Mine sager" in body_text(browser)

    # Signing out ends the provider's session too, and comes back to Pulje signed out.
    browser.set_window_size(1280, 1000)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Log ud']"))
    assert browser.current_url.startswith(PROVIDER)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='End session']"))
    assert browser.current_url.rstrip("/") == url("").rstrip("/")
    assert "Log ind" in body_text(browser) and "Bodil Browser" not in body_text(browser)

    # An organisation Pulje does not know: a clear Danish page, and no account made.
    browser.get(url("/log-ind"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Log ind med MitID Erhverv"))
    browser.find_element(By.NAME, "sub").send_keys("ukendt-firma")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Authorize']"))
    text = body_text(browser)
    assert "Log ind mislykkedes" in text
    assert "CVR-nummer 29189897 er ikke knyttet til en organisation i Pulje" in text
    assert "Xenia Firma" not in text

    # The administrator sees the new user with the applicant role only.
    sign_in(browser, "admin@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Brugere"))
    row = browser.find_element(By.XPATH, "//tr[td[contains(., 'bodil.browser@aarhus.dk')]]")
    assert "Ansøger" in row.text and "Aarhus Kommune" in row.text
    assert "x@firma.dk" not in body_text(browser)
    sign_out(browser)
