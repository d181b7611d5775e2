"""``make audit`` measures what readers get: pages gzip-compressed as GitHub Pages sends them,
and a plain Material page as the floor (tools/audit/audit.py; Lighthouse itself is not run)."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

from load_module import load_module

ROOT = Path(__file__).resolve().parent.parent
AUDIT = load_module(ROOT / "tools" / "audit" / "audit.py", "audit_script")


def _get(url: str, accept_gzip: bool) -> tuple[dict[str, str], bytes]:
    headers = {"Accept-Encoding": "gzip, deflate, br"} if accept_gzip else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as response:
        return dict(response.headers), response.read()


def test_the_audit_server_compresses_text_as_github_pages_does(tmp_path: Path) -> None:
    page = ("<!doctype html><title>t</title>" + "<p>text</p>" * 500).encode()
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(page)
    (tmp_path / "s.js").write_text("let x = 1;\n" * 200)
    (tmp_path / "i.png").write_bytes(b"\x89PNG" + bytes(2000))
    server, url = AUDIT.serve(tmp_path)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        headers, body = _get(url + "a/", accept_gzip=True)
        assert headers["Content-Encoding"] == "gzip"
        assert int(headers["Content-Length"]) == len(body) < len(page) / 10
        assert gzip.decompress(body) == page
        headers, body = _get(url + "s.js", accept_gzip=True)
        assert headers["Content-Encoding"] == "gzip" and b"let x" in gzip.decompress(body)
        headers, body = _get(url + "a/", accept_gzip=False)
        assert "Content-Encoding" not in headers and body == page
        headers, body = _get(url + "i.png", accept_gzip=True)
        assert "Content-Encoding" not in headers and len(body) == 2004  # images as they are
    finally:
        server.shutdown()
        server.server_close()


def test_the_floor_is_one_long_page_of_plain_material_text(tmp_path: Path) -> None:
    config = AUDIT.floor_project(tmp_path / "floor")
    env = {**os.environ, "SITE_URL": "http://127.0.0.1:1/", "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-f", str(config)]
    subprocess.run([*command, "-d", str(tmp_path / "site")], env=env, check=True)
    html = (tmp_path / "site" / "index.html").read_text("utf-8")
    assert "navigation.instant" in html and "assets/javascripts/bundle." in html
    assert html.count("<p>") >= 30 and "<h2" in html
    assert "mathjax" not in html.lower() and "arithmatex" not in html
    assert "fonts.googleapis.com" not in html, "system fonts, as on the site"
