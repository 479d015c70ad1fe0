#!/usr/bin/env python3
"""One-off transcription of the 2022 allocation (shared/seeds/004_*.txt) into
Sources/PuljeApp/Resources/catalogue-2022.json.

The seed is PDF-extracted text: rows "N) label<TAB>content", HTML fragments and
tables duplicated as tab-separated rows. This script does the mechanical part;
the output was then read against the source by hand and is the file of record.
Category amounts come from each initiative's "Økonomi" paragraph, year amounts
from its "Mio. kr. i 2022-PL" table. Run: python3 scripts/extract_catalogue_2022.py SEED OUT
"""
import json, re, sys

PHASES = {"Screeningsfasen": "screening", "Modningsfasen": "maturation",
          "Afprøvningsfasen": "testing", "Udbredelsesfasen": "dissemination"}

def mio_to_kr(s):
    s = s.strip()
    if s in ("", "-"):
        return 0
    return round(float(s.replace(",", ".")) * 1_000_000)

def lists(html):
    """The seed's lists have no closing tag and run on until the next paragraph; their items are separated
    by "•" or "-" (unordered) or "1. 2. …" (ordered). Each item becomes a line of its own."""
    def one(m):
        ordered = m.group(1) == "ol"
        splitter = r"(?:^|\s)\d{1,2}\.\s+" if ordered else r"(?:^|\s)[•-]\s+"
        items = [i.strip() for i in re.split(splitter, m.group(2)) if i.strip()]
        lines = [("%d. " % (n + 1) if ordered else "• ") + i for n, i in enumerate(items)]
        return "\n\n" + "\n".join(lines) + "\n\n"
    return re.sub(r"<(ul|ol)[^>]*>(.*?)(?=<p>|<p |</td>|$)", one, html, flags=re.S)

def clean(html):
    html = lists(html)
    html = html.replace("<li>", "\n• ").replace("<p>", "\n\n").replace("</p>", "\n\n").replace("<br>", "\n")
    txt = re.sub(r"<[^>]+>", " ", html)
    txt = txt.replace("\u2022", "\n•").replace("•", "\n• ")
    lines = []
    for para in re.split(r"\n\s*\n", txt):
        para = re.sub(r"[ \t]+", " ", para).strip()
        para = re.sub(r"\n\s*", "\n", para)
        if para:
            lines.append(para)
    out = "\n\n".join(lines)
    out = re.sub(r"\n+• ", "\n• ", out)
    out = re.sub(r"\n+(\d{1,2}\. )", r"\n\1", out)
    # A PDF page break splits a sentence into two paragraphs: join them again.
    out = re.sub(r"([^.:!?\n])\n\n([a-zæøå])", r"\1 \2", out)
    # The PDF extraction mixed Cyrillic letters into one Danish word ("målgruppестørrelse", l. 213);
    # they stand for the Latin letters they sound as. `fixups` records the correction.
    out = out.translate(str.maketrans("стеаорхС", "steaopxS"))
    out = re.sub(r" +([.,:;])", r"\1", out)
    # A range of numbers takes an en dash ("4–5 kommuner", "2017–2020"), as everywhere on the pages.
    out = re.sub(r"(?<=\d)-(?=\d)", "–", out)
    return out.strip()

def split_subsections(html):
    """Section 3 holds italic sub-headings: Formål, Baggrund…, Målgruppe(n), Forventede resultater…"""
    parts = re.split(r"<i>([^<]+)</i>", html)
    res = {"purpose": "", "background": "", "targetGroup": "", "expectedResults": ""}
    current = "purpose"
    buf = {k: [] for k in res}
    buf[current].append(parts[0])
    for i in range(1, len(parts), 2):
        head = parts[i].strip().lower()
        if head.startswith("formål"):
            current = "purpose"
        elif head.startswith("baggrund"):
            current = "background"
        elif head.startswith("målgruppe"):
            current = "targetGroup"
        elif head.startswith("forventede resultater"):
            current = "expectedResults"
        else:
            buf[current].append("<i>" + parts[i] + "</i>")
        buf[current].append(parts[i + 1])
    return {k: clean(" ".join(v)) for k, v in buf.items()}

QUARTER = re.compile(r"(\d)\.\s*(?:-\s*(\d)\.\s*)?kvar-?tal,?\s*(\d{4})?(?:\s*(?:-|–|til)\s*(\d)\.\s*kvar-?tal,?\s*(\d{4}))?", re.I)

def parse_period(period):
    p = period.replace("kvar-tal", "kvartal").replace(". og ", ".-")
    m = re.match(r"\s*(\d)\.\s*(?:-\s*(\d)\.)?\s*kvartal,?\s*(\d{4})?\s*(?:(?:-|–|til)\s*(\d)\.\s*kvartal,?\s*(\d{4}))?", p)
    if not m:
        raise ValueError("unparsed period: " + period)
    q1, q2, y1, q3, y2 = m.groups()
    if y1 is None and y2 is not None:
        y1 = y2
    start = (int(y1), int(q1))
    if q3:
        end = (int(y2), int(q3))
    elif q2:
        end = (int(y1), int(q2))
    else:
        end = start
    return start, end

def parse_timeline(body):
    entries = []
    for line in body.split("\n"):
        if line.lstrip().startswith("<") or re.match(r"^\s*\d\)", line):
            continue
        line = re.sub(r"<[^>]+>", " ", line)
        cells = [c.strip() for c in line.split("\t")]
        cells = [c for c in cells if c != ""] if line.strip() else []
        if not cells:
            continue
        if re.search(r"kvar-?tal", cells[0]) and len(cells) >= 2 and cells[1].startswith("-"):
            entries.append([cells[0], cells[1]])
        elif line.startswith("\t\t") and cells and cells[0].startswith("-") and entries:
            entries[-1][1] += " " + cells[0]
    seen, out = set(), []
    for period, acts in entries:
        key = (period, acts)
        if key in seen:
            continue
        seen.add(key)
        (sy, sq), (ey, eq) = parse_period(period)
        items = [a.strip() for a in re.split(r"(?:^|\s)-\s+", acts) if a.strip()]
        items = [re.sub(r"(\w)-(\w)", lambda m: m.group(1) + m.group(2) if m.group(2).islower() and m.group(1).islower() else m.group(0), i) for i in items]
        out.append({"label": period.replace("kvar-tal", "kvartal"), "fromYear": sy, "fromQuarter": sq,
                    "toYear": ey, "toQuarter": eq, "activities": items})
    return out

CATS = [("projectManagement", r"projektledelse"), ("implementationSupport", r"implementeringsstøtte"),
        ("knowledgeDevelopment", r"vidensudviklende"),
        ("competenceDevelopment", r"kompetenceudvikling"), ("evaluation", r"evaluering"),
        ("applicationPool", r"ansøgningspulje")]

def parse_categories(text):
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))
    m = re.search(r"Der (?:afsættes|sættes)[^.]*?(\d+(?:,\d)?) mio\. kr\. til initiativet\.(.*?)(?:5\)|$)", text)
    total = mio_to_kr(m.group(1))
    rest = m.group(2)
    cats = {}
    hits = list(re.finditer(r"(\d+(?:,\d)?) mio\.(?: kr\.)? ", rest))
    for k, hit in enumerate(hits):
        amount = hit.group(1)
        what = rest[hit.end():hits[k + 1].start() if k + 1 < len(hits) else len(rest)]
        for key, pat in CATS:
            if re.search(pat, what):
                cats[key] = cats.get(key, 0) + mio_to_kr(amount)
                break
        else:
            raise ValueError("uncategorised amount: " + amount + " " + what)
    return total, cats

def implementation_note(html):
    """Row 6 without its timeline table (kept as `timeline`): the table runs to "</table>" or to the end of
    the row, and the extraction repeats it as tab-separated text starting "Tid<TAB>Aktivitet"."""
    html = re.sub(r"\tTid\tAktivitet.*$", " ", html, flags=re.S)
    html = re.sub(r"<table.*?(?:</table>|$)", " ", html, flags=re.S)
    return clean(html)

def rows(body):
    """Map row number (1..7) to raw HTML content, following continuation lines."""
    out, cur = {}, None
    for line in body.split("\n"):
        m = re.match(r"^(?:<p>)?\s*(\d)\)\s*([^\t<]*)(?:</p>)?\t(.*)$", line)
        if m:
            cur = int(m.group(1))
            out[cur] = m.group(3)
        elif line.startswith("Mio. kr."):
            cur = None
        elif cur is not None and line.startswith("\t") and "<" in line:
            out[cur] += " " + line
    return out

# Obvious typing errors in the seed, corrected everywhere they occur: (as printed, corrected, why).
# Wording and grammar are left as printed. Each correction made is listed on the initiative for staff.
TYPOS = [
    ("ambulat ", "ambulant ", "stavefejl"),
    ("mistriksel", "mistrivsel", "stavefejl"),
    ("velbegrunderet", "velbegrundet", "stavefejl"),
    ("pakked løsninger", "pakkeløsninger", "stavefejl"),
    ("pakkelsninger", "pakkeløsninger", "stavefejl"),
    ("pakke- løsningsmenes", "pakkeløsninger menes", "orddeling og sammenskrivning fra PDF-udtrækket"),
    ("ud- fordringer", "udfordringer", "orddeling fra PDF-udtrækket"),
    ("målgrupppestørrelse", "målgruppestørrelse", "stavefejl"),
    ("Fleere", "Flere", "stavefejl"),
    ("tidafgrænset", "tidsafgrænset", "stavefejl"),
    ("en tryk og udviklende", "en tryg og udviklende", "stavefejl"),
    ("hovedlinjer og –leverancer", "hovedlinjer og -leverancer", "bindestreg for udeladt ordled"),
]

# What the text states about each initiative beyond its sections, read by hand from the seed (line numbers
# of 004). Ranges are written with an en dash, as everywhere on the pages.
FACTS = {
    "1.1": {"municipalitiesSought": "20–25", "durationYears": 3,
            "origin": "Satspuljeprojektet »Bedre koordination i indsatserne til børn med handicap og deres familier«"},
    "1.2": {"municipalitiesSought": "4–5", "durationYears": 4, "partners": ["Styrelsen for Undervisning og Kvalitet"],
            "notes": ["Tilskudsmodtagere nævner ikke kommuner, selv om initiativet har en ansøgningspulje på "
                      "10,5 mio. kr. til kommuner. Teksten er vist som trykt."]},
    "1.3": {"municipalitiesSought": "4–6", "durationYears": 4,
            "partners": ["Lokale frivillige foreninger og organisationer"]},
    "1.4": {"durationYears": 2, "partners": ["Styrelsen for Undervisning og Kvalitet"],
            "notes": ["Spor 2 gælder en eventuel efterfølgende modning, ikke selve screeningen."]},
    "1.5": {"municipalitiesSought": "4–5", "durationYears": 4,
            "partners": ["Styrelsen for Undervisning og Kvalitet", "En nordisk referencegruppe"]},
    "1.6": {"municipalitiesSought": "3–4", "durationYears": 4,
            "origin": "Screeningsinitiativet »Indsatser til voldsudsatte kvinder (som ikke tager ophold på "
                      "krisecenter) og voldsudsatte mænd«, afsluttet i 2019"},
    "1.7": {"municipalitiesSought": "4–6", "durationYears": 4,
            "origin": "To screeninger fra 2018 og 2020 og Metodeprogrammet for stofmisbrugsbehandling (2014–2018)"},
    "1.8": {"municipalitiesSought": "6–7", "durationYears": 4,
            "origin": "Modningsprojektet »Gruppebaseret bostøtteforløb«, afsluttet i 2020"},
    "1.9": {"durationYears": 2,
            "notes": ["Spor 2 gælder en eventuel efterfølgende modning, ikke selve screeningen."]},
    "1.10": {"municipalitiesSought": "4–5", "durationYears": 4},
    "1.11": {"municipalitiesSought": "10–12", "durationYears": 3,
             "partners": ["Styrelsen for Arbejdsmarked og Rekruttering (STAR)"],
             "origin": "Satspuljeprojektet »Social støtte i overgang til og fastholdelse af job« (2017–2020)"},
}

TEXT_FIELDS = ["title", "grantRecipients", "purpose", "background", "targetGroup", "expectedResults",
               "activities", "successCriteria", "implementationNote", "applicationPoolCriteria"]

def fixups(initiatives, seed_text):
    """Corrections made by hand after reading the output against the source. Each is recorded in the
    initiative's "corrections", which staff see on its page."""
    for i in initiatives:
        notes = []
        for t in i["timeline"]:
            t["label"] = re.sub(r"(\d)\.kvartal", r"\1. kvartal", t["label"])
            t["activities"] = [a.replace("Act-Belong-Commitgruppeforløbet", "Act-Belong-Commit-gruppeforløbet")
                               for a in t["activities"]]
        for wrong, right, why in TYPOS:
            hits = [f for f in TEXT_FIELDS if wrong in i[f]]
            for f in hits:
                i[f] = i[f].replace(wrong, right)
            if hits:
                notes.append("»%s« er rettet til »%s« (%s)." % (wrong.strip(), right.strip(), why))
        if "målgruppestørrelse" in i["applicationPoolCriteria"] and "\u0441" in seed_text:
            if i["number"] == "1.8":
                notes.append("»målgruppestørrelse« stod med kyrilliske bogstaver i PDF-udtrækket og er skrevet "
                             "med danske bogstaver.")
        if i["number"] == "1.5":
            i["timeline"][0]["activities"] = ["Udvælgelse af kerneelementer og tilpasning af indsatsbeskrivelse",
                                              "Udarbejdelse af vejledning til tilskudsmodtagere"]
            # l. 115: the expected result stands on a line of its own after the section's table row.
            line = re.search(r"\n\t(Hvis indsatsen virker, er det forventningen på lang sigt, at den vil "
                             r"foregribe[^\n]*)", seed_text)
            i["expectedResults"] = line.group(1).strip()
            notes.append("Forventede resultater står i kilden på en linje for sig (l. 115) og er hentet derfra.")
        if i["number"] == "1.6":
            # The seed shows the model's activities as a diagram; the text extraction described it in English.
            paragraphs = i["activities"].split("\n\n")
            paragraphs = [p for p in paragraphs if not p.startswith("The diagram illustrates")]
            steps = ("Indsatsmodellens aktiviteter fra forløbets start til slut:\n"
                     "• Koordinering (gennem hele forløbet)\n• Opsporing og kontakt\n"
                     "• Afdækning af borgerens situation og etablering af sikkerhedsplan\n"
                     "• Samtaleforløb i grupper (evt. individuelt samtaleforløb)\n• Opfølgning og afslutning")
            at = next(k for k, p in enumerate(paragraphs) if p.endswith("visualiseret nedenfor:"))
            paragraphs[at] = paragraphs[at].replace(" Aktiviteterne i indsatsmodellen er visualiseret nedenfor:", "")
            paragraphs.insert(at + 1, steps)
            i["activities"] = "\n\n".join(paragraphs)
            notes.append("Kildens diagram over indsatsmodellens aktiviteter er gengivet som en punktliste.")
        if i["number"] == "1.11":
            # The seed's target group sits inside the activities, after a "Målgruppe" heading.
            paragraphs = i["activities"].split("\n\n")
            at = next(k for k, p in enumerate(paragraphs) if p.startswith("Målgruppe Målgruppen"))
            i["activities"] = "\n\n".join(paragraphs[:at])
            i["targetGroup"] = "\n\n".join([paragraphs[at][len("Målgruppe "):]] + paragraphs[at + 1:])
            notes.append("Målgruppen står i kilden under beskrivelsen af aktiviteterne og er flyttet til feltet "
                         "Målgruppe.")
        facts = {"municipalitiesSought": "", "durationYears": None, "partners": [], "origin": "", "notes": []}
        facts.update(FACTS.get(i["number"], {}))
        facts["corrections"] = notes
        i["facts"] = facts

def main(seed, dest):
    text = open(seed, encoding="utf-8").read()
    area_marks = [(m.start(), "adults" if "voksen" in m.group(0) else "children")
                  for m in re.finditer(r"Udmøntning af Udviklings- og Investeringsprogrammet på [^\n]+", text)]
    chunks = list(re.finditer(r"\n(1\.\d+) ([^\n]+)\n", text))
    initiatives = []
    for i, m in enumerate(chunks):
        end = chunks[i + 1].start() if i + 1 < len(chunks) else len(text)
        body = text[m.end():end]
        area = [a for pos, a in area_marks if pos < m.start()][-1]
        r = rows(body)
        phase = PHASES[re.search(r'<input checked="" type="checkbox"/>\s*(\w+)', body).group(1)]
        sub = split_subsections(r[3])
        activities_html = r[4].split("<i>Økonomi</i>")[0]
        total, cats = parse_categories(body)
        table = re.search(r"Mio\. kr\. i (\d{4})-PL\t([^\n]+)\n[^\t]+\t([^\n]+)", body)
        years = [int(y) for y in table.group(2).split("\t") if y.strip().isdigit()]
        vals = table.group(3).split("\t")
        year_amounts = {str(y): mio_to_kr(vals[k] if k < len(vals) else "") for k, y in enumerate(years)}
        stated_total = mio_to_kr([v for v in vals if v.strip()][-1])
        assert stated_total == total, (m.group(1), stated_total, total)
        track = re.search(r"spor (\d)", re.sub(r"<[^>]+>", " ", body))
        pool = clean(r[7]) if 7 in r else ""
        tail = re.search(r"\n\t(Yderligere kriterier[^\n]*)", body)
        if tail and "Yderligere" not in pool:
            pool += "\n\n" + tail.group(1).strip()
        initiatives.append({
            "number": m.group(1), "title": m.group(2).strip(), "area": area, "phase": phase,
            "track": int(track.group(1)) if track else None,
            "grantRecipients": clean(r[2]),
            "purpose": sub["purpose"], "background": sub["background"],
            "targetGroup": sub["targetGroup"], "expectedResults": sub["expectedResults"],
            "activities": clean(activities_html),
            "successCriteria": clean(r[5]),
            # Row 6 is text, the timeline table, and sometimes more text after the table (1.8's extension rule).
            "implementationNote": implementation_note(r[6]) if 6 in r else "",
            "timeline": parse_timeline(body),
            "applicationPoolCriteria": pool,
            "priceLevel": int(table.group(1)),
            "totalKroner": total,
            "budgetByYearKroner": {y: v for y, v in year_amounts.items() if v},
            "budgetByCategoryKroner": cats,
        })
    catalogue = {"programmeYear": 2022,
                 "title": "Udviklings- og Investeringsprogrammerne for 2022",
                 "source": "Udmøntning af Udviklings- og Investeringsprogrammerne for 2022",
                 "initiatives": initiatives}
    fixups(initiatives, text)
    with open(dest, "w", encoding="utf-8") as f:
        json.dump(catalogue, f, ensure_ascii=False, indent=2)
        f.write("\n")

if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
