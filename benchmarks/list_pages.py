#!/usr/bin/env python3
"""The lists at 1.000, 10.000 and 100.000 applications (issue 13, "Lists at scale").

For each size: a fresh SQLite data directory, `pulje seed-lists --applications N` (and a grant case for each
awarded application, a fifth), a server on it, and then for each list page the page's p50 and p95 over
HTTP against the same SQL run directly on the database file in the same run (Python's sqlite3), with the
ratio: the staff list of applications (the first page, page 11 reached through the keyset links, the order
by applicant, the filter on the oldest call, a search) and of grant cases (first page and page 2 in each of
its orders: by call, by recipient, newest first) as a signed-in grant administrator, and Mine sager as Aarhus' applicant (about 1 % of the applications and of
the cases; first page, the applications' page 2).

    python3 benchmarks/list_pages.py --binary .build/release/pulje [--sizes 1000,10000,100000] [--requests 200]

The SQL below is the text `ApplicationListStore.page` and `GrantStore.casePage` send (the same joins,
conditions, order and limit), and for Mine sager the two keyset queries of `ApplicationStore.page` and
`GrantStore.page` (the page also reads each case's reports, changes and payments to say what is due next,
and the rows' calls and responsible users; those are not in the SQL timed).
"""
import argparse
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

import requests

STAFF = "tilskud@styrelsen.demo"
APPLICANT = "ansoger@aarhus.demo"
PASSWORD = "Demo-adgang-2026"
PAGE = 50


def percentile(values, p):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))
    return ordered[index]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(fn, count, warmup=20):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(count):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def sign_in(base, email=STAFF):
    session = requests.Session()
    page = session.get(base + "/log-ind", timeout=10).text
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    response = session.post(
        base + "/log-ind", data={"email": email, "password": PASSWORD, "_csrf": token}, timeout=10,
        allow_redirects=True)
    assert "Log ud" in response.text, "sign-in failed"
    return session


FROM = {
    "indsendt": "applications a JOIN organisations o ON o.id = a.organisation_id JOIN calls c ON c.id = a.call_id",
    "kommune": "organisations o CROSS JOIN applications a JOIN calls c ON c.id = a.call_id",
    "pulje": "calls c CROSS JOIN applications a JOIN organisations o ON o.id = a.organisation_id",
}
ORDER = {
    "indsendt": "a.submitted_at DESC, a.id DESC",
    "kommune": "o.name ASC, o.id ASC, a.id ASC",
    "pulje": "c.title ASC, a.id ASC",
}


def raw_sql(sort="indsendt", call=None, organisations=None, after=None):
    """The store's SQL for a page, with its binds."""
    conditions = ["a.status <> ?", "a.submitted_at IS NOT NULL"]
    binds = ["draft"]
    if call:
        conditions.append("a.call_id = ?")
        binds.append(call)
    if organisations is not None:
        conditions.append("a.organisation_id IN (%s)" % ",".join("?" * len(organisations)))
        binds += organisations
    if sort == "kommune":
        conditions.append("a.organisation_id = o.id")
    if sort == "pulje":
        conditions.append("a.call_id = c.id")
    if after:
        value, id_ = after
        if sort == "indsendt":
            conditions.append("(a.submitted_at, a.id) < (?, ?)")
            binds += [value, id_]
        elif sort == "kommune":
            name, organisation = value
            conditions.append("o.name >= ? AND (o.name, o.id, a.id) > (?, ?, ?)")
            binds += [name, name, organisation, id_]
        else:
            conditions.append("c.title >= ? AND (c.title, a.id) > (?, ?)")
            binds += [value, value, id_]
    sql = (
        "SELECT a.id, a.status, a.submitted_at, a.submission_number, o.id AS organisation_id, "
        "o.name AS organisation_name, c.id AS call_id, c.title AS call_title FROM " + FROM[sort]
        + " WHERE " + " AND ".join(conditions) + " ORDER BY " + ORDER[sort] + " LIMIT %d" % (PAGE + 1))
    return sql, binds


GRANT_PAGE = 50


GRANT_FROM = {
    "pulje": "calls c CROSS JOIN grant_cases g JOIN organisations o ON o.id = g.organisation_id "
             "WHERE g.call_id = c.id",
    "modtager": "organisations o CROSS JOIN grant_cases g JOIN calls c ON c.id = g.call_id "
                "WHERE g.organisation_id = o.id",
    "aabnet": "grant_cases g JOIN calls c ON c.id = g.call_id JOIN organisations o ON o.id = g.organisation_id "
              "WHERE 1 = 1",
}
GRANT_ORDER = {
    "pulje": "c.title, o.name, g.id",
    "modtager": "o.name, c.title, g.id",
    "aabnet": "g.opened_at DESC, g.id DESC",
}


def grant_sql(sort="pulje", after=None):
    """`GrantStore.casePage` for the staff, in one of its orders: by call, by recipient, newest first."""
    conditions = ["1 = 1"]
    binds = []
    if sort == "pulje":
        if after:
            title, name, id_ = after
            conditions.append("c.title >= ? AND (c.title, o.name, g.id) > (?, ?, ?)")
            binds += [title, title, name, id_]
        else:
            conditions.append("c.title >= ''")
    elif sort == "modtager":
        if after:
            name, title, id_ = after
            conditions.append("o.name >= ? AND (o.name, c.title, g.id) > (?, ?, ?)")
            binds += [name, name, title, id_]
        else:
            conditions.append("o.name >= ''")
    elif after:
        opened, id_ = after
        conditions.append("(g.opened_at, g.id) < (?, ?)")
        binds += [opened, id_]
    return ("SELECT g.id, g.status, g.award_ore, g.opened_at, c.id AS call_id, c.title AS call_title, "
            "c.initiative_number, o.name AS organisation_name FROM " + GRANT_FROM[sort] + " AND "
            + " AND ".join(conditions) + " ORDER BY " + GRANT_ORDER[sort] + " LIMIT %d" % (GRANT_PAGE + 1)), binds


def my_cases_sql(organisation, after=None):
    """Mine sager's two keyset queries: the organisation's applications and grant cases, newest first."""
    applications = "SELECT * FROM applications WHERE organisation_id = ?"
    binds = [organisation]
    if after:
        applications += " AND (created_at < ? OR (created_at = ? AND id < ?))"
        binds += [after[0], after[0], after[1]]
    applications += " ORDER BY created_at DESC, id DESC LIMIT 51"
    cases = "SELECT * FROM grant_cases WHERE organisation_id = ? ORDER BY opened_at DESC, id DESC LIMIT 21"
    return [(applications, binds), (cases, [organisation])]


def cursor_of(row, sort):
    """The keyset of the last row on a page, as the raw query continues from it."""
    if sort == "indsendt":
        return (row[2], row[0])
    return ((row[5], row[4]) if sort == "kommune" else row[7], row[0])


def run_size(binary, size, count, keep):
    data = tempfile.mkdtemp(prefix="pulje-lists-%d-" % size)
    env = dict(os.environ, PULJE_DATA_DIR=data)
    start = time.time()
    subprocess.run([binary, "seed-lists", "--applications", str(size)], env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    seeded = time.time() - start
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % port
    try:
        for _ in range(200):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        session = sign_in(base)
        db = sqlite3.connect(os.path.join(data, "pulje.sqlite"))
        oldest_call = db.execute(
            "SELECT id FROM calls WHERE title LIKE 'Listetest %' ORDER BY title LIMIT 1").fetchone()[0]
        aarhus = [r[0] for r in db.execute("SELECT id FROM organisations WHERE LOWER(name) LIKE '%aarhus%'")]

        # Page 11 (after 500 rows) through the page's own links, and the raw query's cursor for the same place.
        path = "/ansoegninger"
        for _ in range(10):
            html = session.get(base + path, timeout=10).text
            path = re.search(r'href="(/ansoegninger\?[^"]*efter=[^"]*)" rel="next"', html).group(1).replace(
                "&amp;", "&")
        deep_path = path
        after = None
        for _ in range(10):
            sql, binds = raw_sql(after=after)
            rows = db.execute(sql, binds).fetchall()
            after = cursor_of(rows[PAGE - 1], "indsendt")
        html = session.get(base + "/ansoegninger?sortering=kommune", timeout=10).text
        by_applicant = re.search(r'href="(/ansoegninger\?[^"]*efter=[^"]*)" rel="next"', html).group(1).replace(
            "&amp;", "&")
        rows = db.execute(*raw_sql(sort="kommune")).fetchall()
        applicant_after = cursor_of(rows[PAGE - 1], "kommune")

        # The grant cases in each order: page 2 through the page's link, and the raw query's cursor for the
        # same place (columns: id 0, opened_at 3, call_title 5, organisation_name 7).
        grant_pages = {}
        for sort in ("pulje", "modtager", "aabnet"):
            first = "/tilskudssager" + ("" if sort == "pulje" else "?sortering=" + sort)
            html = session.get(base + first, timeout=10).text
            link = re.search(r'href="(/tilskudssager\?[^"]*efter=[^"]*)" rel="next"', html)
            rows = db.execute(*grant_sql(sort)).fetchall()
            after = None
            if link and len(rows) > GRANT_PAGE:
                last = rows[GRANT_PAGE - 1]
                after = {"pulje": (last[5], last[7], last[0]), "modtager": (last[7], last[5], last[0]),
                         "aabnet": (last[3], last[0])}[sort]
            grant_pages[sort] = (first, link.group(1).replace("&amp;", "&") if link else None, after)
        # Mine sager as Aarhus' applicant: the first page and the applications' next page.
        applicant = sign_in(base, APPLICANT)
        aarhus_id = db.execute("SELECT id FROM organisations WHERE name = 'Aarhus Kommune'").fetchone()[0]
        html = applicant.get(base + "/mine-sager", timeout=10).text
        mine_next = re.search(r'href="(/mine-sager\?[^"]*)#ansoegninger" rel="next"', html)
        own = db.execute(my_cases_sql(aarhus_id)[0][0], my_cases_sql(aarhus_id)[0][1]).fetchall()
        columns = [d[0] for d in db.execute("SELECT * FROM applications LIMIT 0").description]
        mine_after = None
        if len(own) > 50:
            mine_after = (own[49][columns.index("created_at")], own[49][columns.index("id")])

        cases = [
            ("første side", "/ansoegninger", session, [raw_sql()]),
            ("side 11", deep_path, session, [raw_sql(after=after)]),
            ("efter ansøger, side 2", by_applicant, session, [raw_sql(sort="kommune", after=applicant_after)]),
            ("ældste pulje", "/ansoegninger?pulje=" + oldest_call.lower(), session, [raw_sql(call=oldest_call)]),
            ("søgning \"aarhus\"", "/ansoegninger?q=aarhus", session, [raw_sql(organisations=aarhus)]),
        ]
        names = {"pulje": "tilskudssager", "modtager": "tilskudssager efter modtager",
                 "aabnet": "tilskudssager, senest åbnet"}
        for sort, (first, second, grant_after) in grant_pages.items():
            cases.append((names[sort] + ", første side", first, session, [grant_sql(sort)]))
            if second and grant_after:
                cases.append((names[sort] + ", side 2", second, session, [grant_sql(sort, after=grant_after)]))
        cases.append(("Mine sager", "/mine-sager", applicant, my_cases_sql(aarhus_id)))
        if mine_next and mine_after:
            cases.append(("Mine sager, side 2", mine_next.group(1).replace("&amp;", "&"), applicant,
                          my_cases_sql(aarhus_id, after=mine_after)))
        # The HTTP baseline of the same run: the trivial endpoint, no session, no database.
        health = timed(lambda: requests.get(base + "/healthz", timeout=10), count)
        results = [("/healthz (grundlinje)", percentile(health, 50), percentile(health, 95), 0, 0)]
        for name, page_path, browser, queries in cases:
            def page():
                response = browser.get(base + page_path, timeout=10)
                assert response.status_code == 200, (page_path, response.status_code)
            def query():
                for sql, binds in queries:
                    db.execute(sql, binds).fetchall()
            page_times = timed(page, count)
            raw_times = timed(query, count)
            results.append((name, percentile(page_times, 50), percentile(page_times, 95),
                            percentile(raw_times, 50), percentile(raw_times, 95)))
        return seeded, results
    finally:
        server.terminate()
        server.wait(10)
        if not keep:
            shutil.rmtree(data, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/pulje")
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print("Staff list of applications: page over HTTP (signed in) against the same SQL on the file, "
          "%d requests each, sequential; p95 × is the page's p95 over the SQL's" % args.requests)
    print("%-9s %-28s %9s %9s %9s %9s %8s" % ("size", "list", "page p50", "page p95", "SQL p50", "SQL p95",
                                              "p95 ×"))
    firsts = {}
    for size in sizes:
        seeded, results = run_size(args.binary, size, args.requests, args.keep)
        for name, p50, p95, r50, r95 in results:
            if r95 == 0:
                print("%-9s %-28s %7.2f ms %7.2f ms" % ("{:,}".format(size).replace(",", "."), name, p50, p95))
                continue
            print("%-9s %-28s %7.2f ms %7.2f ms %7.3f ms %7.3f ms %7.1f" % (
                "{:,}".format(size).replace(",", "."), name, p50, p95, r50, r95, p95 / r95))
            firsts.setdefault(name, p95)
        print("%-9s (seeded in %.0f s)" % ("", seeded))
        sys.stdout.flush()
    if len(sizes) > 1:
        print("Flatness: page p95 at %s against %s" % (
            "{:,}".format(sizes[-1]).replace(",", "."), "{:,}".format(sizes[0]).replace(",", ".")))
        for name, p95 in firsts.items():
            last_rows = [r for r in results if r[0] == name]
            if last_rows:
                print("  %-28s %.2f" % (name, last_rows[0][2] / p95 if p95 else 0))


if __name__ == "__main__":
    main()
