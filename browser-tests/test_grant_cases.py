"""A year of a grant case, driven through the pages' own forms and buttons: runs after test_assessment,
whose decision gave Aalborg and Vejle their awards (and so their grant cases)."""
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

import io
import re

import openpyxl
import requests

from conftest import click_and_wait, sign_in, sign_out, url
from test_catalogue import body_text, serious_violations

WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"


def open_case(browser, organisation):
    """The organisation's case in the call test_assessment decided (the demo call in its first year has
    cases for the same municipalities)."""
    browser.get(url("/tilskudssager"))
    row = browser.find_element(
        By.XPATH, "//tr[td[text()='%s'] and td/a[contains(., 'ansøgninger til vurdering')]]" % organisation)
    click_and_wait(browser, row.find_element(By.TAG_NAME, "a"))


def press(browser, text):
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[normalize-space()='%s']" % text))


def test_a_year_of_a_grant_case(browser, second_browser):
    # The municipality names its organisation; the page says which required role is still missing.
    sign_in(browser, "ansoger@aalborg.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Tilskudssager"))
    open_case(browser, "Aalborg Kommune")
    assert "Mangler: Projektansvarlig leder, Projektleder." in body_text(browser)
    assert serious_violations(browser) == []
    browser.find_element(By.ID, "felt-member-name").send_keys("Lene Leder")
    browser.find_element(By.ID, "felt-member-email").send_keys("lene@aalborg.dk")
    Select(browser.find_element(By.ID, "felt-member-role")).select_by_visible_text("Projektleder")
    Select(browser.find_element(By.ID, "felt-member-group")).select_by_visible_text("Implementeringsteam")
    press(browser, "Tilføj")
    assert "Lene Leder er tilføjet organiseringen." in body_text(browser)
    assert "Mangler: Projektansvarlig leder." in body_text(browser)
    # A half-filled form gets its message by the field, and what was typed stays.
    browser.find_element(By.ID, "felt-member-email").send_keys("per@aalborg.dk")
    press(browser, "Tilføj")
    assert "Skriv personens navn." in body_text(browser)
    assert browser.find_element(By.ID, "felt-member-email").get_attribute("value") == "per@aalborg.dk"
    sign_out(browser)

    # The grant administrator asks every case of the call for a status report.
    sign_in(browser, "tilskud@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Tilskudssager"))
    browser.find_element(By.CSS_SELECTOR, "details.round-form summary").click()
    # Each call's panel has fields of its own ("felt-<call>-round-title"); the demo has one call with cases.
    panel = browser.find_element(By.CSS_SELECTOR, "section.call-panel")
    panel.find_element(By.NAME, "round.title").send_keys("Statusrapport 1")
    browser.execute_script("arguments[0].value = '2099-03-01'", panel.find_element(By.NAME, "round.date"))
    press(browser, "Opret rapporteringen")
    assert "Statusrapport 1 er oprettet for 2 sager." in body_text(browser)
    sign_out(browser)

    # The municipality writes, saves and submits it, and gets a receipt.
    sign_in(browser, "ansoger@aalborg.demo")
    open_case(browser, "Aalborg Kommune")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Statusrapport 1"))
    browser.find_element(By.ID, "felt-answer-fremdrift").send_keys("Tre teams er i gang.")
    # The report saves by itself after a pause in typing.
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "gem-status"), "Gemt"))
    press(browser, "Gem kladde")
    assert "Rapporten er gemt." in body_text(browser)
    press(browser, "Indsend rapporten")
    assert "Spørgsmål 2 skal besvares" in body_text(browser)
    browser.find_element(By.ID, "felt-answer-tilpasninger").send_keys("Færre møder.")
    browser.find_element(By.ID, "felt-answer-naeste").send_keys("Læringsloop 1.")
    press(browser, "Indsend rapporten")
    assert "Kvitteringsnummer: SR-" in body_text(browser)
    # And asks to extend the period.
    open_case(browser, "Aalborg Kommune")
    browser.find_element(By.XPATH, "//summary[text()='Anmod om en ændring']").click()
    Select(browser.find_element(By.ID, "felt-change-kind")).select_by_visible_text("Forlængelse af projektperioden")
    browser.find_element(By.ID, "felt-change-description").send_keys("Opstarten blev forsinket.")
    browser.execute_script("document.getElementById('felt-change-newEnd').value = '2099-06-30'")
    press(browser, "Send anmodningen")
    assert "Anmodningen er sendt til styrelsen. Kræver godkendelse." in body_text(browser)
    # And delivers the first year's accounts.
    browser.find_element(By.XPATH, "//summary[text()='Indsend regnskab for et projektår']").click()
    year_select = Select(browser.find_element(By.ID, "felt-accounts-year"))
    year_select.select_by_index(1)
    amount_fields = browser.find_elements(By.CSS_SELECTOR, "input[name^='actual.']")
    amount_fields[0].send_keys("100.000")
    browser.find_element(By.ID, "felt-accounts-auditor").send_keys("Revisor A/S: retvisende billede.")
    press(browser, "Indsend regnskabet")
    assert "er sendt til styrelsen" in body_text(browser)
    sign_out(browser)

    # The grant administrator approves the report, the change and the accounts, and prepares a payment.
    sign_in(browser, "tilskud@styrelsen.demo")
    open_case(browser, "Aalborg Kommune")
    case_url = browser.current_url.split("#")[0]
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Statusrapport 1"))
    press(browser, "Godkend rapporten")
    assert "Rapporten er godkendt." in body_text(browser)
    browser.get(case_url)
    press(browser, "Godkend")
    assert "Ændringen er godkendt." in body_text(browser)
    assert "30. juni 2099" in body_text(browser)
    approve_accounts = browser.find_element(By.XPATH, "//button[starts-with(normalize-space(), 'Godkend regnskabet for')]")
    click_and_wait(browser, approve_accounts)
    assert "er godkendt" in body_text(browser)
    browser.find_element(By.ID, "felt-payee-account").send_keys("1234 0001234567")
    press(browser, "Gem konto")
    browser.find_element(By.ID, "felt-payment-amount").send_keys("350.000")
    press(browser, "Klargør udbetaling")
    assert "En anden tilskudsforvalter skal frigive den." in body_text(browser)
    # She cannot release what she prepared.
    press(browser, "Frigiv 350.000 kr.")
    assert "kan ikke selv frigive" in body_text(browser)
    sign_out(browser)

    # A second grant administrator releases it, at a phone's width too.
    sign_in(second_browser, "tilskud2@styrelsen.demo")
    second_browser.get(case_url)
    press(second_browser, "Frigiv 350.000 kr.")
    assert "Udbetalingen er frigivet" in body_text(second_browser)
    assert "Udbetaling frigivet" in body_text(second_browser)  # in the timeline
    for width in (1280, 375):
        second_browser.set_window_size(width, 900)
        second_browser.get(case_url)
        scroll, inner = second_browser.execute_script(WIDTH)
        assert scroll <= inner, (width, scroll, inner)
    assert serious_violations(second_browser) == []

    # Another municipality gets nothing of the case.
    sign_in(browser, "ansoger@odense.demo")
    browser.get(case_url)
    assert "findes ikke" in body_text(browser)


def test_an_activity_is_scheduled_registered_and_attended(browser):
    """Staff schedule a mandatory start-up a few minutes ahead (the server's clock is real), Aalborg registers
    its project leader, and once it has begun staff record who came; the cases show their obligations."""
    import datetime
    import time
    from zoneinfo import ZoneInfo

    import requests

    danish = ZoneInfo("Europe/Copenhagen")
    start = (datetime.datetime.now(danish) + datetime.timedelta(minutes=2)).replace(second=0, microsecond=0)
    end = start + datetime.timedelta(hours=1)
    end_text = "23.59" if end.date() != start.date() else end.strftime("%H.%M")

    sign_in(browser, "tilskud@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Tilskudssager"))
    browser.find_element(By.XPATH, "//summary[text()='Planlæg en aktivitet']").click()
    panel = browser.find_element(By.CSS_SELECTOR, "section.call-panel")
    Select(panel.find_element(By.NAME, "activity.kind")).select_by_visible_text("Tværkommunalt opstartsmøde")
    panel.find_element(By.NAME, "activity.title").send_keys("Fælles opstart")
    browser.execute_script(
        "arguments[0].value = arguments[1]", panel.find_element(By.NAME, "activity.date"), start.strftime("%Y-%m-%d"))
    for field, value in (("activity.start", start.strftime("%H.%M")), ("activity.end", end_text)):
        panel.find_element(By.NAME, field).clear()
        panel.find_element(By.NAME, field).send_keys(value)
    panel.find_element(By.NAME, "activity.place").send_keys("Odense, Socialstyrelsen")
    browser.find_element(By.XPATH, "//label[text()='Obligatorisk']").click()
    browser.find_element(By.XPATH, "//fieldset[legend[text()='Roller, der skal deltage']]//label[text()='Projektleder']").click()
    press(browser, "Planlæg aktiviteten")
    assert "Fælles opstart er planlagt for 2 sager." in body_text(browser)
    sign_out(browser)

    # Aalborg sees what the start-up asks of it and registers its project leader.
    sign_in(browser, "ansoger@aalborg.demo")
    open_case(browser, "Aalborg Kommune")
    assert "Mangler tilmelding af: Projektleder." in body_text(browser)
    Select(browser.find_element(By.CSS_SELECTOR, "select[name^='participant.']")).select_by_visible_text(
        "Lene Leder (Projektleder)")
    press(browser, "Tilmeld")
    assert "Lene Leder er tilmeldt Fælles opstart." in body_text(browser)
    assert "Mangler tilmelding af" not in body_text(browser)
    calendar = browser.find_element(By.PARTIAL_LINK_TEXT, "som kalenderfil").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    ics = requests.get(calendar, cookies=cookies, timeout=10)
    assert ics.status_code == 200 and "SUMMARY:Fælles opstart" in ics.text
    assert serious_violations(browser) == []
    sign_out(browser)

    # The start-up begins; staff record who came.
    wait = (start - datetime.datetime.now(danish)).total_seconds() + 2
    if wait > 0:
        time.sleep(wait)
    sign_in(browser, "tilskud@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Tilskudssager"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Fælles opstart"))
    browser.find_element(By.XPATH, "//label[text()='Lene Leder (Projektleder)']").click()
    press(browser, "Gem fremmødet")
    assert "Fremmødet er registreret: 1 af 1 tilmeldte deltog." in body_text(browser)
    assert serious_violations(browser) == []
    browser.set_window_size(375, 900)
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner, (scroll, inner)
    browser.set_window_size(1280, 900)
    open_case(browser, "Aalborg Kommune")
    assert "Deltaget i 1 af 1 obligatoriske aktiviteter." in body_text(browser)
    open_case(browser, "Vejle Kommune")
    assert "Deltaget i 0 af 1 obligatoriske aktiviteter. Ikke deltaget: Fælles opstart." in body_text(browser)


def test_the_anchoring_plan_and_what_stands_before_the_close(browser):
    """Aalborg delivers its anchoring plan through the case page; the grant administrator sees what still
    stands in the way of closing the case, and no close button until nothing does."""
    sign_in(browser, "ansoger@aalborg.demo")
    open_case(browser, "Aalborg Kommune")
    press(browser, "Indsend forankringsplanen")
    assert "Skriv forankringsplanen" in body_text(browser)
    browser.find_element(By.ID, "felt-anchoring-plan").send_keys(
        "Familieafdelingen ejer indsatsen efter projektet; den finansieres af driftsbudgettet.")
    press(browser, "Indsend forankringsplanen")
    assert "Forankringsplanen er sendt til styrelsen." in body_text(browser)
    assert serious_violations(browser) == []
    sign_out(browser)

    sign_in(browser, "tilskud@styrelsen.demo")
    open_case(browser, "Aalborg Kommune")
    text = body_text(browser)
    assert "Familieafdelingen ejer indsatsen" in text
    assert "Sagen kan afsluttes, når dette er på plads:" in text
    assert "Kommunen har ikke indsendt forankringsplanen." not in text
    assert "Der er ikke bedt om en slutrapport" in text
    assert not browser.find_elements(By.XPATH, "//button[normalize-space()='Afslut sagen']")

    sign_out(browser)


def test_the_agency_overview_of_a_call_in_its_first_year(browser):
    """A director opens the overview of the demo call in its first project year from the list of cases:
    every municipality's case, what is overdue, who missed a mandatory activity, spend against budget as a
    chart (a narrow one on a phone) and a table, and the same as a spreadsheet."""
    browser.set_window_size(1280, 900)
    sign_in(browser, "direktor@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Tilskudssager"))
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Overblik: Demo: Sundhed på botilbud, runde 0"))
    text = body_text(browser)
    assert "Overblik over tilskudssagerne" in text
    rows = browser.find_elements(By.XPATH, "//table[caption='Kommunernes sager']/tbody/tr")
    assert [r.find_element(By.TAG_NAME, "th").text for r in rows] == ["Vejle Kommune", "Aalborg Kommune", "Aarhus Kommune"]
    assert "Udeblev: Kompetencedag 1" in rows[0].text and "Statusrapport 2" in rows[0].text
    assert "Intet" in rows[2].text
    assert browser.find_element(By.CSS_SELECTOR, "svg.chart-wide").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "svg.chart-narrow").is_displayed()
    assert serious_violations(browser) == []

    xlsx_url = browser.find_element(By.PARTIAL_LINK_TEXT, "Excel-regneark").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    download = requests.get(xlsx_url, cookies=cookies, timeout=10)
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    assert sheet["A1"].value == "Modtager" and sheet["A2"].value == "Vejle Kommune"
    assert sheet["C2"].value == 600000
    assert sheet.cell(row=5, column=1).value == "I alt" and sheet["C5"].value == 2100000

    # On a phone: the narrow chart, and no sideways scrolling of the page.
    browser.set_window_size(375, 800)
    browser.refresh()
    assert browser.find_element(By.CSS_SELECTOR, "svg.chart-narrow").is_displayed()
    assert not browser.find_element(By.CSS_SELECTOR, "svg.chart-wide").is_displayed()
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner, (scroll, inner)
    browser.set_window_size(1280, 900)
    sign_out(browser)


def test_the_overview_of_an_initiative_from_its_page(browser):
    """A grant administrator goes from initiative 1.1 in the catalogue to its grant cases across its calls:
    the demo's rounds of 1.1 have no cases yet, and the page says so, at 1280 and at 375 px."""
    browser.set_window_size(1280, 900)
    sign_in(browser, "tilskud@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Initiativer"))
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Udbredelse af bedre koordination"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Tilskudssager under initiativet"))
    text = body_text(browser)
    assert "Overblik over initiativ 1.1" in text
    assert "Ingen af initiativets 2 puljer har endnu tilskudssager." in text
    assert serious_violations(browser) == []
    browser.set_window_size(375, 800)
    browser.refresh()
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner, (scroll, inner)
    browser.set_window_size(1280, 900)
    sign_out(browser)
    # A municipality's applicant sees no such link on the initiative's page.
    sign_in(browser, "ansoger@aarhus.demo")
    browser.get(url("/initiativer/2022/1.1"))
    assert not browser.find_elements(By.LINK_TEXT, "Tilskudssager under initiativet")
    sign_out(browser)


def test_the_final_report_is_asked_for_and_awaited_before_the_close(browser):
    """On a phone, the grant administrator asks for the final report with the call's own form; Aalborg's
    case then names it as the final report, its page asks the final questions, and closing waits for it."""
    sign_in(browser, "tilskud@styrelsen.demo")
    browser.set_window_size(375, 800)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Tilskudssager"))
    panel = browser.find_element(
        By.XPATH, "//section[contains(@class, 'call-panel')][h3[contains(., 'ansøgninger til vurdering')]]")
    panel.find_element(By.CSS_SELECTOR, "details.round-form summary").click()
    panel.find_element(By.NAME, "round.title").send_keys("Slutrapport")
    browser.execute_script("arguments[0].value = '2099-06-01'", panel.find_element(By.NAME, "round.date"))
    panel.find_element(By.XPATH, ".//label[starts-with(normalize-space(), 'Det er slutrapporten')]").click()
    press(browser, "Opret rapporteringen")
    assert "Slutrapport er oprettet for" in body_text(browser)
    scroll, inner = browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, (scroll, inner)
    open_case(browser, "Aalborg Kommune")
    text = body_text(browser)
    assert "Slutrapport (slutrapporten) – Ikke påbegyndt." in text
    assert "Der er ikke bedt om en slutrapport" not in text
    assert re.search(r"Ikke godkendt: [^.]*Slutrapport\.", text), text
    assert serious_violations(browser) == []
    browser.set_window_size(1280, 900)
    sign_out(browser)
    sign_in(browser, "ansoger@aalborg.demo")
    open_case(browser, "Aalborg Kommune")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Slutrapport"))
    text = body_text(browser)
    assert "Det er slutrapporten: styrelsen skal godkende den, før sagen kan afsluttes." in text
    assert "Hvordan fortsætter indsatsen efter projektperioden?" in text
    sign_out(browser)
