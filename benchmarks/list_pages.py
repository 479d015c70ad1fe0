#!/usr/bin/env python3
"""The staff list of applications at 1.000, 10.000 and 100.000 applications (issue 13, "Lists at scale").

For each size: a fresh SQLite data directory, `pulje seed-lists --applications N`, a server on it, and then
for each list page (the first page, page 21 reached through the keyset links, the order by applicant, the
filter on the oldest call, a search) the page's p50 and p95 over HTTP as a signed-in grant administrator,
against the same SQL run directly on the database file in the same run (Python's sqlite3), with the ratio.

    python3 benchmarks/list_pages.py --binary .build/release/pulje [--sizes 1000,10000,100000] [--requests 200]

The SQL below is the text `ApplicationListStore.page` sends (the same joins, conditions, order and limit).
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


def sign_in(base):
    session = requests.Session()
    page = session.get(base + "/log-ind", timeout=10).text
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    response = session.post(
        base + "/log-ind", data={"email": STAFF, "password": PASSWORD, "_csrf": token}, timeout=10,
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

        cases = [
            ("første side", "/ansoegninger", raw_sql()),
            ("side 11", deep_path, raw_sql(after=after)),
            ("efter ansøger, side 2", by_applicant, raw_sql(sort="kommune", after=applicant_after)),
            ("ældste pulje", "/ansoegninger?pulje=" + oldest_call.lower(), raw_sql(call=oldest_call)),
            ("søgning \"aarhus\"", "/ansoegninger?q=aarhus", raw_sql(organisations=aarhus)),
        ]
        # The HTTP baseline of the same run: the trivial endpoint, no session, no database.
        health = timed(lambda: requests.get(base + "/healthz", timeout=10), count)
        results = [("/healthz (grundlinje)", percentile(health, 50), percentile(health, 95), 0, 0)]
        for name, page_path, (sql, binds) in cases:
            def page():
                response = session.get(base + page_path, timeout=10)
                assert response.status_code == 200, (page_path, response.status_code)
            def query():
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
    print("%-9s %-24s %9s %9s %9s %9s %8s" % ("size", "list", "page p50", "page p95", "SQL p50", "SQL p95",
                                              "p95 ×"))
    firsts = {}
    for size in sizes:
        seeded, results = run_size(args.binary, size, args.requests, args.keep)
        for name, p50, p95, r50, r95 in results:
            if r95 == 0:
                print("%-9s %-24s %7.2f ms %7.2f ms" % ("{:,}".format(size).replace(",", "."), name, p50, p95))
                continue
            print("%-9s %-24s %7.2f ms %7.2f ms %7.3f ms %7.3f ms %7.1f" % (
                "{:,}".format(size).replace(",", "."), name, p50, p95, r50, r95, p95 / r95))
            firsts.setdefault(name, p95)
        print("%-9s (seeded in %.0f s)" % ("", seeded))
        sys.stdout.flush()
    if len(sizes) > 1:
        print("Flatness: page p95 at %s against %s" % (
            "{:,}".format(sizes[-1]).replace(",", "."), "{:,}".format(sizes[0]).replace(",", ".")))
        for name, p95 in firsts.items():
            last = [r for r in results if r[0] == name][0][2]
            print("  %-24s %.2f" % (name, last / p95 if p95 else 0))


if __name__ == "__main__":
    main()
