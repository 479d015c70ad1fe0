"""A programme manager builds a business case on its pages (index values, the form, a refused value, the
result step by step), at 1280 and 375 px; a municipal applicant reads it from the initiative's page."""
import io
import time

import openpyxl
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click_and_wait, sign_in, sign_out, url
from test_catalogue import serious_violations

WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"


def body_text(driver):
    return driver.find_element(By.TAG_NAME, "body").text


def fill(driver, field_id, value):
    field = driver.find_element(By.ID, field_id)
    field.clear()
    field.send_keys(value)


def set_index_value(driver, year, value):
    fill(driver, "felt-year", year)
    fill(driver, "felt-value", value)
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Gem indeksværdi']"))


def save(driver):
    click_and_wait(driver, driver.find_element(By.XPATH, "//button[text()='Gem og beregn']"))


def test_a_business_case_from_the_index_to_the_computation_on_a_phone_and_a_desk(browser):
    sign_in(browser, "fagkonsulent@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Business cases"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Nettoprisindekset"))
    set_index_value(browser, "2024", "abc")
    assert "Indeksværdien skal være et tal" in body_text(browser)
    assert browser.find_element(By.ID, "felt-value").get_attribute("value") == "abc"
    set_index_value(browser, "2020", "100")
    set_index_value(browser, "2024", "110,5")
    assert "110,5" in browser.find_element(By.CSS_SELECTOR, "table.data").text

    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Business cases"))
    title = "Job og trivsel %d" % int(time.time() * 1000)
    fill(browser, "felt-title", title)
    Select(browser.find_element(By.ID, "felt-initiative")).select_by_visible_text(
        "1.6 Modning af model til styrkelse af den kommunale indsats til voldsudsatte (2022)")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Opret business case']"))
    assert "Ret business case" in body_text(browser)

    # The figures, with one mistake: a success rate that is not a number.
    fill(browser, "felt-priceLevel", "2024")
    fill(browser, "felt-firstYear", "2024")
    fill(browser, "felt-horizon", "4")
    fill(browser, "felt-successRateNew", "tolv")
    fill(browser, "felt-successRateCurrent", "2")
    fill(browser, "felt-cohorts-0-", "100")
    fill(browser, "felt-cohorts-1-", "100")
    fill(browser, "felt-consequences-0--name", "Kontanthjælp")
    fill(browser, "felt-consequences-0--unit", "uger")
    fill(browser, "felt-consequences-0--priceLevel", "2020")
    fill(browser, "felt-consequences-0--prices-municipality", "3.000")
    fill(browser, "felt-consequences-0--prices-state", "1.000")
    fill(browser, "felt-consequences-0--changes-0-", "-10")
    fill(browser, "felt-consequences-0--changes-1-", "-20")
    fill(browser, "felt-consequences-0--changes-2-", "-20")
    fill(browser, "felt-costs-0--name", "Opstart")
    Select(browser.find_element(By.ID, "felt-costs-0--kind")).select_by_visible_text("Etablering")
    fill(browser, "felt-costs-0--amounts-0-", "500.000")
    save(browser)
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert "Succesraten skal være et tal" in summary
    assert "Intet er gemt" in summary
    # Nothing typed is lost.
    assert browser.find_element(By.ID, "felt-consequences-0--changes-2-").get_attribute("value") == "-20"
    fill(browser, "felt-successRateNew", "12")
    save(browser)
    assert "Business casen er gemt." in body_text(browser)

    # A second cost in the blank row the form always has.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Ret tallene"))
    assert len(browser.find_elements(By.CSS_SELECTOR, "input[id^='felt-cohorts-']")) == 4  # the horizon
    fill(browser, "felt-costs-1--name", "Drift")
    Select(browser.find_element(By.ID, "felt-costs-1--kind")).select_by_visible_text("Drift")
    fill(browser, "felt-costs-1--amounts-0-", "800.000")
    fill(browser, "felt-costs-1--amounts-1-", "800.000")
    save(browser)

    # 3.000 kr. in 2020 prices is 3.315 kr. in 2024 prices (110,5 / 100). The gains of all payers:
    # 442.000, 1.326.000, 1.768.000 and 884.000; the costs 1.300.000 and 800.000.
    text = body_text(browser)
    assert "Break-even (alle betalere)\n2026" in text
    assert "Akkumuleret nettoresultat 2027\n2.320.000 kr." in text
    assert "Kontanthjælp (pris pr. uger): 2020-priser × 1,105 → kommune 3.315 kr., stat 1.105 kr." in text
    assert "Beregningen trin for trin" in text
    assert "Succesrate 25 % lavere" in text
    assert browser.find_elements(By.CSS_SELECTOR, "svg.chart polyline")
    assert serious_violations(browser) == []

    xlsx_url = browser.find_element(By.PARTIAL_LINK_TEXT, "Excel-regneark").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    download = requests.get(xlsx_url, cookies=cookies, timeout=10)
    assert download.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(download.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    total = next(i for i, row in enumerate(cells) if row[0] == "Alle betalere")
    assert cells[total + 4][1:5] == [-858000, -332000, 1436000, 2320000]

    # On a phone: the result and the form reflow without sideways scrolling, and stay accessible.
    case_url = browser.current_url
    browser.set_window_size(375, 800)
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Ret tallene"))
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    assert serious_violations(browser) == []
    browser.set_window_size(1280, 1000)
    sign_out(browser)

    # A municipality's economist reads it from the initiative's page, and cannot change it.
    sign_in(browser, "ansoger@aarhus.demo")
    browser.get(url("/initiativer/2022/1.6"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, title))
    assert browser.current_url == case_url
    text = body_text(browser)
    assert "2.320.000 kr." in text
    assert "Ret tallene" not in text
    browser.get(case_url + "/rediger")
    assert "Kun styrelsens programansvarlige" in body_text(browser)
    sign_out(browser)


def test_from_a_business_case_to_a_decided_verdict(browser):
    sign_in(browser, "fagkonsulent@styrelsen.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Initiativer"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Initiativernes faser og fasevurderinger"))
    # An initiative whose gate has not begun, in a phase with a next one.
    rows = browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")
    row = next(r for r in rows if "Ikke begyndt" in r.text and "sidste fase" not in r.text)
    initiative = row.find_element(By.TAG_NAME, "a").text  # "1.6 Modning af …"
    number = initiative.split(" ")[0]

    # Its business case, small: 10 citizens a year, 10 % more succeed, each 5 days fewer in a shelter.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Business cases"))
    title = "Forsorg %s %d" % (number, int(time.time() * 1000))
    fill(browser, "felt-title", title)
    Select(browser.find_element(By.ID, "felt-initiative")).select_by_visible_text(initiative + " (2022)")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Opret business case']"))
    fill(browser, "felt-horizon", "2")
    fill(browser, "felt-successRateNew", "10")
    fill(browser, "felt-successRateCurrent", "0")
    fill(browser, "felt-cohorts-0-", "10")
    fill(browser, "felt-consequences-0--name", "Forsorgshjem")
    fill(browser, "felt-consequences-0--unit", "døgn")
    fill(browser, "felt-consequences-0--prices-municipality", "1.500")
    fill(browser, "felt-consequences-0--changes-0-", "-5")
    save(browser)
    assert "Akkumuleret nettoresultat" in body_text(browser)
    assert "1.500 kr." in body_text(browser)  # 10 × 10 % × 5 døgn × 1.500 kr.

    # From the business case to its initiative, and to the gate.
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, number + " (2022)"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Fasevurdering"))
    criteria = browser.find_elements(By.CSS_SELECTOR, "form.stacked fieldset.row-block")[:-1]
    assert len(criteria) == 5
    for fieldset in criteria:
        fieldset.find_element(By.XPATH, ".//label[text()='Opfyldt']").click()
        fieldset.find_element(By.TAG_NAME, "textarea").send_keys("Dokumenteret i business casen og tilskudssagerne.")
        fieldset.find_element(By.XPATH, ".//label[starts-with(text(), 'Business case: %s')]" % title).click()
    browser.find_element(By.XPATH, "//label[starts-with(text(), 'Videre til')]").click()
    # Proposing without the recommendation's justification is refused, and nothing typed is lost.
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Indstil']"))
    assert "Begrund indstillingen." in browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert browser.find_elements(By.CSS_SELECTOR, "input[type=radio][value=met]:checked").__len__() == 5
    browser.find_element(By.ID, "felt-note").send_keys("Alle kriterier er opfyldt; business casen går i nul.")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Indstil']"))
    assert "En anden skal nu registrere afgørelsen" in body_text(browser)
    assert "Business case: " + title in body_text(browser)
    gate_url = browser.current_url
    sign_out(browser)

    # The director records the steering group's decision, on a phone.
    sign_in(browser, "direktor@styrelsen.demo")
    browser.set_window_size(375, 800)
    browser.get(gate_url)
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    assert serious_violations(browser) == []
    phase_before = browser.find_element(By.CSS_SELECTOR, ".lead").text
    browser.find_element(By.ID, "felt-decisionNote").send_keys("Styregruppens møde, punkt 4.")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Registrér afgørelsen']"))
    assert "Afgørelsen er registreret. Initiativet er nu i fasen" in body_text(browser)
    assert browser.find_element(By.CSS_SELECTOR, ".lead").text != phase_before
    browser.set_window_size(1280, 1000)
    sign_out(browser)

    # Anyone reads the verdict from the initiative's page.
    browser.get(gate_url.replace("/fasevurdering", ""))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Afgjorte fasevurderinger af initiativet"))
    text = body_text(browser)
    assert "Styregruppens møde, punkt 4." in text
    assert "Opfyldt" in text


def test_the_agency_changes_a_phases_criteria_and_the_gate_follows(browser):
    """A programme manager adds a criterion to the screening phase on a phone, sees it on an initiative's gate,
    and takes it out again at a desk; each change is a version with its reason."""
    sign_in(browser, "fagkonsulent@styrelsen.demo")
    browser.set_window_size(375, 800)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Initiativer"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Initiativernes faser og fasevurderinger"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")
    screening = [r for r in rows if "Screening →" in r.text]
    gate_url = screening[0].find_element(By.TAG_NAME, "a").get_attribute("href") if screening else None
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Fasernes kriterier"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Ret kriterierne for screening"))
    scroll, inner = browser.execute_script(WIDTH)
    assert scroll <= inner
    assert serious_violations(browser) == []
    before = len(browser.find_elements(By.CSS_SELECTOR, "fieldset.row-block input[type=hidden]"))
    assert before >= 1
    blank = browser.find_elements(By.XPATH, "//fieldset[legend[text()='Nyt kriterium']]")[0]
    blank.find_element(By.TAG_NAME, "textarea").send_keys("Kommunerne kan rekruttere nok borgere")
    # Saved without a dimension and a reason: refused, with the text kept.
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem kriterierne']"))
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary").text
    assert "Vælg en af SUSI-dimensionerne." in summary and "Skriv, hvorfor kriterierne ændres." in summary
    text_area = browser.find_element(By.XPATH, "//textarea[text()='Kommunerne kan rekruttere nok borgere']")
    select_id = text_area.get_attribute("id").replace("-text", "-dimension")
    Select(browser.find_element(By.ID, select_id)).select_by_visible_text("Realistisk drift")
    browser.find_element(By.ID, "felt-note").send_keys("Styregruppens møde, punkt 2.")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem kriterierne']"))
    text = body_text(browser)
    assert "er gemt som udgave" in text
    assert "Kommunerne kan rekruttere nok borgere" in text

    # The gate of an initiative in screening now asks for it.
    if gate_url:
        browser.get(gate_url)
        assert "Kommunerne kan rekruttere nok borgere" in body_text(browser)

    # At a desk, the criterion is taken out again: a new version, the earlier ones kept.
    browser.set_window_size(1280, 1000)
    browser.get(url("/fasekriterier/screening"))
    text_area = browser.find_element(By.XPATH, "//textarea[text()='Kommunerne kan rekruttere nok borgere']")
    text_area.clear()
    Select(browser.find_element(By.ID, text_area.get_attribute("id").replace("-text", "-dimension"))
           ).select_by_index(0)
    browser.find_element(By.ID, "felt-note").send_keys("Taget ud igen efter høring.")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem kriterierne']"))
    section = browser.find_element(By.ID, "screening")
    assert "Kommunerne kan rekruttere nok borgere" not in section.find_element(By.CSS_SELECTOR, "table.data").text
    section.find_element(By.TAG_NAME, "summary").click()
    assert "Taget ud igen efter høring." in section.text
    assert "Styregruppens møde, punkt 2." in section.text
    assert len(browser.find_elements(By.CSS_SELECTOR, "#screening table.data tbody tr")) >= 2 * before + 1
