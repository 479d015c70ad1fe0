import time

from axe_selenium_python import Axe
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click_and_wait, sign_in, sign_out, url


def body_text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def test_anonymous_visitor_filters_searches_and_opens_an_initiative(browser):
    browser.get(url("/"))
    assert "Udviklings- og Investeringsprogrammerne" in browser.title or "Forside" in browser.title
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Initiativkataloget"))
    assert "11 initiativer, i alt 142,7 mio. kr." in body_text(browser)

    Select(browser.find_element(By.ID, "felt-omraade")).select_by_visible_text("Voksenområdet")
    Select(browser.find_element(By.ID, "felt-fase")).select_by_visible_text("Modning")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".filters button"))
    assert "3 af 11 initiativer" in body_text(browser)

    search = browser.find_element(By.ID, "felt-q")
    search.clear()
    search.send_keys("MOVE")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".filters button"))
    assert "1 af 11 initiativer" in body_text(browser)

    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "MOVE"))
    text = body_text(browser)
    assert "1.7" in text
    assert "13.400.000 kr." in text
    assert "Kompetenceudvikling" in text
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart")
    assert "Redigér initiativ" not in text


def test_programme_manager_edits_an_initiative_and_sees_the_history(browser):
    sign_in(browser, "fagkonsulent@styrelsen.demo")
    assert "Frederik Fagkonsulent" in body_text(browser)
    browser.get(url("/initiativer/2022/1.4"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Redigér initiativ"))
    title = browser.find_element(By.ID, "felt-title")
    new_title = "Screening af lovende indsatser (redigeret %d)" % int(time.time())
    title.clear()
    title.send_keys(new_title)
    # A long text makes the browser send the form in several chunks (a regression: the CSRF check
    # once read only the first chunk and refused every large form).
    background = browser.find_element(By.ID, "felt-background")
    browser.execute_script("arguments[0].value += arguments[1]", background, "\n\nTillæg. " * 4000)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]"))
    text = body_text(browser)
    assert "Ændringerne er gemt." in text
    assert new_title in text
    assert "Tillæg." in text

    # A budget that does not add up is refused with a message, and nothing is lost.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Redigér initiativ"))
    field = browser.find_element(By.ID, "felt-years-2022-")
    field.clear()
    field.send_keys("999.999")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form.stacked button[type=submit]"))
    text = body_text(browser)
    assert "Formularen kunne ikke gemmes" in text
    assert "Årene summerer til" in text
    assert browser.find_element(By.ID, "felt-years-2022-").get_attribute("value") == "999.999"

    browser.get(url("/initiativer/2022/1.4/historik"))
    assert new_title in body_text(browser)
    sign_out(browser)
    assert "Log ind" in body_text(browser)


def test_municipal_user_is_refused_staff_pages(browser):
    sign_in(browser, "ansoger@aarhus.demo")
    assert "Amalie Ansøger" in body_text(browser)
    browser.get(url("/initiativer/ny"))
    assert "Ingen adgang" in body_text(browser)
    browser.get(url("/admin/brugere"))
    assert "Ingen adgang" in body_text(browser)
    sign_out(browser)


def test_wrong_password_gets_a_clear_message(browser):
    sign_in(browser, "direktor@styrelsen.demo", "forkert-adgangskode")
    assert "E-mailadressen eller adgangskoden er forkert." in body_text(browser)


def test_administrator_sees_the_users(browser):
    sign_in(browser, "admin@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Brugere"))
    assert "ansoger@aarhus.demo" in body_text(browser)
    sign_out(browser)


def serious_violations(driver):
    axe = Axe(driver)
    axe.inject()
    results = axe.run()
    return [
        (v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_main_pages_have_no_serious_accessibility_violations(browser):
    pages = ["/", "/initiativer", "/initiativer?omraade=adults&q=unge", "/initiativer/2022/1.8", "/log-ind", "/findes-ikke"]
    problems = {}
    for path in pages:
        browser.get(url(path))
        found = serious_violations(browser)
        if found:
            problems[path] = found
    sign_in(browser, "fagkonsulent@styrelsen.demo")
    for path in ["/initiativer/2022/1.8/rediger", "/initiativer/2022/1.8/historik", "/profil"]:
        browser.get(url(path))
        found = serious_violations(browser)
        if found:
            problems[path] = found
    sign_out(browser)
    sign_in(browser, "admin@styrelsen.demo")
    for path in ["/admin/brugere", "/admin/brugere/ny"]:
        browser.get(url(path))
        found = serious_violations(browser)
        if found:
            problems[path] = found
    assert problems == {}
