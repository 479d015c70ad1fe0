"""A second factor on a phone and a desk: a director sets an authenticator app up from the profile (the key
typed into the app, here computed as the app does: RFC 6238), signs in again with password and code, and
switches it off with a fresh code."""
import base64
import hashlib
import hmac
import struct
import time

from selenium.webdriver.common.by import By

from conftest import click_and_wait, sign_in, sign_out, url
from test_catalogue import serious_violations

WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"
ACCOUNT = "direktor2@styrelsen.demo"


def code(key, step):
    secret = base64.b32decode(key + "=" * (-len(key) % 8))
    mac = hmac.new(secret, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 15
    return "%06d" % ((struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF) % 1000000)


def now_step():
    return int(time.time() // 30)


def enter(driver, value, button):
    field = driver.find_element(By.ID, "felt-code")
    field.clear()
    field.send_keys(value)
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='%s']" % button))


def test_a_director_sets_up_an_authenticator_app_and_signs_in_with_it(browser):
    browser.set_window_size(375, 800)
    sign_in(browser, ACCOUNT)
    browser.get(url("/profil"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Totrinsbekræftelse"))
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    assert serious_violations(browser) == []
    key = browser.find_element(By.ID, "totp-noegle").text.replace(" ", "")
    assert browser.find_element(By.PARTIAL_LINK_TEXT, "linket til appen").get_attribute("href").startswith("otpauth://totp/")
    # A typo first: refused, the same key shown again.
    enter(browser, "12345", "Bekræft")
    assert "Koden passer ikke" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert browser.find_element(By.ID, "totp-noegle").text.replace(" ", "") == key
    step = now_step()
    enter(browser, code(key, step), "Bekræft")
    assert "Totrinsbekræftelse er slået til" in browser.find_element(By.TAG_NAME, "body").text
    sign_out(browser)

    # At a desk: password, then the code (the one just used is refused: a code counts once).
    browser.set_window_size(1280, 1000)
    sign_in(browser, ACCOUNT)
    assert browser.current_url.endswith("/log-ind/kode")
    assert "Log ud" not in browser.find_element(By.TAG_NAME, "header").text
    enter(browser, code(key, step), "Log ind")
    assert "Koden er forkert eller allerede brugt" in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    enter(browser, code(key, step + 1), "Log ind")
    assert "Log ud" in browser.find_element(By.TAG_NAME, "header").text

    # Switched off with a fresh code (the next step's, once the clock has moved on).
    while now_step() <= step:
        time.sleep(1)
    browser.get(url("/profil/totrin"))
    enter(browser, code(key, step + 2), "Slå totrinsbekræftelse fra")
    assert "Totrinsbekræftelse er slået fra" in browser.find_element(By.TAG_NAME, "body").text
    sign_out(browser)
    sign_in(browser, ACCOUNT)
    assert "Log ud" in browser.find_element(By.TAG_NAME, "header").text
    sign_out(browser)
