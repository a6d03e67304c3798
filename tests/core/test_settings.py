"""Production settings fail closed (issue 19): embedded servers only when asked, SECRET_KEY required
outside DEBUG, HTTPS settings and the content security policy on, `check --deploy` clean."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DEBUG": "0", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "ky.example.dk,testserver",
}


def run(env_changes: dict, *args, drop=("KY_EMBEDDED", "KY_HTTPS", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")):
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_changes)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


def test_check_deploy_is_clean_with_production_settings():
    r = run(PRODUCTION, "check", "--deploy", "--fail-level", "WARNING")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no issues" in r.stdout


def test_production_responses_carry_https_and_csp_headers():
    code = (
        "import json; from django.test import Client; c = Client(); "
        "plain = c.get('/accounts/login/'); tls = c.get('/accounts/login/', secure=True); "
        "print(json.dumps({'plain': plain.status_code, 'location': plain.headers.get('Location'), "
        "'tls': tls.status_code, 'hsts': tls.headers.get('Strict-Transport-Security'), "
        "'csp': tls.headers.get('Content-Security-Policy'), "
        "'cookie_secure': bool(tls.cookies['csrftoken']['secure'])}))"
    )
    r = run(PRODUCTION, "shell", "-c", code)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert out["plain"] == 301 and out["location"].startswith("https://")
    assert out["tls"] == 200 and "max-age=31536000" in out["hsts"] and "includeSubDomains" in out["hsts"]
    assert "default-src 'self'" in out["csp"] and "object-src 'none'" in out["csp"]
    assert out["cookie_secure"] is True


def test_missing_database_url_is_an_error_not_an_embedded_server(tmp_path):
    r = run({**PRODUCTION, "DATABASE_URL": "", "KY_DATA_DIR": str(tmp_path)}, "check")
    assert r.returncode != 0
    assert "DATABASE_URL" in r.stderr and "KY_EMBEDDED=1" in r.stderr
    assert not (tmp_path / "pg").exists()  # nothing was started


def test_secret_key_is_required_outside_debug():
    r = run({"DEBUG": "0", "ALLOWED_HOSTS": "ky.example.dk"}, "check")
    assert r.returncode != 0 and "SECRET_KEY is required" in r.stderr
    assert run({"DEBUG": "1"}, "check").returncode == 0  # development keeps its key


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client):
    r = client.get("/accounts/login/")
    assert r.status_code == 200
    csp = r.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    docs = client.get("/api/docs/")
    assert "https://cdn.jsdelivr.net" in docs.headers["Content-Security-Policy"]
