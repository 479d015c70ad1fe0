"""The assessment of the seeded demo call whose deadline passed a week before the server started:
screening, an even spread of assessors, a declared conflict, scores, consensus, the portfolio proposal
within the funds covering both target areas, the director's approval and the letters.

It changes the demo data for good, so it runs once per fresh server (as in CI).
"""
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import click_and_wait, pdf_text, sign_in, sign_out, url
from test_catalogue import body_text, serious_violations

CALL = "Demo: Sundhed på botilbud – ansøgninger til vurdering"

# Both assessors on an application give the same points: (motivation, readiness).
POINTS = {
    "Aarhus Kommune": ("4", "4"),
    "Vejle Kommune": ("4,5", "4"),
    "Aalborg Kommune": ("3", "3"),
    "Esbjerg Kommune": ("2,5", "3"),
}
CONFLICT = ("bedommer2@styrelsen.demo", "Aarhus Kommune")


def open_call(browser):
    browser.get(url("/puljer"))
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, CALL))


def open_assessment(browser):
    open_call(browser)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Vurdering af ansøgningerne"))


def application_links(browser):
    return [(a.text, a.get_attribute("href")) for a in browser.find_elements(By.CSS_SELECTOR, "table.data tbody th a")]


def test_a_draft_is_refused_after_the_deadline(browser):
    sign_in(browser, "ansoger@odense.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Mine sager"))
    # Mine sager names each case by its project; the row of the demo call leads to the draft.
    click_and_wait(browser, browser.find_element(By.XPATH, "//table[caption='Ansøgninger']//tr[td[contains(., '%s')]]//a" % CALL))
    text = body_text(browser)
    assert "Fristen er udløbet. Efter fristen er det ikke muligt at indsende ansøgninger." in text
    assert "Ikke indsendt: sundhed på Odense botilbud" in browser.page_source  # the draft stays readable
    # A page opened before the deadline still has its submit button: the server decides, not the page.
    browser.execute_script(
        """
        const form = document.createElement('form');
        form.method = 'post';
        form.action = location.pathname + '/indsend';
        for (const [name, value] of [['_csrf', document.querySelector('input[name=_csrf]').value], ['version', '1']]) {
            const input = document.createElement('input');
            input.type = 'hidden'; input.name = name; input.value = value;
            form.appendChild(input);
        }
        const button = document.createElement('button');
        button.id = 'stale-submit';
        form.appendChild(button);
        document.body.appendChild(form);
        """
    )
    click_and_wait(browser, browser.find_element(By.ID, "stale-submit"))
    assert "Efter fristen er det ikke muligt at indsende ansøgninger." in body_text(browser)


def test_screening_scoring_selection_decision_and_letters(browser):
    # Screening and an even spread of two assessors per application.
    sign_in(browser, "tilskud@styrelsen.demo")
    open_assessment(browser)
    assert serious_violations(browser) == []
    for name, href in application_links(browser):
        browser.get(href)
        assert "Ansøger er inden for ansøgerkredsen" in body_text(browser)
        browser.find_element(By.ID, "felt-outcome-0").click()  # Går videre til vurdering
        click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem screening']"))
        assert "Screeningen er gemt" in body_text(browser)
    open_assessment(browser)
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Fordel jævnt']"))
    assert "8 tildelinger er lavet" in body_text(browser)
    sign_out(browser)

    # Each assessor declares, one declares a conflict, the others score.
    for assessor in ("bedommer1@styrelsen.demo", "bedommer2@styrelsen.demo", "bedommer3@styrelsen.demo"):
        sign_in(browser, assessor)
        open_assessment(browser)
        for name, href in application_links(browser):
            browser.get(href)
            conflict = (assessor, name) == CONFLICT
            assert "Læs den indsendte ansøgning" not in body_text(browser)  # not before the declaration
            browser.find_element(By.ID, "felt-declaration-1" if conflict else "felt-declaration-0").click()
            if conflict:
                browser.find_element(By.NAME, "note").send_keys("Jeg har tidligere været ansat på bostedet.")
            click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Afgiv erklæring']"))
            if conflict:
                assert "fjernet fra ansøgningen" in body_text(browser)
                continue
            assert serious_violations(browser) == []
            motivation, readiness = POINTS[name]
            Select(browser.find_element(By.ID, "felt-score-motivation-")).select_by_visible_text(motivation)
            browser.find_element(By.ID, "felt-justification-motivation-").send_keys("Klart beskrevet behov.")
            Select(browser.find_element(By.ID, "felt-score-parathed-")).select_by_visible_text(readiness)
            browser.find_element(By.ID, "felt-justification-parathed-").send_keys("Ledelsen har forpligtet sig.")
            click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Gem mine point']"))
            assert "Dine point er gemt" in body_text(browser)
        sign_out(browser)

    # The lead assessors see the scores side by side and record consensus.
    recorded = set()
    for assessor in ("bedommer1@styrelsen.demo", "bedommer2@styrelsen.demo", "bedommer3@styrelsen.demo"):
        sign_in(browser, assessor)
        open_assessment(browser)
        for name, href in application_links(browser):
            browser.get(href)
            if not browser.find_elements(By.XPATH, "//button[text()='Registrér konsensus']"):
                continue
            assert "Individuelle point og spredning" in body_text(browser)
            motivation, readiness = POINTS[name]
            Select(browser.find_element(By.ID, "felt-consensusScore-motivation-")).select_by_visible_text(motivation)
            browser.find_element(By.ID, "felt-consensusJustification-motivation-").send_keys("Enige efter drøftelse.")
            Select(browser.find_element(By.ID, "felt-consensusScore-parathed-")).select_by_visible_text(readiness)
            browser.find_element(By.ID, "felt-consensusJustification-parathed-").send_keys("Enige.")
            click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Registrér konsensus']"))
            assert "Konsensus er registreret" in body_text(browser)
            recorded.add(name)
        sign_out(browser)
    assert recorded == set(POINTS)

    # The proposal: within 2.000.000 kr. and covering both areas, so Vejle (handicap) and Aalborg
    # (socialpsykiatri) rather than the two best, which are both on the handicap area.
    sign_in(browser, "fagkonsulent@styrelsen.demo")
    open_assessment(browser)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Gå til udvælgelsen"))
    assert serious_violations(browser) == []
    total = browser.find_element(By.ID, "forslag-total").text
    assert total.startswith("2 ansøgninger") and "i alt 1.300.000 kr. af 2.000.000 kr." in total
    rows = {r.find_element(By.TAG_NAME, "th").text: r.find_elements(By.TAG_NAME, "td")[0].text
            for r in browser.find_elements(By.CSS_SELECTOR, "#udvalg tbody tr")}
    assert rows == {"Vejle Kommune": "Ja", "Aalborg Kommune": "Ja", "Aarhus Kommune": "Nej", "Esbjerg Kommune": "Nej"}
    browser.find_element(By.NAME, "conditions").send_keys("Tilskuddet anvendes efter det godkendte budget.")
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Indstil forslaget som afgørelse']"))
    assert "En direktør skal godkende den" in body_text(browser)
    sign_out(browser)

    sign_in(browser, "direktor@styrelsen.demo")
    open_assessment(browser)
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Gå til udvælgelsen"))
    click_and_wait(browser, browser.find_element(By.XPATH, "//button[text()='Godkend afgørelsen']"))
    assert "Afgørelsen er godkendt. 4 breve" in body_text(browser)
    sign_out(browser)

    # The municipalities read their letters; the public page names the recipients.
    sign_in(browser, "ansoger@aalborg.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Mine sager"))
    click_and_wait(browser, browser.find_element(By.XPATH, "//table[caption='Ansøgninger']//tr[td[contains(., '%s')]]//a" % CALL))
    assert "Vurderingen af jeres ansøgning" in body_text(browser)
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Tilsagn af"))
    letter = body_text(browser)
    assert "tilsagn om et tilskud på 700.000 kr." in letter and "Tilskuddet anvendes efter det godkendte budget." in letter
    # The letter under the agency's letterhead, printed or saved as PDF without the site around it.
    pages, printed = pdf_text(browser)
    assert pages >= 1
    assert "Social- og Boligstyrelsen" in printed and "J.nr." in printed and "Aalborg Kommune" in printed, printed[:600]
    assert "Log ud" not in printed and "Tilbage til sagen" not in printed
    assert serious_violations(browser) == []
    sign_out(browser)

    sign_in(browser, "ansoger@aarhus.demo")
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Mine sager"))
    click_and_wait(browser, browser.find_element(By.XPATH, "//table[caption='Ansøgninger']//tr[td[contains(., '%s')]]//a" % CALL))
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Afslag af"))
    assert "Vi må desværre give afslag" in body_text(browser)
    sign_out(browser)

    open_call(browser)
    recipients = browser.find_element(By.ID, "modtagere").text
    assert "Aalborg Kommune" in recipients and "Vejle Kommune" in recipients and "Aarhus Kommune" not in recipients
