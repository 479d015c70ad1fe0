#!/usr/bin/env python3
r"""The evaluator's export at scale (issue 10, "Benchmark").

For each size: a fresh SQLite data directory, `pulje seed-evaluation --citizens N` (23 rows of the long export
per citizen: 3 points × 5 WHO-5 answers and 2 scores, and the field at the two follow-ups), a server on it, and then, signed in as the evaluator,
the long and the wide CSV downloaded (streamed to nowhere), timed, with the server's resident memory sampled
every 20 ms during the download (its peak above what it held before); then the long form made in the
background as CSV and as XLSX (asked for with the page's form, the status polled until ready, downloaded with
the page's button), timed to ready and to downloaded, with the same memory sampling. In the same run the database's own tool
is timed on the same data: `sqlite3 -csv` on the query that reads what the export reads (each citizen with
its municipality and each measurement's stored answers), written to /dev/null. Prints the figures and the
ratio export/sqlite3.

With --database-url the same runs on PostgreSQL (the database is emptied first: its public schema is
dropped and created again, so name a database kept for benchmarks), and the database's own tool is psql's
`\copy (query) TO STDOUT WITH CSV` on the same query, written to /dev/null.

    python3 benchmarks/evaluation_export.py --binary .build/release/pulje [--citizens 4348,43479]
    python3 benchmarks/evaluation_export.py --database-url "$(scripts/postgres-test-server start)"
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import tempfile
import threading
import time

import requests

EVALUATOR = "evaluator@vive.demo"
PASSWORD = "Demo-adgang-2026"

RAW_QUERY = (
    "SELECT c.pseudonym, o.name, c.baseline_date, r.point_key, r.answers_json, r.fields_json "
    "FROM evaluation_citizens c JOIN organisations o ON o.id = c.organisation_id "
    "LEFT JOIN evaluation_records r ON r.citizen_id = c.id WHERE c.evaluation_id = %s ORDER BY c.id"
)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Sampler:
    """The server's resident memory every 20 ms from now until `stop`, which gives its peak above `before`
    (the memory now, unless given) in MiB."""

    def __init__(self, pid, before=None):
        self.pid = pid
        self.before = rss_kib(pid) if before is None else before
        self.peak = rss_kib(pid)
        self.done = threading.Event()
        self.thread = threading.Thread(target=self.sample)
        self.thread.start()

    def sample(self):
        while not self.done.is_set():
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.02)

    def stop(self):
        self.done.set()
        self.thread.join()
        return (self.peak - self.before) / 1024


def sign_in(base):
    session = requests.Session()
    page = session.get(base + "/log-ind", timeout=10).text
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    response = session.post(base + "/log-ind", data={"email": EVALUATOR, "password": PASSWORD, "_csrf": token},
                            timeout=10)
    assert "Log ud" in response.text, "sign-in failed"
    return session


def download(session, url, pid):
    """Seconds, bytes, lines and the peak of resident memory above the start, in MiB."""
    memory = Sampler(pid)
    start = time.perf_counter()
    size = 0
    lines = 0
    with session.get(url, stream=True, timeout=600) as response:
        assert response.status_code == 200, response.status_code
        for chunk in response.iter_content(chunk_size=1 << 16):
            size += len(chunk)
            lines += chunk.count(b"\n")
    elapsed = time.perf_counter() - start
    return elapsed, size, lines, memory.stop()


def background(session, base, evaluation, name, pid):
    """An export made in the background: asked for with the page's form, its status polled every 100 ms until
    the file is ready, then downloaded with the page's button. Seconds to ready, seconds to download, bytes,
    and the server's peak resident memory above the start while it was made and while it was downloaded, in
    MiB."""
    # The form's token from a light page (the evaluation's own page computes its overview from every citizen
    # and is timed on its own after the jobs, so its memory is not taken for theirs).
    page = session.get(base + "/evalueringer", timeout=30).text
    token = re.search(r'name="_csrf" value="([^"]+)"', page).group(1)
    memory = Sampler(pid)
    start = time.perf_counter()
    asked = session.post(base + "/evalueringer/%s/eksporter" % evaluation, data={"file": name, "_csrf": token},
                         timeout=30, allow_redirects=False)
    assert asked.status_code == 303, asked.status_code
    job = asked.headers["Location"]
    while True:
        state = session.get(base + job + "/status", timeout=30).json()
        if state["finished"]:
            break
        time.sleep(0.1)
    assert state["status"] == "klar", state
    ready = time.perf_counter() - start
    making = memory.stop()
    memory = Sampler(pid, before=memory.before)
    start = time.perf_counter()
    size = 0
    with session.post(base + job + "/fil", data={"_csrf": token}, stream=True, timeout=600) as response:
        assert response.status_code == 200, response.status_code
        for chunk in response.iter_content(chunk_size=1 << 16):
            size += len(chunk)
    fetched = time.perf_counter() - start
    return ready, fetched, size, making, memory.stop()


def sqlite_csv(database, evaluation):
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(["sqlite3", "-csv", database, RAW_QUERY % ("upper('%s')" % evaluation)], stdout=sink,
                       check=True)
    return time.perf_counter() - start


def psql_copy(url, evaluation):
    """psql's client-side copy of the same query as CSV, to /dev/null."""
    query = RAW_QUERY % ("'%s'" % evaluation)
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        subprocess.run(["psql", url, "-q", "-c", "\\copy (%s) TO STDOUT WITH CSV" % query], stdout=sink,
                       check=True)
    return time.perf_counter() - start


def empty_postgres(url):
    subprocess.run(["psql", url, "-q", "-c", "DROP SCHEMA public CASCADE; CREATE SCHEMA public"], check=True,
                   capture_output=True)


def run_size(binary, citizens, keep, database_url=None):
    data = tempfile.mkdtemp(prefix="pulje-export-%d-" % citizens)
    env = dict(os.environ, PULJE_DATA_DIR=data)
    env.pop("DATABASE_URL", None)
    if database_url:
        empty_postgres(database_url)
        env["DATABASE_URL"] = database_url
    start = time.time()
    seeded = subprocess.run([binary, "seed-evaluation", "--citizens", str(citizens)], env=env, check=True,
                            capture_output=True, text=True).stdout
    evaluation = re.search(r'"evaluation": "([0-9a-f-]+)"', seeded).group(1)
    seed_seconds = time.time() - start
    port = free_port()
    server = subprocess.Popen([binary, "serve", "--hostname", "127.0.0.1", "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = "http://127.0.0.1:%d" % port
    try:
        for _ in range(300):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        session = sign_in(base)
        database = os.path.join(data, "pulje.sqlite")
        tool = "psql \\copy" if database_url else "sqlite3 -csv"

        def own_tool():
            return psql_copy(database_url, evaluation) if database_url else sqlite_csv(database, evaluation)

        # Warm both once (file cache, prepared statements), then time each twice and keep the better.
        own_tool()
        raw = min(own_tool() for _ in range(2))
        results = {}
        for form in ("lang", "bred"):
            url = base + "/evalueringer/%s/eksport/%s.csv" % (evaluation, form)
            runs = [download(session, url, server.pid) for _ in range(2)]
            best = min(runs, key=lambda r: r[0])
            results[form] = (best[0], best[1], best[2], max(r[3] for r in runs))
        print("%8d citizens on %s (seeded in %.0f s): %s %.2f s"
              % (citizens, "PostgreSQL" if database_url else "SQLite", seed_seconds, tool, raw))
        for form, (seconds, size, lines, peak) in results.items():
            print("    %-4s %9d rows %7.1f MB in %6.2f s = %5.2f × %s; server memory +%.0f MiB at peak"
                  % (form, lines - 1, size / 1e6, seconds, seconds / raw, tool, peak))
        # The same long form made in the background, as CSV and as a workbook (up to a sheet's rows).
        for name in ("lang.csv", "lang.xlsx"):
            if name.endswith(".xlsx") and results["lang"][2] > 1048576:
                continue
            ready, fetched, size, making, handing = background(session, base, evaluation, name, server.pid)
            print("    job %-9s ready in %6.2f s = %5.2f × %s, %7.1f MB downloaded in %5.2f s; server memory "
                  "+%.0f MiB at peak while made, +%.0f MiB while downloaded"
                  % (name, ready, ready / raw, tool, size / 1e6, fetched, making, handing))
        # The evaluation's page, with its overview of every citizen (the export form is on it).
        before = rss_kib(server.pid)
        start = time.perf_counter()
        assert session.get(base + "/evalueringer/%s" % evaluation, timeout=600).status_code == 200
        print("    the evaluation's page in %.2f s; server memory +%.0f MiB after it"
              % (time.perf_counter() - start, (rss_kib(server.pid) - before) / 1024))
    finally:
        server.terminate()
        server.wait()
        if not keep:
            shutil.rmtree(data, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default=".build/release/pulje")
    parser.add_argument("--citizens", default="4348,43479",
                        help="comma-separated sizes (43479 citizens = 1.000.017 rows of the long export)")
    parser.add_argument("--keep", action="store_true", help="keep the data directories")
    parser.add_argument("--database-url", help="PostgreSQL to run on (emptied first); psql is its tool")
    args = parser.parse_args()
    for size in [int(s) for s in args.citizens.split(",")]:
        run_size(os.path.abspath(args.binary), size, args.keep, args.database_url)


if __name__ == "__main__":
    main()
