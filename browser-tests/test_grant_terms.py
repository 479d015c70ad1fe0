"""The grant cases' terms on the call form: a programme manager on a phone adds a required role and a higher
share that may be moved against notice (a typo first), sees them kept; at a desk the decided call's terms,
under which grant cases run, are refused a change with the reason."""
from selenium.webdriver.common.by import By

from conftest import click_and_wait, sign_in, sign_out, url
from test_catalogue import serious_violations

WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"
OPEN_CALL = "Demo: Ansøgningspulje til modning af tidlig opsporing i skolen"
DECIDED_CALL = "Demo: Sundhed på botilbud, runde 0 – første projektår i gang"


def edit_call(driver, title):
    driver.get(url("/puljer"))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, title))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Redigér pulje"))


def set_field(driver, field_id, value):
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(value)


def save(driver):
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Gem ændringer']"))


def test_a_programme_manager_sets_the_grant_terms_of_a_call(browser):
    browser.set_window_size(375, 800)
    sign_in(browser, "fagkonsulent@styrelsen.demo")
    edit_call(browser, OPEN_CALL)
    assert "Vilkår for tilskudssagerne" in browser.find_element(By.ID, "vilkaar").text
    roles = browser.find_element(By.ID, "felt-teamRoles")
    assert "projektleder; Projektleder; ja" in roles.get_attribute("value")
    roles.send_keys("\nsundhed; Sundhedsfaglig koordinator; ja")
    set_field(browser, "felt-reallocationNoticePercent", "150")
    save(browser)
    assert "mellem 0 og 100 %" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert "Sundhedsfaglig koordinator" in browser.find_element(By.ID, "felt-teamRoles").get_attribute("value")
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    assert serious_violations(browser) == []
    set_field(browser, "felt-reallocationNoticePercent", "20")
    save(browser)
    assert "Ændringerne er gemt" in browser.find_element(By.TAG_NAME, "main").text
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Redigér pulje"))
    assert "sundhed; Sundhedsfaglig koordinator; ja" in browser.find_element(By.ID, "felt-teamRoles").get_attribute("value")
    assert browser.find_element(By.ID, "felt-reallocationNoticePercent").get_attribute("value") == "20"

    # At a desk: the decided call has grant cases, so its terms stay as they are.
    browser.set_window_size(1280, 1000)
    edit_call(browser, DECIDED_CALL)
    set_field(browser, "felt-secondApprovalAbove", "75.000")
    save(browser)
    assert "vilkårene kan ikke længere ændres" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    sign_out(browser)
