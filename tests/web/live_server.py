"""Start ``scripts/serve.sh`` (what ``scripts/run.sh`` runs after set-up) in a throwaway folder.

Used by the server test and the fault tests: the real production server (gunicorn), on SQLite,
on a free loopback port. ``kill_server`` SIGKILLs the whole process group, as a power cut would.
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env(var_dir: Path, port: int, **extra: str) -> dict[str, str]:
    dropped = ("DEBUG", "DATABASE_URL", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE", "ALLOWED_HOSTS", "PIIPLAN_ENV",
               "DJANGO_SETTINGS_MODULE", "MEDIA_ROOT", "STATIC_ROOT")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(PYTHON=sys.executable, PIIPLAN_VAR_DIR=str(var_dir), PORT=str(port), HOST="127.0.0.1",
               WEB_CONCURRENCY="2", PIIPLAN_DEMO_PASSWORD="mat-khau-mau-thu-2026", LOG_LEVEL="ERROR")
    env.update(extra)
    return env


class Server:
    def __init__(self, var_dir: Path, **extra: str):
        self.var_dir = var_dir
        self.port = free_port()
        self.env = server_env(var_dir, self.port, **extra)
        self.log = var_dir / f"serve-{self.port}.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> "Server":
        self.var_dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(["bash", str(ROOT / "scripts" / "serve.sh")], env=self.env, cwd=ROOT,
                                     stdout=self.log.open("ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("serve.sh stopped:\n" + self.log.read_text(errors="replace"))
            try:
                if self.get("/tai-khoan/dang-nhap/")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.kill()
        raise AssertionError("server did not answer in time:\n" + self.log.read_text(errors="replace"))

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request("GET", path, headers=headers or {})
            response = conn.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            conn.close()

    def stop(self) -> None:
        """A normal stop (Ctrl+C / systemd): TERM to serve.sh, which stops gunicorn and the worker."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.proc = None

    def kill(self) -> None:
        """SIGKILL every process of the server (serve.sh, gunicorn master and workers, task worker)."""
        if self.proc:
            try:
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.proc.wait(10)
        self.proc = None

    def manage(self, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        env = {**self.env, "PYTHONPATH": str(ROOT / "src")}
        result = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT,
                                capture_output=True, text=True, timeout=120, **kwargs)
        if check and result.returncode != 0:
            raise AssertionError(f"manage.py {args[0]} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
        return result


class Session:
    """A browser-like HTTP session on the live server: cookies, CSRF token, form and multipart posts."""

    def __init__(self, server: Server):
        self.server = server
        self.cookies: dict[str, str] = {}

    def _send(self, method: str, path: str, body=None, content_type: str | None = None,
              timeout: float = 30, length: int | None = None) -> tuple[int, dict, bytes]:
        headers = {"Host": "127.0.0.1", "Referer": f"http://127.0.0.1:{self.server.port}{path}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.cookies.get("csrftoken"):
            headers["X-CSRFToken"] = self.cookies["csrftoken"]
        if content_type:
            headers["Content-Type"] = content_type
        if length is not None:  # a body sent piece by piece (``pace``) still declares its length
            headers["Content-Length"] = str(length)
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
            return response.status, dict(response.getheaders()), data
        finally:
            conn.close()

    def get(self, path: str) -> tuple[int, dict, bytes]:
        return self._send("GET", path)

    def post(self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes, str]] | None = None,
             timeout: float = 30, pace: float = 0) -> tuple[int, dict, bytes]:
        """A multipart POST; with ``pace`` > 0 the body leaves in 64 KB pieces ``pace`` seconds apart (a slow
        office connection: the request is still arriving when a test kills the server)."""
        if "csrftoken" not in self.cookies:
            self.get("/tai-khoan/dang-nhap/")
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        boundary = "----piiplan-test-boundary-7c2f"
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content, kind) in (files or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: {kind}\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        kind = f"multipart/form-data; boundary={boundary}"
        if pace > 0:
            def pieces():
                for start in range(0, len(body), 65536):
                    yield body[start:start + 65536]
                    time.sleep(pace)
            return self._send("POST", path, pieces(), kind, timeout, length=len(body))
        return self._send("POST", path, body, kind, timeout)

    def login(self, username: str, password: str) -> "Session":
        status, headers, _ = self.post("/tai-khoan/dang-nhap/", {"username": username, "password": password})
        assert status == 302 and "sessionid" in self.cookies, (status, headers)
        return self
