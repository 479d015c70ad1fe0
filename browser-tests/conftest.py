"""Browser tests: headless Chromium (Debian's chromium and chromium-driver) against a running Pulje.

Start the server first (`swift run pulje serve`), then `pytest browser-tests`. PULJE_URL names
another server; the demo accounts must exist (development environment).
"""
import base64
import io
import os
import shutil

import pytest
from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

BASE_URL = os.environ.get("PULJE_URL", "http://127.0.0.1:8080").rstrip("/")
DEMO_PASSWORD = "Demo-adgang-2026"

# A person scrolls what they want to click into the middle of the screen; ChromeDriver scrolls it to an edge,
# where the application form's bar (save status and Gem, kept at the bottom of the screen) covers it. Click as
# a person does: a click on something still covered in the middle of the screen fails as before.
_plain_click = WebElement.click


def _click_in_view(self):
    self.parent.execute_script("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", self)
    _plain_click(self)


WebElement.click = _click_in_view


def new_browser():
    options = webdriver.ChromeOptions()
    options.add_argument("--headless=new")
    options.add_argument("--no-sandbox")
    options.add_argument("--disable-dev-shm-usage")
    options.add_argument("--window-size=1280,1000")
    options.add_argument("--lang=da-DK")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        options.binary_location = binary
    driver_path = shutil.which("chromedriver")
    service = Service(executable_path=driver_path) if driver_path else Service()
    driver = webdriver.Chrome(options=options, service=service)
    driver.implicitly_wait(2)
    return driver


@pytest.fixture
def browser():
    driver = new_browser()
    yield driver
    driver.quit()


@pytest.fixture
def second_browser():
    """A second person at another computer."""
    driver = new_browser()
    yield driver
    driver.quit()


def url(path):
    return BASE_URL + path


def click_and_wait(driver, element, keys=None):
    """Clicks something that loads a new page (or, with keys, types them into it: Enter in a field submits
    its form) and waits until the new page is there."""
    old = driver.find_element(By.TAG_NAME, "html")
    if keys is None:
        element.click()
    else:
        element.send_keys(keys)

    def old_page_gone(_):
        try:
            old.is_enabled()
            return False
        except WebDriverException:
            # Stale, or Chromium's "Node with given id does not belong to the document": either way, a new page.
            return True

    WebDriverWait(driver, 10).until(old_page_gone)


def pdf_text(driver):
    """Prints the page as Chromium does when a user saves it as PDF (with the print styles) and returns the
    PDF's number of pages and its text."""
    reader = PdfReader(io.BytesIO(base64.b64decode(driver.print_page())))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def tab_to(driver, matches, limit=300):
    """Moves the focus with the Tab key alone, from the top of the page, until the focused element matches
    (a JavaScript expression over `el`); returns it. Proves that a keyboard user reaches it."""
    # From the top: the skip link is the first thing a Tab reaches on every page.
    driver.execute_script("window.scrollTo(0, 0); document.querySelector('.skip-link').focus()")
    for _ in range(limit):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        if driver.execute_script("var el = document.activeElement; return !!(el && (" + matches + "));"):
            return driver.switch_to.active_element
    raise AssertionError("not reached with Tab: " + matches)


def check_and_submit(driver):
    """Goes from the application to "Tjek og indsend", which must say that nothing is missing, and submits."""
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Tjek og indsend']"))
    assert "Intet mangler" in driver.find_element(By.TAG_NAME, "main").text, driver.find_element(
        By.TAG_NAME, "main").text[:800]
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Indsend ansøgningen']"))


def sign_in(driver, email, password=DEMO_PASSWORD):
    driver.get(url("/log-ind"))
    driver.find_element(By.ID, "felt-email").send_keys(email)
    driver.find_element(By.ID, "felt-password").send_keys(password)
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))


def sign_out(driver):
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, ".session button"))
