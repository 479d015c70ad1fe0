import email.header
import io
import mailbox
import os
import time

import tempfile

import openpyxl
import requests

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import check_and_submit, click_and_wait, sign_in, sign_out, url
from test_catalogue import body_text, serious_violations

POOL = "Demo: Ansøgningspulje til modning af tidlig opsporing i skolen"


def fill(browser, name, text):
    field = browser.find_element(By.NAME, name)
    field.clear()
    field.send_keys(text)


def test_municipality_writes_and_submits_an_application_and_a_colleague_sees_it(browser):
    sign_in(browser, "ansoger@aarhus.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Puljer"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, POOL))
    text = body_text(browser)
    assert "Ansøgningsfrist:" in text and "kl. 12.00" in text and "Tid tilbage:" in text
    assert serious_violations(browser) == []
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".apply button, form.inline-form button.button"))
    assert "Ansøgning til " + POOL in body_text(browser)
    # A new application opens at its first step; this walk writes it on the page with every section.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Se hele ansøgningen på én side"))

    # Autosave: typing and leaving the field saves without pressing Gem.
    fill(browser, "projectTitle", "Tidlig opsporing i Aarhus' skoler")
    browser.find_element(By.NAME, "services[0][name]").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "gem-status"), "Gemt"))

    browser.find_element(By.CSS_SELECTOR, "input[name='targetAreas[]'][value='skole']").click()
    fill(browser, "services[0][name]", "Skolen ved Søerne")
    # The legal basis is picked from the call's list, so it matches what screening checks.
    Select(browser.find_element(By.NAME, "services[0][legalBasis]")).select_by_value("SEL § 11")
    fill(browser, "services[0][citizens]", "450")
    fill(browser, "contacts[0][role]", "Projektleder")
    for textarea in browser.find_elements(By.CSS_SELECTOR, "textarea[name^='answers[']"):
        textarea.send_keys("Vi har et stærkt tværfagligt samarbejde mellem skole, PPR og myndighed.")
    counter = browser.find_element(By.CSS_SELECTOR, ".char-count")
    assert "71 af 3000 tegn" in counter.text
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name='declarations[]']"):
        box.click()
    Select(browser.find_element(By.NAME, "budget[0][category]")).select_by_value("salaries")
    fill(browser, "budget[0][description]", "Projektleder, 0,5 årsværk")
    fill(browser, "budget[0][units]", "0,5")
    fill(browser, "budget[0][unitPrice]", "600.000")
    for month in ("1", "2", "3"):
        browser.find_element(By.ID, "felt-budget-0--months--%s" % month).click()
    assert "300.000 kr." in browser.find_element(By.ID, "budget-i-alt").text
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#ansoegning button[type=submit]"))
    text = body_text(browser)
    assert "Gemt" in text
    assert "300.000 kr." in text
    assert serious_violations(browser) == []

    # An attachment: a real PDF is accepted; the type is read from the content.
    pdf = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
    pdf.write(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    pdf.close()
    browser.find_element(By.ID, "felt-file").send_keys(pdf.name)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Vedhæft']"))
    assert "er vedhæftet" in body_text(browser)
    assert browser.find_elements(By.CSS_SELECTOR, ".attachments a")

    # The budget as a spreadsheet that openpyxl (and so Excel) reads, with numbers as numbers.
    xlsx_url = browser.find_element(By.PARTIAL_LINK_TEXT, "Excel-regneark").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    download = requests.get(xlsx_url, cookies=cookies, timeout=10)
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet["C2"].value == "Projektleder, 0,5 årsværk"
    assert sheet["D2"].value == 0.5
    assert sheet["S2"].value == 300000
    csv = requests.get(xlsx_url.replace(".xlsx", ".csv"), cookies=cookies, timeout=10)
    assert csv.content.startswith(b"\xef\xbb\xbfLinje;")

    browser.find_element(By.NAME, "email").send_keys("kollega@aarhus.demo")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Tilføj']"))
    assert "Karl Kollega kan nu skrive med" in body_text(browser)

    check_and_submit(browser)
    text = body_text(browser)
    assert "Kvittering for indsendt ansøgning" in text
    assert "UIP-" in text
    assert "Kontrolsum (SHA-256)" in text
    assert serious_violations(browser) == []
    number = [line for line in text.splitlines() if line.startswith("UIP-")][0]
    sign_out(browser)

    # The receipt is e-mailed to everyone on the application (CI delivers it to an SMTP server on loopback).
    maildir = os.environ.get("PULJE_MAILDIR")
    if maildir:
        recipients = set()
        give_up = time.time() + 30
        while time.time() < give_up and len(recipients) < 2:
            for message in mailbox.Maildir(maildir, create=False):
                subject = str(email.header.make_header(email.header.decode_header(message["Subject"])))
                if number in subject and subject.startswith("Kvittering"):
                    recipients.add(message["To"])
                    body = message.get_payload(decode=True).decode("utf-8")
                    assert "Kontrolsum (SHA-256)" in body
            time.sleep(0.5)
        assert recipients == {"ansoger@aarhus.demo", "kollega@aarhus.demo"}

    sign_in(browser, "kollega@aarhus.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Mine sager"))
    text = body_text(browser)
    assert number in text
    assert "Indsendt" in text
    sign_out(browser)


def test_another_municipality_cannot_open_the_application(browser):
    sign_in(browser, "ansoger@aarhus.demo")
    browser.get(url("/mine-sager"))
    links = browser.find_elements(By.CSS_SELECTOR, "table a")
    assert links, "the Aarhus applicant should have an application"
    address = links[0].get_attribute("href")
    sign_out(browser)
    sign_in(browser, "ansoger@odense.demo")
    browser.get(address)
    assert "Siden findes ikke" in body_text(browser) or "findes ikke" in body_text(browser)
    sign_out(browser)
