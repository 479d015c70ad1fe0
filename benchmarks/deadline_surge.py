#!/usr/bin/env python3
"""The deadline surge: N municipal users autosave their applications every few seconds and submit in
the last seconds before a deadline about a minute away; a few try just after it.

Usage:  python3 benchmarks/deadline_surge.py [--users 500] [--database-url postgres://…] [--binary PATH]
                                           [--kill-before 30] [--instances 3]
        (needs `pip install aiohttp`; builds nothing: run `swift build -c release --product pulje` first;
        --instances needs PostgreSQL, Debian's nginx and psql)

It starts its own server (release build, fresh data directory or the given PostgreSQL database), seeds
users and calls with `pulje seed-loadtest`, then measures, all on loopback, in the same run:
  1. capacity: C concurrent clients for T seconds against a trivial endpoint (/healthz) and against
     autosave, closed loop: throughput and p50/p99, and the ratio between them;
  2. the surge: every user autosaves every 2-4 s and submits in the last 10 s before the deadline;
     2 % submit 1-3 s after it. Observed rates and latencies, and correctness: every submission before
     the deadline has a receipt, none after it, and no save is lost;
  3. with --kill-before S: S seconds before the deadline the server is killed with SIGKILL mid-surge and
     started again on the same data; before anyone saves again, every acknowledged save must be stored.
With --instances N (PostgreSQL only) it starts N instances on one shared data directory behind nginx
(round robin, so every user's requests go to every instance: sessions are shared), all started at once
on the empty database (start-ups take turns), with a mail sink as their sendmail. It checks sign-in
throttling across instances, and after the surge that every receipt mail was delivered exactly once by
the instances' outbox deliverers. With --kill-before, one instance is killed with SIGKILL and not started
again: the others carry on behind nginx; every acknowledged save must be stored, and no application has
two receipts (the database is read with psql).
Prints figures only; it is not a test and asserts nothing about speed.
"""
import argparse
import asyncio
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime

try:
    import aiohttp
except ImportError:
    sys.exit("pip install aiohttp")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROXY_GAVE_UP = (502, 503, 504)  # nginx answers these when the instance it chose went away
CSRF = re.compile(r'name="_csrf" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')


def percentile(values, p):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def figures(name, latencies, seconds):
    ms = [v * 1000 for v in latencies]
    rate = len(latencies) / seconds if seconds > 0 else 0
    return {"name": name, "requests": len(latencies), "per_second": rate,
            "p50_ms": percentile(ms, 50), "p99_ms": percentile(ms, 99)}


def show(row):
    print("  %-28s %7d requests  %8.1f/s  p50 %7.1f ms  p99 %7.1f ms" % (
        row["name"], row["requests"], row["per_second"], row["p50_ms"], row["p99_ms"]))


class User:
    def __init__(self, email, call, base):
        self.email, self.call, self.base = email, call, base
        self.session = None
        self.csrf = None
        self.path = None
        self.version = None
        self.saved_title = None
        self.receipt = None
        self.late = False
        self.pending_title = None

    async def page(self, path):
        async with self.session.get(self.base + path) as r:
            text = await r.text()
            m = CSRF.search(text)
            if m:
                self.csrf = m.group(1)
            return r.status, text, str(r.url)

    async def start(self, password):
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        await self.page("/log-ind")
        async with self.session.post(self.base + "/log-ind", data={
                "email": self.email, "password": password, "_csrf": self.csrf}) as r:
            assert r.status == 200, "sign-in failed for %s: %s" % (self.email, r.status)
        await self.page("/puljer/" + self.call)
        async with self.session.post(self.base + "/puljer/%s/ansoeg" % self.call, data={"_csrf": self.csrf}) as r:
            assert r.status == 200, "start failed: %s" % r.status
            # A new application opens at the first step of the form; it is saved at its own path.
            self.path = r.url.path.split("/afsnit/")[0]
            text = await r.text()
        self.version = int(VERSION.search(text).group(1))
        self.csrf = CSRF.search(text).group(1)

    def form(self, title):
        return {"_csrf": self.csrf, "version": str(self.version), "projectTitle": title,
                "targetAreas[]": "handicap", "contacts[0][name]": "Testbruger", "contacts[0][email]": "test@kommune.dk",
                "answers[motivation]": "Motivation skrevet under belastningstest. " * 20,
                "declarations[]": "projektleder",
                "budget[0][category]": "salaries", "budget[0][description]": "Projektleder, 0,5 årsværk",
                "budget[0][units]": "0,5", "budget[0][unitPrice]": "600.000", "budget[0][year]": "2030",
                "budget[0][months][]": "1"}

    in_flight = 0  # autosaves sent and not yet answered, over all users

    async def stored(self):
        """The user's application to the call as the API gives it back (None if there is none)."""
        async with self.session.get(self.base + "/api/v1/applications") as r:
            items = (await r.json())["items"]
        mine = [a for a in items if a["callId"].lower() == self.call.lower() and a["status"] != "withdrawn"]
        return mine[0] if mine else None

    async def autosave(self, title):
        started = time.perf_counter()
        self.pending_title = title
        User.in_flight += 1
        try:
            async with self.session.post(self.base + self.path, data=self.form(title),
                                         headers={"Accept": "application/json", "X-Pulje-Autosave": "1"}) as r:
                if r.status in PROXY_GAVE_UP:
                    return "no answer", time.perf_counter() - started
                body = await r.json(content_type=None)
                elapsed = time.perf_counter() - started
                if r.status == 200:
                    self.version = body["version"]
                    self.saved_title = title
                return r.status, elapsed
        except (aiohttp.ClientError, asyncio.TimeoutError):
            # The server went away mid-request (the kill test): not acknowledged, so not counted as saved.
            return "no answer", time.perf_counter() - started
        finally:
            User.in_flight -= 1

    async def submit(self):
        started = time.perf_counter()
        for attempt in range(2):
            try:
                async with self.session.post(self.base + self.path + "/indsend",
                                             data={"_csrf": self.csrf, "version": str(self.version)},
                                             allow_redirects=False) as r:
                    elapsed = time.perf_counter() - started
                    if r.status in PROXY_GAVE_UP and attempt == 0:
                        continue  # the instance went away mid-request: the user presses the button again
                    if r.status == 303 and r.headers.get("Location", "").endswith("/kvittering"):
                        self.receipt = r.headers["Location"]
                    return r.status, elapsed
            except (aiohttp.ClientError, asyncio.TimeoutError):
                if attempt == 1:
                    return "no answer", time.perf_counter() - started

    async def signs_in(self, password):
        """One sign-in attempt in a fresh browser; the HTTP status of the answer."""
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as browser:
            async with browser.get(self.base + "/log-ind") as r:
                csrf = CSRF.search(await r.text()).group(1)
            async with browser.post(self.base + "/log-ind", data={
                    "email": self.email, "password": password, "_csrf": csrf}) as r:
                return r.status


async def closed_loop(request, clients, seconds):
    latencies, errors = [], 0
    stop = time.perf_counter() + seconds

    async def worker(i):
        nonlocal errors
        while time.perf_counter() < stop:
            ok, elapsed = await request(i)
            if ok:
                latencies.append(elapsed)
            else:
                errors += 1
    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    return latencies, errors, time.perf_counter() - started


NGINX = """
worker_processes 2;
daemon off;
pid %(dir)s/nginx.pid;
error_log %(dir)s/nginx-error.log warn;
events { worker_connections 4096; }
http {
    client_body_temp_path %(dir)s/body;
    proxy_temp_path %(dir)s/proxy;
    fastcgi_temp_path %(dir)s/fastcgi;
    uwsgi_temp_path %(dir)s/uwsgi;
    scgi_temp_path %(dir)s/scgi;
    log_format upstream '$upstream_addr $status';
    access_log %(dir)s/nginx-access.log upstream buffer=64k;
    upstream pulje {
%(servers)s
        keepalive 64;
    }
    server {
        listen 127.0.0.1:%(port)d;
        client_max_body_size 30m;
        location / {
            proxy_pass http://pulje;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_set_header X-Request-Id $request_id;
        }
    }
}
"""

MAIL_SINK = """#!/bin/sh
# A sendmail for the benchmark: keeps each message it is given as a file of its own.
exec cat > "%s/$(date +%%s%%N).$$.eml"
"""


class Servers:
    """One instance on its port, or N instances behind nginx on it; all on the same data directory and database."""

    def __init__(self, args, env, work_dir):
        self.args, self.env, self.work_dir = args, env, work_dir
        self.count = args.instances
        self.ports = [args.port] if self.count == 1 else [args.port + 1 + i for i in range(self.count)]
        self.base = "http://127.0.0.1:%d" % args.port
        self.processes = [None] * self.count
        self.nginx = None

    def start(self, i):
        self.processes[i] = subprocess.Popen(
            [self.args.binary, "serve", "--hostname", "127.0.0.1", "--port", str(self.ports[i])], env=self.env,
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(self.work_dir, "instance-%d.log" % i), "a"))

    async def start_all(self):
        for i in range(self.count):  # all at once, on one database: their start-ups take turns
            self.start(i)
        if self.count > 1:
            nginx_dir = os.path.join(self.work_dir, "nginx")
            os.makedirs(nginx_dir, exist_ok=True)
            servers = "\n".join("        server 127.0.0.1:%d max_fails=1 fail_timeout=60s;" % p for p in self.ports)
            conf = os.path.join(nginx_dir, "nginx.conf")
            with open(conf, "w") as f:
                f.write(NGINX % {"dir": nginx_dir, "servers": servers, "port": self.args.port})
            self.nginx = subprocess.Popen([shutil.which("nginx") or "/usr/sbin/nginx", "-c", conf, "-p", nginx_dir],
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for port in self.ports + ([self.args.port] if self.count > 1 else []):
            await wait_until_up("http://127.0.0.1:%d" % port)

    def kill(self, i):
        self.processes[i].send_signal(signal.SIGKILL)
        self.processes[i].wait()

    def stop(self):
        for process in self.processes:
            if process and process.poll() is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes:
            if process:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
        if self.nginx:
            self.nginx.send_signal(signal.SIGQUIT)
            try:
                self.nginx.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.nginx.kill()

    def requests_per_instance(self):
        """From nginx's access log: how many requests each instance answered."""
        counts = {}
        path = os.path.join(self.work_dir, "nginx", "nginx-access.log")
        if os.path.exists(path):
            with open(path) as f:
                for line in f:
                    addresses, status = line.rsplit(" ", 1)
                    # Only the instance that answered (nginx lists the ones it tried first, comma-separated).
                    answered = addresses.split(",")[-1].strip()
                    counts[answered] = counts.get(answered, 0) + 1
                    if status.strip() in ("502", "503", "504"):
                        counts["gave up"] = counts.get("gave up", 0) + 1
        return counts


async def wait_until_up(base):
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as probe:
        for _ in range(1200):
            try:
                async with probe.get(base + "/healthz") as r:
                    if r.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the server at %s did not come up" % base)


def psql(url, query):
    """One query's rows through psql (tab-separated, no header)."""
    out = subprocess.run(["psql", url, "-At", "-F", "\t", "-c", query], capture_output=True, text=True, check=True)
    return [line.split("\t") for line in out.stdout.strip().splitlines()]


async def main(args):
    binary = args.binary
    if not os.path.exists(binary):
        sys.exit("Build first: swift build -c release --product pulje (or name the binary with --binary)")
    if args.instances > 1 and not args.database_url:
        sys.exit("Several instances share one PostgreSQL database: give --database-url")
    if args.instances > 1 and not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        sys.exit("Several instances run behind nginx: apt-get install nginx-light")
    data_dir = tempfile.mkdtemp(prefix="pulje-bench-")
    work_dir = tempfile.mkdtemp(prefix="pulje-bench-work-")
    env = dict(os.environ, PULJE_DATA_DIR=data_dir, PULJE_DEMO_DATA="false", LOG_LEVEL="error")
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    mail_dir = None
    if args.instances > 1:
        mail_dir = os.path.join(work_dir, "mail")
        os.makedirs(mail_dir)
        sink = os.path.join(work_dir, "sendmail")
        with open(sink, "w") as f:
            f.write(MAIL_SINK % mail_dir)
        os.chmod(sink, 0o755)
        env.update(PULJE_SENDMAIL=sink, PULJE_MAIL_POLL_SECONDS="1", PULJE_TRUSTED_PROXIES="127.0.0.1")
    seed = subprocess.run([binary, "seed-loadtest", "--users", str(args.users), "--deadline-in", str(args.deadline_in)],
                          env=env, capture_output=True, text=True, check=True)
    plan = json.loads(seed.stdout.strip().splitlines()[-1])
    deadline = datetime.fromisoformat(plan["deadline"].replace("Z", "+00:00")).timestamp()
    servers = Servers(args, env, work_dir)
    base = servers.base
    try:
        await servers.start_all()
        print("Pulje deadline surge: %d users, %s, deadline %s" % (
            args.users, "PostgreSQL" if args.database_url else "SQLite (WAL)", plan["deadlineText"]))
        if servers.count > 1:
            print("  %d instances behind nginx on one data directory and one database, started at once" % servers.count)
        users = [User(email, call, base) for email, call in plan["users"]]
        sem = asyncio.Semaphore(64)

        async def start(u):
            async with sem:
                await u.start(plan["password"])
        t0 = time.perf_counter()
        await asyncio.gather(*(start(u) for u in users))
        print("  %d users signed in and started applications in %.1f s" % (len(users), time.perf_counter() - t0))
        throttled = None
        if servers.count > 1:
            # Sign-in throttling across instances: five wrong passwords for one account, spread by nginx over
            # the instances, and then the right password is refused too (that user's session goes on).
            probe = users[-1]
            wrong = [await probe.signs_in("forkert-adgangskode-%d" % i) for i in range(5)]
            throttled = (wrong, await probe.signs_in(plan["password"]))
            print("  sign-in throttling across instances: 5 wrong passwords answered %s, then the right one %d%s" % (
                wrong, throttled[1], " (refused, as it must be)" if throttled[1] == 429 else " (NOT REFUSED)"))

        # 1. Capacity, closed loop, trivial endpoint and autosave measured the same way.
        clients = min(args.clients, len(users))
        trivial_session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))

        async def trivial(_):
            started = time.perf_counter()
            async with trivial_session.get(base + "/healthz") as r:
                await r.read()
                return r.status == 200, time.perf_counter() - started
        lat, err, secs = await closed_loop(trivial, clients, args.seconds)
        trivial_row = figures("trivial GET /healthz", lat, secs)
        counter = [0]

        async def save(i):
            counter[0] += 1
            status, elapsed = await users[i].autosave("Kapacitet %d" % counter[0])
            return status == 200, elapsed
        lat, save_errors, secs = await closed_loop(save, clients, args.seconds)
        autosave_row = figures("autosave (closed loop)", lat, secs)
        await trivial_session.close()
        print("\nCapacity, %d concurrent clients, %d s each:" % (clients, args.seconds))
        show(trivial_row)
        show(autosave_row)
        ratio = autosave_row["per_second"] / trivial_row["per_second"] if trivial_row["per_second"] else 0
        print("  autosave/trivial throughput ratio: %.2f   (autosave errors: %d)" % (ratio, save_errors))

        if args.capacity_only:
            for u in users:
                await u.session.close()
            return 0

        # 2. The surge until the deadline.
        now = time.time()
        if deadline - now < 20:
            print("  (the deadline is only %.0f s away: raise --deadline-in)" % (deadline - now))
        late = set(random.sample(range(len(users)), max(1, len(users) // 50)))
        save_lat, submit_lat, late_lat = [], [], []
        save_status, submit_status, late_status = {}, {}, {}
        surge_start = time.perf_counter()

        # The kill test: SIGKILL the server in the middle of the surge, start it again on the same data, and
        # check, before anyone saves again, that every save it had acknowledged is stored.
        up = asyncio.Event()
        up.set()
        kill_report = {}
        retried = {"count": 0}

        async def kill_and_restart():
            await asyncio.sleep(max(0, deadline - args.kill_before - time.time()))
            # Kill it while saves are being answered, so that some are cut off mid-request.
            waited = time.time()
            while User.in_flight < 3 and time.time() - waited < 5:
                await asyncio.sleep(0.001)
            in_flight_at_kill = User.in_flight
            servers.kill(0)
            up.clear()
            killed_at = time.perf_counter()
            acknowledged = {u.email: (u.saved_title, u.pending_title) for u in users}
            if servers.count == 1:
                servers.start(0)
                await wait_until_up(base)
            # With several, the killed one stays dead and nginx sends its share to the others; saves pause
            # only while every application is read back.
            down = time.perf_counter() - killed_at
            missing = newer = 0
            for u in users:
                application = await u.stored()
                stored = application["content"]["projectTitle"] if application else None
                saved, pending = acknowledged[u.email]
                if stored == saved:
                    continue
                if stored == pending:
                    newer += 1  # a save in flight at the kill was committed; its answer was lost
                else:
                    missing += 1
            kill_report.update(down=down, missing=missing, newer=newer, users=len(users), in_flight=in_flight_at_kill,
                               checked=time.perf_counter() - killed_at)
            up.set()

        async def life(i, u):
            u.late = i in late
            submit_at = deadline + random.uniform(1, 3) if u.late else deadline - random.uniform(1, 10)
            n = 0
            while time.time() < submit_at - 1:
                await asyncio.sleep(min(random.uniform(2, 4), max(0, submit_at - 1 - time.time())))
                await up.wait()
                if time.time() >= submit_at - 1:
                    break
                n += 1
                title = "Udgave %d af %s" % (n, u.email)
                status, elapsed = await u.autosave(title)
                if status == "no answer":
                    # As the page does: the same save again once the server answers (stored or not).
                    retried["count"] += 1
                    await up.wait()
                    status, elapsed = await u.autosave(title)
                save_status[status] = save_status.get(status, 0) + 1
                if status == 200:
                    save_lat.append(elapsed)
            await up.wait()
            status, elapsed = await u.autosave("Endelig udgave af %s" % u.email)
            save_status[status] = save_status.get(status, 0) + 1
            await asyncio.sleep(max(0, submit_at - time.time()))
            status, elapsed = await u.submit()
            if u.late:
                late_status[status] = late_status.get(status, 0) + 1
                late_lat.append(elapsed)
            else:
                submit_status[status] = submit_status.get(status, 0) + 1
                submit_lat.append(elapsed)
        tasks = [life(i, u) for i, u in enumerate(users)]
        if args.kill_before:
            tasks.append(kill_and_restart())
        await asyncio.gather(*tasks)
        surge_seconds = time.perf_counter() - surge_start

        # Correctness: read every application back through the API.
        lost = wrong_status = 0
        for u in users:
            application = await u.stored()
            if not application or application["content"]["projectTitle"] != u.saved_title:
                lost += 1
            expected = "draft" if u.late else "submitted"
            if not application or application["status"] != expected:
                wrong_status += 1
        on_time = [u for u in users if not u.late]
        print("\nSurge, %.0f s up to the deadline (every user autosaves every 2-4 s, submits in the last 10 s):" % surge_seconds)
        show(figures("autosave", save_lat, surge_seconds))
        show(figures("submit before deadline", submit_lat, 10))
        show(figures("submit after deadline", late_lat, 3))
        print("  autosave answers: %s   submit answers: %s   late answers: %s" % (save_status, submit_status, late_status))
        if kill_report:
            if servers.count > 1:
                print("\nKill test: SIGKILL of instance 1 of %d, %d s before the deadline with %d autosaves in flight; "
                      "not restarted, every application read back through the others in %.1f s:" % (
                          servers.count, args.kill_before, kill_report["in_flight"], kill_report["checked"]))
            else:
                print("\nKill test: SIGKILL %d s before the deadline with %d autosaves in flight, restarted on the same data in %.1f s:" % (
                    args.kill_before, kill_report["in_flight"], kill_report["down"]))
            print("  acknowledged saves missing:                     %d of %d users" % (
                kill_report["missing"], kill_report["users"]))
            print("  saves in flight at the kill that were stored:   %d (their answers were lost)" % kill_report["newer"])
            print("  saves without an answer, sent again:            %d" % retried["count"])
        print("\nCorrectness:")
        print("  submissions before the deadline with a receipt: %d of %d" % (sum(1 for u in on_time if u.receipt), len(on_time)))
        print("  submissions after the deadline accepted:        %d of %d" % (sum(1 for u in users if u.late and u.receipt), len(late)))
        print("  saves lost (last saved title not stored):       %d" % lost)
        print("  applications with the wrong status:             %d" % wrong_status)
        for u in users:
            await u.session.close()
        ok = all(u.receipt for u in on_time) and not any(u.receipt for u in users if u.late) and lost == 0 and wrong_status == 0
        ok = ok and kill_report.get("missing", 0) == 0
        if servers.count > 1:
            ok = await cluster_checks(args.database_url, mail_dir, servers, throttled) and ok
        print("\n%s" % ("all correct" if ok else "INCORRECT"))
        return 0 if ok else 1
    finally:
        servers.stop()
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.rmtree(work_dir, ignore_errors=True)


async def cluster_checks(url, mail_dir, servers, throttled):
    """What only several instances can get wrong: one receipt per application, every mail delivered once."""
    rows = psql(url, "SELECT count(*), count(DISTINCT submission_number) FROM applications WHERE submission_number IS NOT NULL")
    submitted, distinct_numbers = int(rows[0][0]), int(rows[0][1])
    receipts_per_application = psql(url, "SELECT coalesce(max(n), 0) FROM (SELECT count(*) AS n FROM outbox_messages "
                                          "WHERE kind = 'receipt' GROUP BY subject, recipient) AS per_application")
    # The outbox deliverers of the instances still alive empty the outbox (one claim each; a claim held by
    # the killed instance would run out after two minutes).
    waited = time.time()
    while True:
        total, sent = (int(v) for v in psql(url, "SELECT count(*), count(sent_at) FROM outbox_messages")[0])
        if sent == total or time.time() - waited > 240:
            break
        await asyncio.sleep(1)
    ids = []
    for name in os.listdir(mail_dir):
        with open(os.path.join(mail_dir, name), errors="replace") as f:
            ids += re.findall(r"^Message-ID: <([^@>]+)@", f.read(), re.MULTILINE)
    print("\nAcross %d instances:" % servers.count)
    print("  submitted applications: %d, distinct submission numbers: %d" % (submitted, distinct_numbers))
    print("  most receipt mails for one application and recipient:  %s" % receipts_per_application[0][0])
    print("  mails in the outbox: %d, marked sent: %d (after %.0f s)" % (total, sent, time.time() - waited))
    print("  mails the sink received: %d, distinct: %d, delivered twice: %d" % (len(ids), len(set(ids)), len(ids) - len(set(ids))))
    counts = servers.requests_per_instance()
    print("  requests answered per instance (nginx): %s; answered 502-504 by nginx: %d" % (", ".join(
        "%s %d" % (address, counts.get("127.0.0.1:%d" % port, 0)) for address, port in
        (("instance %d" % (i + 1), port) for i, port in enumerate(servers.ports))), counts.get("gave up", 0)))
    return (submitted == distinct_numbers and receipts_per_application[0][0] in ("0", "1") and sent == total
            and len(ids) == len(set(ids)) == total and throttled is not None and throttled[1] == 429)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=500)
    parser.add_argument("--clients", type=int, default=64, help="concurrent clients in the capacity phase")
    parser.add_argument("--seconds", type=int, default=10, help="length of each capacity measurement")
    parser.add_argument("--deadline-in", type=int, default=100, help="seconds from seeding to the deadline, at least")
    parser.add_argument("--port", type=int, default=18181)
    parser.add_argument("--capacity-only", action="store_true", help="measure capacity only, skip the surge")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "pulje"))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--kill-before", type=int, default=0,
                        help="SIGKILL the server this many seconds before the deadline, restart it, check every acknowledged save")
    parser.add_argument("--instances", type=int, default=1,
                        help="run this many instances behind nginx on the PostgreSQL database (--database-url)")
    sys.exit(asyncio.run(main(parser.parse_args())))
