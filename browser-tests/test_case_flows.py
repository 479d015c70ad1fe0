"""The applicant's day in the browser (issue 14): what broke, driven through the page's own forms."""
import tempfile

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

from conftest import check_and_submit, click_and_wait, pdf_text, sign_in, sign_out, tab_to, url
from test_applications import fill
from test_catalogue import body_text, serious_violations

SUPPORT = "Demo: Implementeringsstøtte til Én familie – én indgang og Sammen om familien, runde 4"
SCHOOL = "Demo: Ansøgningspulje til modning af tidlig opsporing i skolen"


def start_application(browser, email, call, whole_page=True):
    """Signs in and starts (or opens) the organisation's application to a call, through the pages. A new one
    opens at the first step of the form in steps; whole_page goes on to the page with every section."""
    sign_in(browser, email)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Puljer"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, call))
    click_and_wait(
        browser, browser.find_element(By.CSS_SELECTOR, ".apply button, .apply a.button, form.inline-form button.button"))
    whole = browser.find_elements(By.LINK_TEXT, "Se hele ansøgningen på én side")
    if whole_page and whole:
        click_and_wait(browser, whole[0])


def page_width(browser):
    return browser.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")


def test_the_application_form_in_steps_on_a_phone(browser):
    """A new application is written one section per page at 375 px: each step saves and goes on, the menu
    saves what is typed before it leaves, a line that cannot be read keeps the user at it, and the last step
    leads to "Tjek og indsend"."""
    browser.set_window_size(375, 800)
    start_application(browser, "ansoger@esbjerg.demo", SCHOOL, whole_page=False)
    heading = browser.find_element(By.ID, "trin").text
    assert heading.startswith("Trin 1 af ") and heading.endswith("Projektet"), heading
    assert not browser.find_elements(By.NAME, "services[0][name]")
    scroll, inner = page_width(browser)
    assert scroll <= inner, (scroll, inner)
    assert serious_violations(browser) == []
    # By keyboard alone: type, Tab to the first target area, Space to tick it, Enter to save and go on.
    title = browser.find_element(By.NAME, "projectTitle")
    title.send_keys("Tidlig opsporing i Esbjergs skoler")
    ActionChains(browser).send_keys(Keys.TAB).send_keys(Keys.SPACE).perform()
    assert browser.switch_to.active_element.get_attribute("name") == "targetAreas[]"
    assert browser.switch_to.active_element.is_selected()
    click_and_wait(browser, title, keys=Keys.ENTER)
    assert browser.find_element(By.ID, "trin").text.endswith("Deltagende tilbud")

    fill(browser, "services[0][name]", "Skolen ved Havet")
    Select(browser.find_element(By.NAME, "services[0][legalBasis]")).select_by_value("SEL § 11")
    fill(browser, "services[0][citizens]", "320")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem og fortsæt']"))
    assert browser.find_element(By.ID, "trin").text.endswith("Kontaktpersoner")
    # Typed, and straight to another step through the menu: the page saves first, then goes.
    fill(browser, "contacts[0][role]", "Projektleder")
    # On a step the sections menu is folded, so the step's own fields come first on a phone.
    assert not browser.find_element(By.CSS_SELECTOR, "[data-section='spoergsmaal'] a").is_displayed()
    browser.find_element(By.CSS_SELECTOR, ".form-sections summary").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-section='spoergsmaal'] a"))
    assert browser.find_element(By.ID, "trin").text.endswith("Spørgsmål")
    for textarea in browser.find_elements(By.CSS_SELECTOR, "textarea[name^='answers[']"):
        textarea.send_keys("Skole, PPR og myndighed arbejder allerede sammen om bekymringer for elever.")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem og fortsæt']"))
    assert browser.find_element(By.ID, "trin").text.endswith("Erklæringer")
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name='declarations[]']"):
        box.click()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem og fortsæt']"))
    assert browser.find_element(By.ID, "trin").text.endswith("Budget")

    # A number that cannot be read: saved as typed, and the user stays at the line with its problem.
    Select(browser.find_element(By.NAME, "budget[0][category]")).select_by_value("salaries")
    fill(browser, "budget[0][description]", "Projektleder, 0,5 årsværk")
    fill(browser, "budget[0][units]", "en halv")
    fill(browser, "budget[0][unitPrice]", "600.000")
    browser.find_element(By.ID, "felt-budget-0--months--1").click()
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[starts-with(text(), 'Gem og')]"))
    assert browser.find_element(By.ID, "trin").text.endswith("Budget")
    assert "Antal skal være et tal" in body_text(browser)
    assert browser.find_element(By.NAME, "budget[0][units]").get_attribute("value") == "en halv"
    scroll, inner = page_width(browser)
    assert scroll <= inner, (scroll, inner)
    fill(browser, "budget[0][units]", "0,5")
    # What was saved on the earlier steps is all still there.
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Forrige']"))
    assert browser.find_element(By.ID, "trin").text.endswith("Erklæringer")
    browser.find_element(By.CSS_SELECTOR, ".form-sections summary").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-section='kontakter'] a"))
    assert browser.find_element(By.NAME, "contacts[0][role]").get_attribute("value") == "Projektleder"

    # On through the remaining steps to "Tjek og indsend", and submit.
    browser.find_element(By.CSS_SELECTOR, ".form-sections summary").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "[data-section='budget'] a"))
    for _ in range(4):
        if "Tjek ansøgningen" in browser.find_element(By.TAG_NAME, "h1").text:
            break
        onward = browser.find_elements(By.XPATH, "//button[starts-with(text(), 'Gem og fortsæt') or text()='Gem og tjek ansøgningen'] | //a[starts-with(text(), 'Videre til')]")
        click_and_wait(browser, onward[0])
    text = browser.find_element(By.TAG_NAME, "main").text
    assert "Intet mangler" in text, text[:800]
    assert "Tidlig opsporing i Esbjergs skoler" in text and "Skolen ved Havet" in text and "300.000 kr." in text
    # Submitted by keyboard alone: Tab to the button, Enter.
    button = tab_to(browser, "el.textContent === 'Indsend ansøgningen'")
    click_and_wait(browser, button, keys=Keys.ENTER)
    assert "Kvittering for indsendt ansøgning" in body_text(browser)


def test_submitting_right_after_an_autosave_and_writing_in_the_case_with_a_file(browser):
    start_application(browser, "ansoger@vejle.demo", SUPPORT)

    fill(browser, "projectTitle", "Én indgang i Vejle")
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name='targetAreas[]']"):
        box.click()
    for textarea in browser.find_elements(By.CSS_SELECTOR, "textarea[name^='answers[']"):
        textarea.send_keys("Vi samler indsatsen for familier med børn med handicap i ét team.")
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name='declarations[]']"):
        box.click()
    # Leave the last field: the autosave runs and the page's version moves on.
    browser.find_element(By.NAME, "projectTitle").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "gem-status"), "Gemt"))
    # One save time on the page, the autosave's.
    status = browser.find_element(By.ID, "gem-status").text
    assert browser.find_element(By.ID, "senest-gemt").text.split(" af ")[0] in status
    # The sections menu followed the autosave: everything typed is ready; the director's approval is not.
    def state(section):
        return browser.find_element(By.CSS_SELECTOR, f"[data-section='{section}'] .section-state").text
    assert state("spoergsmaal") == "Klar"
    assert state("erklaeringer") == "Klar"
    assert state("godkendelse") == "Mangler 1"
    assert "afsnit er klar til indsendelse" in browser.find_element(By.ID, "afsnit-status").text
    # The save status stays in view (at the bottom of the screen) while the user is at the top of the form.
    browser.execute_script("window.scrollTo(0, 0); document.getElementById('felt-projectTitle').scrollIntoView()")
    bottom = browser.execute_script("return document.getElementById('gem-status').getBoundingClientRect().bottom")
    assert 0 < bottom <= browser.execute_script("return window.innerHeight"), bottom

    # The call requires the director's approval; Viggo holds the signatory role. He types once more and
    # approves at once, without pressing Gem: the page saves first, then approves what was just saved.
    fill(browser, "projectTitle", "Én indgang for familier i Vejle")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Godkend ansøgningen']"))
    assert "Ansøgningen er godkendt." in body_text(browser)
    assert "Godkendt af Viggo Ansøger" in body_text(browser)
    check_and_submit(browser)
    text = body_text(browser)
    assert "Kvittering for indsendt ansøgning" in text, text[:600]
    assert "ændret, siden" not in text

    # The application on one page, to print or save as PDF, with the receipt's number.
    number = browser.find_element(By.CSS_SELECTOR, ".receipt dd:nth-of-type(2)").text
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Udskriv ansøgningen"))
    printed = body_text(browser)
    assert number in printed and "Én indgang for familier i Vejle" in printed
    # Saved as PDF the way a user does it: the content without the site's menu and footer.
    pages, text = pdf_text(browser)
    assert pages >= 1
    assert number in text and "indgang for familier i Vejle" in text, text[:800]
    assert "Log ud" not in text and "Tilgængelighedserklæring" not in text
    browser.back()

    # The case: a message with a file, sent through the page's own form (multipart).
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Se den indsendte ansøgning"))
    assert "Én indgang for familier i Vejle" in body_text(browser)
    browser.find_element(By.ID, "felt-body").send_keys("Her er vores organisationsdiagram.")
    pdf = tempfile.NamedTemporaryFile(suffix=".pdf", delete=False)
    pdf.write(b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    pdf.close()
    browser.find_element(By.ID, "felt-message-file").send_keys(pdf.name)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Send besked']"))
    text = body_text(browser)
    assert "Beskeden er sendt." in text, text[:600]
    assert "Her er vores organisationsdiagram." in text
    assert browser.find_elements(By.CSS_SELECTOR, ".messages .attachments a")
    # And without a file.
    browser.find_element(By.ID, "felt-body").send_keys("Og et spørgsmål uden bilag.")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Send besked']"))
    assert "Og et spørgsmål uden bilag." in body_text(browser)
    assert serious_violations(browser) == []
    sign_out(browser)


def test_totals_never_say_kr_twice_and_follow_what_is_typed(browser):
    start_application(browser, "ansoger@aalborg.demo", SCHOOL)
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element(By.NAME, "budget[0][category]")).select_by_value("salaries")
    fill(browser, "budget[0][description]", "Projektleder, 0,5 årsværk")
    fill(browser, "budget[0][units]", "0,5")
    fill(browser, "budget[0][unitPrice]", "810.000")
    total = browser.find_element(By.ID, "budget-i-alt").text
    assert total == "405.000 kr."
    table = browser.find_element(By.ID, "budget-totaler").text
    assert "Løn" in table and "405.000 kr." in table
    assert "kr.." not in body_text(browser)
    sign_out(browser)


def test_a_half_written_draft_is_saved_with_gem(browser):
    start_application(browser, "ansoger@odense.demo", SUPPORT)
    # Only part of one answer; the required title and the contact's name left empty.
    fill(browser, "projectTitle", "")
    fill(browser, "contacts[0][name]", "")
    browser.find_element(By.CSS_SELECTOR, "textarea[name^='answers[']").send_keys("Første tanker")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#ansoegning button[type=submit]"))
    text = body_text(browser)
    assert "Gemt" in text, text[:400]
    assert "Første tanker" in browser.find_element(By.CSS_SELECTOR, "textarea[name^='answers[']").get_attribute("value")
    sign_out(browser)


def test_a_half_filled_budget_line_does_not_stop_autosaving(browser):
    start_application(browser, "ansoger@odense.demo", SCHOOL)
    # A line with a description but no category yet, then an answer.
    fill(browser, "budget[0][description]", "Konsulent til læringsloops")
    answer = browser.find_element(By.CSS_SELECTOR, "textarea[name^='answers[']")
    answer.send_keys("Vi starter i tre skoler.")
    browser.find_element(By.NAME, "projectTitle").click()
    WebDriverWait(browser, 10).until(EC.text_to_be_present_in_element((By.ID, "gem-status"), "Gemt"))
    # The problem is shown at the line, and nothing typed is lost when the page is opened again.
    problem = browser.find_element(By.CSS_SELECTOR, ".budget-line .autosave-problem")
    assert "Vælg en udgiftskategori" in problem.text
    browser.refresh()
    assert browser.find_element(By.NAME, "budget[0][description]").get_attribute("value") == "Konsulent til læringsloops"
    assert "Vi starter i tre skoler." in browser.find_element(By.CSS_SELECTOR, "textarea[name^='answers[']").get_attribute("value")
    assert "Vælg en udgiftskategori" in body_text(browser)
    sign_out(browser)


def test_two_colleagues_editing_different_fields_keep_both(browser, second_browser):
    amalie, karl = browser, second_browser
    start_application(amalie, "ansoger@aarhus.demo", SUPPORT)
    amalie.find_element(By.NAME, "email").send_keys("kollega@aarhus.demo")
    click_and_wait(amalie, amalie.find_element(By.XPATH, "//button[text()='Tilføj']"))
    address = amalie.current_url

    sign_in(karl, "kollega@aarhus.demo")
    karl.get(address)
    # Both have the same version open. Amalie writes the title; the autosave saves it.
    fill(amalie, "projectTitle", "Amalies titel")
    amalie.find_element(By.CSS_SELECTOR, "textarea[name^='answers[']").click()
    WebDriverWait(amalie, 10).until(EC.text_to_be_present_in_element((By.ID, "gem-status"), "Gemt"))
    # Karl writes an answer: his autosave finds a newer version and stops; Gem merges the two.
    karl.find_element(By.CSS_SELECTOR, "textarea[name^='answers[']").send_keys("Karls svar")
    karl.find_element(By.NAME, "projectTitle").click()
    WebDriverWait(karl, 10).until(EC.text_to_be_present_in_element((By.ID, "gem-status"), "tryk Gem"))
    click_and_wait(karl, karl.find_element(By.CSS_SELECTOR, "#ansoegning button[type=submit]"))
    assert "begges ændringer er med" in body_text(karl)
    assert karl.find_element(By.NAME, "projectTitle").get_attribute("value") == "Amalies titel"
    assert "Karls svar" in karl.find_element(By.CSS_SELECTOR, "textarea[name^='answers[']").get_attribute("value")


def test_a_draft_can_be_deleted(browser):
    start_application(browser, "ansoger@esbjerg.demo", SUPPORT)
    fill(browser, "projectTitle", "Et forsøg, vi fortryder")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "#ansoegning button[type=submit]"))
    assert not browser.find_elements(By.XPATH, "//button[text()='Træk ansøgningen tilbage']")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Slet kladden']"))
    text = body_text(browser)
    assert "Kladden er slettet." in text
    assert "Et forsøg, vi fortryder" not in text
    sign_out(browser)


def test_the_director_approves_before_the_applicant_submits(browser, second_browser):
    """003 (and so its demo round): the application is approved by a signatory of the municipality in Pulje
    before the responsible person can submit it; a change after the approval needs a new one."""
    amalie, camilla = browser, second_browser
    start_application(amalie, "ansoger@aarhus.demo", SUPPORT)
    fill(amalie, "projectTitle", "Én familie – én indgang i Aarhus")
    for box in amalie.find_elements(By.CSS_SELECTOR, "input[name='targetAreas[]']"):
        if not box.is_selected():
            box.click()
    for textarea in amalie.find_elements(By.CSS_SELECTOR, "textarea[name^='answers[']"):
        textarea.clear()
        textarea.send_keys("Vi samler indsatsen for familierne i ét team.")
    for box in amalie.find_elements(By.CSS_SELECTOR, "input[name='declarations[]']"):
        if not box.is_selected():
            box.click()
    click_and_wait(amalie, amalie.find_element(By.CSS_SELECTOR, "#ansoegning button[type=submit]"))
    text = body_text(amalie)
    assert "Godkendelse før indsendelse" in text
    assert not amalie.find_elements(By.XPATH, "//button[text()='Godkend ansøgningen']")  # she is no signatory
    # The check page says what is missing and offers no submit button yet.
    click_and_wait(amalie, amalie.find_element(By.XPATH, "//button[text()='Tjek og indsend']"))
    assert "skal godkendes af en tegningsberettiget" in body_text(amalie)
    assert not amalie.find_elements(By.XPATH, "//button[text()='Indsend ansøgningen']")
    # The check page leads to the step of what is missing: here the approval, which tells her who gives it.
    click_and_wait(amalie, amalie.find_element(By.LINK_TEXT, "Godkendelse"))
    assert amalie.current_url.endswith("/afsnit/godkendelse")
    assert "Bed en tegningsberettiget" in body_text(amalie)
    address = amalie.current_url.rsplit("/afsnit/", 1)[0]

    # Camilla, the signatory, finds it on her front page under what waits for her, reads it and approves.
    sign_in(camilla, "chef@aarhus.demo")
    camilla.get(url("/"))
    waiting = camilla.find_element(By.ID, "til-godkendelse").find_element(By.XPATH, "..")
    click_and_wait(camilla, waiting.find_element(By.PARTIAL_LINK_TEXT, "Én familie – én indgang i Aarhus"))
    assert "Vi samler indsatsen for familierne i ét team." in body_text(camilla)
    click_and_wait(camilla, camilla.find_element(By.XPATH, "//button[text()='Godkend ansøgningen']"))
    assert "Godkendt af Camilla Chef" in body_text(camilla)

    amalie.get(address)
    assert "Godkendt af Camilla Chef" in body_text(amalie)
    check_and_submit(amalie)
    assert "Kvittering for indsendt ansøgning" in body_text(amalie)
