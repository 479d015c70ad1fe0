"""Showing the password (ASVS 2.1.12): on a phone a user checks what they typed before signing in; at a desk
the profile's password fields each have their own button. The field is a password field again when the form
is sent."""
from selenium.webdriver.common.by import By

from conftest import DEMO_PASSWORD, click_and_wait, sign_in, sign_out, url
from test_catalogue import serious_violations

WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"


def toggle_for(driver, field_id):
    return driver.find_element(By.CSS_SELECTOR, "button.show-password[aria-controls='%s']" % field_id)


def test_a_user_shows_the_password_typed_then_signs_in(browser):
    browser.set_window_size(375, 800)
    browser.get(url("/log-ind"))
    browser.find_element(By.ID, "felt-email").send_keys("ansoger@odense.demo")
    field = browser.find_element(By.ID, "felt-password")
    field.send_keys(DEMO_PASSWORD)
    button = toggle_for(browser, "felt-password")
    assert field.get_attribute("type") == "password"
    assert button.get_attribute("aria-pressed") == "false" and button.text == "Vis adgangskode"
    button.click()
    assert field.get_attribute("type") == "text"
    assert field.get_attribute("value") == DEMO_PASSWORD
    assert button.get_attribute("aria-pressed") == "true" and button.text == "Skjul adgangskode"
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    assert serious_violations(browser) == []
    # Sent while shown: the field is a password field again, and the sign-in works.
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "Log ud" in browser.find_element(By.TAG_NAME, "header").text
    sign_out(browser)

    # At a desk: each of the profile's password fields has its own button, shown and hidden again.
    browser.set_window_size(1280, 1000)
    sign_in(browser, "ansoger@odense.demo")
    browser.get(url("/profil"))
    fields = browser.find_elements(By.CSS_SELECTOR, "main input[type=password]")
    assert len(fields) == 3
    for field in fields:
        button = toggle_for(browser, field.get_attribute("id"))
        button.click()
        assert field.get_attribute("type") == "text"
        button.click()
        assert field.get_attribute("type") == "password"
        assert button.text == "Vis adgangskode"
    assert serious_violations(browser) == []
    sign_out(browser)
