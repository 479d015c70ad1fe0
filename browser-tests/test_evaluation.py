"""Evaluation data on its pages, as each party meets it: the evaluator asks for consent in the design; a
municipal applicant on a phone enrols a citizen by CPR number (a typo first), sees only the pseudonym, and
fills in WHO-5 at baseline by tapping the answers; the agency reads the overview with small cells withheld;
the evaluator on a phone asks for the wide export, watches it being made and downloads it once; the data-protection officer reads who did what."""
import os
import tempfile
import time

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from conftest import click_and_wait, sign_in, sign_out, url
from test_catalogue import serious_violations

WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"
DEMO = "Demo: Evaluering af sundhed på botilbud"


def body_text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def files_holding(needle):
    """The files of the server's data directory (database, its WAL, attachments, keys) and its log that hold
    `needle`, where CI names them (PULJE_DATA_DIR, PULJE_SERVER_LOG); None where it does not."""
    roots = [os.environ.get("PULJE_DATA_DIR"), os.environ.get("PULJE_SERVER_LOG")]
    if not all(roots):
        return None
    paths = [roots[1]]
    for folder, _, names in os.walk(roots[0]):
        paths += [os.path.join(folder, name) for name in names]
    found = []
    for path in paths:
        with open(path, "rb") as handle:
            if needle.encode() in handle.read():
                found.append(path)
    return found


def open_demo_evaluation(driver):
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Evaluering"))
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, DEMO))


def test_enrolment_and_whO5_on_a_phone_and_what_each_party_sees(browser):
    # The evaluator asks for the citizen's consent from now on.
    sign_in(browser, "evaluator@vive.demo")
    open_demo_evaluation(browser)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Ret designet"))
    consent = browser.find_element(By.ID, "felt-requiresConsent")
    if not consent.is_selected():
        browser.find_element(By.CSS_SELECTOR, "label[for='felt-requiresConsent']").click()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem designet']"))
    assert "Designet er gemt." in body_text(browser) or "ingen ændringer" in body_text(browser)
    sign_out(browser)

    # A municipal applicant on a phone.
    browser.set_window_size(375, 800)
    sign_in(browser, "ansoger@aarhus.demo")
    browser.get(url("/"))
    open_demo_evaluation(browser)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Borgere og målinger"))
    assert browser.execute_script(WIDTH)[0] <= 375
    # A typo: the message says what is wrong, and the number is not sent back.
    browser.find_element(By.ID, "felt-cpr").send_keys("3102901234")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Indskriv']"))
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert "ikke en dato, der findes" in summary and "samtykke" in summary
    assert browser.find_element(By.ID, "felt-cpr").get_attribute("value") == ""
    assert "3102901234" not in browser.page_source
    # A number unique to this run (the day of the month and the serial vary), with consent.
    stamp = int(time.time()) % 10_000
    # The serial's first digit 0–3 puts a year 90 in the 1900s.
    cpr = "%02d0390%04d" % (1 + stamp % 28, stamp % 4000)
    browser.find_element(By.ID, "felt-cpr").send_keys(cpr)
    browser.find_element(By.CSS_SELECTOR, "label[for='felt-consent']").click()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Indskriv']"))
    flash = body_text(browser)
    assert "Borgeren er indskrevet med pseudonymet" in flash and "CPR-nummeret er ikke gemt" in flash
    assert cpr not in browser.page_source
    pseudonym = flash.split("pseudonymet ")[1].split(".")[0]
    assert serious_violations(browser) == []
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, pseudonym))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Baseline"))
    assert "har jeg været glad og i godt humør" in body_text(browser)
    assert browser.execute_script(WIDTH)[0] <= 375
    # Raw 3 + 3 + 3 + 2 + 2 = 13, index 52: tap each answer's label as a person does.
    for item, value in zip(range(1, 6), [3, 3, 3, 2, 2]):
        labels = browser.find_elements(By.CSS_SELECTOR, "input[name='i.who5.%d'] + label" % item)
        next(label for label in labels if label.text.endswith("(%d)" % value)).click()
    assert serious_violations(browser) == []
    # The form saves by itself: the answers are there when the page is opened again, before any button.
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "gem-status"), "Gemt"))
    browser.refresh()
    checked = [e.get_attribute("value") for e in browser.find_elements(By.CSS_SELECTOR, "input[name^='i.who5.']:checked")]
    assert checked == ["3", "3", "3", "2", "2"], checked
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem målingen']"))
    page = body_text(browser)
    assert "Målingen er gemt." in page and "WHO-5 Trivselsindeks: 52" in page
    sign_out(browser)

    # The agency at a desk: the overview, with Vejle (3 citizens) withheld and one more so it cannot be
    # worked out from the total.
    browser.set_window_size(1280, 1000)
    sign_in(browser, "tilskud@styrelsen.demo")
    open_demo_evaluation(browser)
    overview = browser.find_element(By.TAG_NAME, "main").text
    assert "færre end 5 borgere" in overview
    rows = [r.text for r in browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")]
    assert any(r.startswith("Vejle Kommune") and "●" in r for r in rows), rows
    assert any(r.startswith("I alt") and "●" not in r for r in rows), rows
    assert browser.find_elements(By.LINK_TEXT, "Borgere (pseudonymiseret)") == []
    # A chart per municipality, behind a summary: Aarhus has one, Vejle's few citizens none.
    browser.find_element(By.XPATH, "//summary[starts-with(text(), 'WHO-5 Trivselsindeks pr. kommune')]").click()
    labels = [svg.get_attribute("aria-label") for svg in browser.find_elements(By.CSS_SELECTOR, "details.charts svg")]
    assert any("Aarhus Kommune" in label for label in labels), labels
    assert not any("Vejle" in label for label in labels), labels
    assert serious_violations(browser) == []
    sign_out(browser)

    # The evaluator on a phone asks for the wide export with the page's own form; the job's page follows its
    # progress by itself and offers the file once; the download is the CSV, and afterwards the file is gone.
    browser.set_window_size(375, 800)
    sign_in(browser, "evaluator@vive.demo")
    open_demo_evaluation(browser)
    browser.find_element(By.XPATH, "//label[starts-with(text(), 'Bred form, CSV')]").click()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Bestil eksporten']"))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Eksport: bred form, CSV")
    button = WebDriverWait(browser, 30).until(
        EC.element_to_be_clickable((By.XPATH, "//button[text()='Hent evaluering-bred.csv']")))
    ready = browser.find_element(By.TAG_NAME, "main").text
    assert "Eksporten er klar:" in ready and "Filen kan hentes én gang." in ready, ready
    assert browser.execute_script(WIDTH)[0] <= 375
    assert serious_violations(browser) == []
    downloads = tempfile.mkdtemp(prefix="pulje-downloads-")
    browser.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads})
    button.click()
    saved = os.path.join(downloads, "evaluering-bred.csv")
    deadline = time.time() + 30
    while not os.path.exists(saved) and time.time() < deadline:
        time.sleep(0.2)
    with open(saved, "rb") as handle:
        lines = handle.read().decode("utf-8-sig").splitlines()
    assert lines[0].startswith("pseudonym;kommune;baseline_dato")
    assert any(";Aarhus Kommune;" in line and ";13;52;" in line for line in lines[1:])
    assert not any(cpr in line for line in lines)
    browser.refresh()
    gone = browser.find_element(By.TAG_NAME, "main").text
    assert "Filen er slettet" in gone and "Bestil en ny eksport" in gone, gone
    # The evaluation's page lists it among the evaluator's exports.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Bestil en ny eksport"))
    exports = browser.find_element(By.XPATH, "//table[caption='Dine seneste eksporter']").text
    assert "Bred form, CSV" in exports and "filen er slettet" in exports, exports
    sign_out(browser)

    # The data-protection officer reads who enrolled, recorded and exported.
    sign_in(browser, "dpo@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Borgerdata-log"))
    log = browser.find_element(By.TAG_NAME, "main").text
    for action in ["Indskrevet", "Registreret", "Eksporteret", "Læst"]:
        assert action in log, action
    assert pseudonym in log
    assert serious_violations(browser) == []
    # The CPR number entered is in no file of the server: not the database, its WAL, the attachments, the log.
    # (The search finds what is there: the pseudonym is in the audit log's database.)
    assert files_holding(pseudonym) != [], "the search found nothing at all"
    for written in [cpr, cpr[:6] + "-" + cpr[6:], "3102901234"]:
        assert files_holding(written) in (None, []), (written, files_holding(written))


def test_the_evaluation_pages_reflow_at_320_px(browser):
    """WCAG 2.1 1.4.10 for every evaluation page type, as the evaluator, a municipality and the agency."""
    browser.set_window_size(320, 800)
    wide = []
    for email in ["evaluator@vive.demo", "ansoger@aarhus.demo", "tilskud@styrelsen.demo", "dpo@styrelsen.demo"]:
        sign_in(browser, email)
        paths = ["/evalueringer", "/instrumenter", "/instrumenter/who5"]
        if email.startswith("dpo"):
            paths = ["/admin/borgerdata-log"]
        else:
            browser.get(url("/evalueringer"))
            evaluation = browser.find_element(By.LINK_TEXT, DEMO).get_attribute("href").replace(url(""), "")
            paths.append(evaluation)
            if not email.startswith("tilskud"):
                paths.append(evaluation + "/borgere")
                browser.get(url(evaluation + "/borgere"))
                citizen = browser.find_element(By.CSS_SELECTOR, "table.data tbody a").get_attribute("href")
                paths += [citizen.replace(url(""), ""), citizen.replace(url(""), "") + "/6mdr"]
            if email.startswith("evaluator"):
                paths.append(evaluation + "/design")
        for path in paths:
            browser.get(url(path))
            scroll, inner = browser.execute_script(WIDTH)
            if scroll > inner:
                wide.append((email, path, scroll))
        sign_out(browser)
    assert wide == [], wide


def test_a_municipality_imports_a_spreadsheet_and_a_bad_row_imports_nothing(browser, tmp_path):
    """The template's columns in a workbook as Excel saves it (openpyxl: shared strings, CPR as text),
    uploaded through the page's file field; a bad cell first, named by row and column, then the good file."""
    import openpyxl

    sign_in(browser, "ansoger@aalborg.demo")
    open_demo_evaluation(browser)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Borgere og målinger"))
    before = len(browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr"))
    template = browser.find_element(By.LINK_TEXT, "XLSX").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    header = [c.value for c in openpyxl.load_workbook(
        __import__("io").BytesIO(requests.get(template, cookies=cookies, timeout=30).content)).active[1]]
    assert header[:2] == ["cpr", "baseline_dato"] and "baseline_who5_5" in header

    stamp = int(time.time()) % 4000
    numbers = ["%02d0485%04d" % (1 + (stamp + i) % 28, (stamp * 7 + i) % 4000) for i in range(3)]

    def workbook(rows, name):
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(["cpr", "samtykke", "baseline_who5_1", "baseline_who5_2", "baseline_who5_3",
                      "baseline_who5_4", "baseline_who5_5"])
        for row in rows:
            sheet.append(row)
        for cell in sheet["A"]:
            cell.number_format = "@"
        path = tmp_path / name
        book.save(path)
        return str(path)

    def upload(path):
        browser.find_element(By.ID, "felt-import-file").send_keys(path)
        click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Indlæs filen']"))

    good = [[n, "ja", 4, 4, 3, 3, 4] for n in numbers]
    upload(workbook(good[:2] + [[numbers[2], "ja", 4, 4, 9, 3, 4]], "fejl.xlsx"))
    report = browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert "Intet er indlæst" in report
    assert "Række 4, kolonne baseline_who5_3: Svaret skal være et helt tal på skalaen 0–5." in report
    assert all(n not in browser.page_source for n in numbers)
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")) == before

    upload(workbook(good, "borgere.xlsx"))
    assert "Filen er indlæst: 3 borgere, heraf 3 nye" in body_text(browser)
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")) == before + 3
    assert all(n not in browser.page_source for n in numbers)
    assert serious_violations(browser) == []
