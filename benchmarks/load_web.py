"""Load test of the web workspace: N concurrent users over the main pages for a while.

By default it starts the workspace exactly as ``scripts/run.sh`` does (``scripts/serve.sh``:
gunicorn, SQLite, in a throwaway folder: migrate, load the demo data), signs three users in four in
through the login form (DoST staff: public and members' pages), keeps the others anonymous (public
pages only), then each user requests its pages one after another for ``--duration`` seconds, once
per ``--think`` value (the average pause between a user's requests; default 0 s: no pause). It
reports p50/p95/p99 latency per page and overall, the request rate and the errors (any status
other than 200, or a connection error). Target: 0 errors and p95 ≤ 400 ms.

Loopback only: ``--url`` must point at 127.0.0.1, localhost or ::1; users ≤ 200, duration ≤ 600 s.
The load generator shares the machine with the server: run it at a quiet moment.

Run:  python benchmarks/load_web.py [--users 20] [--duration 60] [--think 0] [--write docs/performance.md]
      python benchmarks/load_web.py --url http://127.0.0.1:8000 --username canbo --password …
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
DEMO_USER, DEMO_PASSWORD = "canbo", "piiplan-tai-thu-2026"
TARGET_P95_MS = 400

# The public pages (what anyone opens) and, for signed-in users, the members' pages too.
PAGES = [
    ("Tổng quan", "/"),
    ("Xếp hạng", "/xep-hang/"),
    ("Xếp hạng (trụ cột, theo vùng)", "/xep-hang/?ma=2&vung=Trung+du+v%C3%A0+mi%E1%BB%81n+n%C3%BAi+ph%C3%ADa+B%E1%BA%AFc"),
    ("Hồ sơ tỉnh", "/ho-so/"),
    ("Hồ sơ tỉnh (Hà Nội, 2024)", "/ho-so/?tinh=H%C3%A0+N%E1%BB%99i&nam=2024"),
    ("Chỉ số", "/chi-so/"),
    ("Chỉ số 1.2.1", "/chi-so/1.2.1/"),
    ("Độ tin cậy", "/do-tin-cay/"),
    ("Mô hình tiêu biểu (công khai)", "/ke-hoach/mo-hinh-tieu-bieu/"),
    ("Bản đồ", "/ban-do/"),
    ("So sánh", "/so-sanh/"),
    ("Xu hướng", "/xu-huong/"),
]
MEMBER_PAGES = [
    ("Kế hoạch", "/ke-hoach/"),
    ("Kỳ báo cáo", "/ke-hoach/ky-bao-cao/"),
    ("Nhiệm vụ", "/ke-hoach/1/nhiem-vu/"),
    ("Thông báo", "/ke-hoach/thong-bao/"),
    ("Nhật ký hệ thống", "/nhat-ky/"),
]
ALL_PAGES = PAGES + MEMBER_PAGES


@dataclass
class Sample:
    page: str
    seconds: float
    ok: bool
    status: str


@dataclass
class Stats:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int, workdir: Path) -> subprocess.Popen:
    """scripts/serve.sh (what run.sh runs after set-up) in a throwaway folder, in its own process group."""
    env = {**os.environ, "PIIPLAN_VAR_DIR": str(workdir), "ALLOWED_HOSTS": "127.0.0.1,localhost",
           "LOG_LEVEL": "ERROR", "PYTHON": sys.executable, "PORT": str(port), "HOST": "127.0.0.1",
           "PIIPLAN_DEMO_PASSWORD": DEMO_PASSWORD}
    for name in ("DATABASE_URL", "DEBUG", "DJANGO_SETTINGS_MODULE"):   # SQLite and gunicorn, as scripts/run.sh
        env.pop(name, None)
    server = subprocess.Popen(["bash", str(ROOT / "scripts" / "serve.sh")], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit("Máy chủ không khởi động được:\n" + server.stderr.read().decode())
            time.sleep(0.2)
    stop_server(server)
    raise SystemExit("Máy chủ không mở cổng sau 120 giây.")


def stop_server(server: subprocess.Popen) -> None:
    """TERM to serve.sh's process group (gunicorn master, workers, task worker), then KILL if needed."""
    import signal

    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(5)
    except ProcessLookupError:
        pass


class Browser:
    """One user and its session cookies. By default every request opens a new connection
    (``Connection: close``): Django's development server handles keep-alive connections poorly
    under load (requests stall until the client times out); ``keep_alive=True`` reuses one."""

    def __init__(self, base: str, keep_alive: bool = False):
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname, parts.port or 80
        self.keep_alive = keep_alive
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if not self.keep_alive:
            headers["Connection"] = "close"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if not self.keep_alive:
            self.conn.close()
        return response.status, response.getheader("Location", ""), data

    def close(self) -> None:
        self.conn.close()


def sign_in(base: str, username: str, password: str, keep_alive: bool = False) -> Browser:
    """A user signed in through the login form (CSRF token and cookies as a browser sends them)."""
    browser = Browser(base, keep_alive)
    login = "/tai-khoan/dang-nhap/"
    _, _, html = browser.request("GET", login)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()
    body = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
    status, location, _ = browser.request("POST", login, body, {
        "Content-Type": "application/x-www-form-urlencoded", "Referer": base + login})
    if status != 302 or "sessionid" not in browser.cookies:
        raise SystemExit(f"Không đăng nhập được với tài khoản {username} (HTTP {status}).")
    return browser


def user_loop(browser: Browser, stats: Stats, stop_at: float, think: float, seed: int) -> None:
    rng = random.Random(seed)
    order = (ALL_PAGES if "sessionid" in browser.cookies else PAGES)[:]
    while time.time() < stop_at:
        rng.shuffle(order)
        for name, path in order:
            if time.time() >= stop_at:
                return
            t = time.perf_counter()
            try:
                status, _, _ = browser.request("GET", path)
                ok, label = status == 200, str(status)
            except (OSError, http.client.HTTPException) as exc:
                ok, label = False, type(exc).__name__
            stats.add(Sample(name, time.perf_counter() - t, ok, label))
            if think:
                time.sleep(rng.uniform(0.5 * think, 1.5 * think))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def run_block(stats: Stats, users: int, duration: float, think: float, load_before: tuple,
              keep_alive: bool = False) -> str:
    """One run as a Markdown subsection: per-page and overall latency, throughput, errors."""
    samples = stats.samples
    errors = [s for s in samples if not s.ok]
    times = [s.seconds * 1000 for s in samples]
    pause = "no pause between requests (saturation)" if not think else f"{think:g} s average pause between requests"
    lines = [
        f"### {users} users, {pause}",
        "",
        f"`--users {users} --duration {duration:g} --think {think:g}" + (" --keep-alive" if keep_alive else "")
        + f"` · load average before the run {load_before[0]:.2f} / {load_before[1]:.2f} / {load_before[2]:.2f} "
        "(1/5/15 min)",
        "",
        "| Page | requests | p50 (ms) | p95 (ms) | p99 (ms) | max (ms) |",
        "|---|---|---|---|---|---|",
    ]
    for name, _ in ALL_PAGES:
        t = [s.seconds * 1000 for s in samples if s.page == name]
        if t:
            lines.append(f"| {name} | {len(t)} | {statistics.median(t):.0f} | {percentile(t, .95):.0f} | "
                         f"{percentile(t, .99):.0f} | {max(t):.0f} |")
    if times:
        lines.append(f"| **All** | **{len(times)}** | **{statistics.median(times):.0f}** | "
                     f"**{percentile(times, .95):.0f}** | **{percentile(times, .99):.0f}** | **{max(times):.0f}** |")
    p95 = percentile(times, .95) if times else float("nan")
    lines += ["", f"Throughput: {len(samples) / duration:.1f} requests/s. Errors: {len(errors)}"
              + (" (" + ", ".join(sorted({e.status for e in errors})) + ")" if errors else "") + ". "
              f"Target p95 ≤ {TARGET_P95_MS} ms and no errors: "
              + ("met." if p95 <= TARGET_P95_MS and not errors else "**not met**."), ""]
    return "\n".join(lines)


NOTE = ("How to read it: every user requests its next page as soon as the previous one arrives (no pause), "
        "so this is a saturation run — far more than twenty people reading pages generate. Three users in four are "
        "signed in as DoST staff (public pages plus the plan, periods, tasks, notices and audit log), one in four "
        "is an anonymous visitor (public pages). The server is what `scripts/run.sh` starts: gunicorn with "
        "2 × CPU + 1 sync workers (WhiteNoise for static files, one persistent database connection per worker), "
        "on SQLite in WAL mode. The machine is shared with other work (see the load average before the run): "
        "figures from a busy moment are pessimistic.")


def header(users: int, server: str, keep_alive: bool) -> str:
    return "\n".join([
        "## Web",
        "",
        f"`python benchmarks/load_web.py` — {users} concurrent users (three in four signed in as DoST staff), "
        "each requesting its pages in random order " + ("over one keep-alive connection" if keep_alive else "on a new connection per request")
        + f", against {server}. Machine: {platform.machine()}, {os.cpu_count()} CPU, Python "
        f"{platform.python_version()}; the load generator runs on the same machine.",
        "",
        NOTE,
        "",
        "",
    ])


def write_section(path: Path, section: str) -> None:
    """Replace the "## Web" section of ``path`` (or append it), leaving the other sections alone."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Performance\n"
    pattern = re.compile(r"^## Web\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section.rstrip("\n") + "\n\n", text, count=1).rstrip("\n") + "\n"
    else:
        text = text.rstrip("\n") + "\n\n" + section.rstrip("\n") + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running workspace (loopback only); default: start one on SQLite")
    parser.add_argument("--username", default=DEMO_USER)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--duration", type=float, default=60.0)
    parser.add_argument("--think", type=float, nargs="+", default=[0.0],
                        help="average pause between a user's requests (s); one run per value (default: 0)")
    parser.add_argument("--keep-alive", action="store_true", help="one persistent connection per user")
    parser.add_argument("--write", type=Path, help="write the result as the '## Web' section of this file")
    args = parser.parse_args(argv)
    if not 1 <= args.users <= 200 or not 1 <= args.duration <= 600:
        parser.error("--users must be 1–200 and --duration 1–600 s")

    server, tmp = None, None
    if args.url:
        host = urllib.parse.urlsplit(args.url).hostname
        if host not in LOOPBACK:
            parser.error("--url must be a loopback address (127.0.0.1, localhost, ::1)")
        base, where = args.url.rstrip("/"), f"the server at {args.url}"
    else:
        tmp = tempfile.TemporaryDirectory(prefix="piiplan-load-")
        port = free_port()
        server = start_server(port, Path(tmp.name))
        base, where = f"http://127.0.0.1:{port}", "`scripts/serve.sh` (gunicorn, DEBUG off) on SQLite with the demo data"
    try:
        browsers = [sign_in(base, args.username, args.password, args.keep_alive) if i % 4 != 3
                    else Browser(base, args.keep_alive) for i in range(args.users)]
        # One warm-up pass per worker (roughly): the first build of each year and the uncertainty run are memoised.
        for _, path in ALL_PAGES * 3:
            browsers[0].request("GET", path)
        blocks, errors = [], 0
        for think in args.think:
            load_before = os.getloadavg()
            stats = Stats()
            stop_at = time.time() + args.duration
            threads = [threading.Thread(target=user_loop, args=(b, stats, stop_at, think, i), daemon=True)
                       for i, b in enumerate(browsers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(args.duration + 60)
            block = run_block(stats, args.users, args.duration, think, load_before, args.keep_alive)
            print(block, flush=True)
            blocks.append(block)
            errors += sum(not s.ok for s in stats.samples)
        for b in browsers:
            b.close()
        if args.write:
            write_section(args.write, header(args.users, where, args.keep_alive) + "\n".join(blocks))
        return 1 if errors else 0
    finally:
        if server is not None:
            stop_server(server)
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    sys.exit(main())
