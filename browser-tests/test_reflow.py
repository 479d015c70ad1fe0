"""Every page type reflows at 320 CSS px without sideways scrolling of the page (WCAG 2.1 1.4.10).
A data table wider than the screen may scroll inside itself; the page does not."""
from selenium.webdriver.common.by import By

from conftest import sign_in, sign_out, url

WIDTH = "return [document.documentElement.scrollWidth, window.innerWidth]"


def widths(browser, path):
    browser.get(url(path))
    return browser.execute_script(WIDTH)


def test_every_page_type_reflows_at_320_px(browser):
    browser.set_window_size(320, 800)
    wide = []
    pages = ["/", "/puljer", "/initiativer", "/initiativer/2022/1.1", "/log-ind"]
    browser.get(url("/puljer"))
    calls = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "main a[href*='/puljer/']")][:3]
    pages += [c.replace(url(""), "") for c in calls]
    for path in pages:
        scroll, inner = widths(browser, path)
        if scroll > inner:
            wide.append((path, scroll))
    for email, paths in [
        ("ansoger@aarhus.demo", ["/", "/mine-sager", "/profil"]),
        ("chef@aarhus.demo", ["/"]),
        ("tilskud@styrelsen.demo", ["/", "/ansoegninger", "/ansoegninger?sortering=kommune"]
         + [c.replace(url(""), "") + "/vurdering" for c in calls]),
        ("fagkonsulent@styrelsen.demo", ["/puljer/ny", "/admin/brevskabeloner", "/business-cases", "/nettoprisindeks",
                                         "/initiativer/faser", "/initiativer/2022/1.3/fasevurdering",
                                         "/fasekriterier", "/fasekriterier/screening"]),
        ("admin@styrelsen.demo", ["/admin/brugere", "/admin/udbakke"]),
    ]:
        sign_in(browser, email)
        if email.startswith("ansoger"):
            browser.get(url("/mine-sager"))
            cases = [a.get_attribute("href").replace(url(""), "") for a in browser.find_elements(By.CSS_SELECTOR, "table a")][:2]
            paths += cases + [c + "/udskrift" for c in cases] + [c + "/tjek" for c in cases]
            # The steps of the form (a submitted application's lead back to its page, which is checked too).
            paths += [c + "/afsnit/" + s for c in cases for s in ("projekt", "tilbud", "budget", "bilag")]
        for path in paths:
            scroll, inner = widths(browser, path)
            if scroll > inner:
                wide.append((path, scroll))
        sign_out(browser)
    assert wide == [], wide
