"""The development configuration, the environment overrides, the production refusal to start with a weak password, and the units' file mode."""

import configparser
import subprocess
import sys

import pytest

from comments import settings
from isso_support import Server, free_port, write_config
from publish import preview_comments
from support import ROOT

pytestmark = pytest.mark.timeout(60)


def test_development_configuration():
    conf = settings.load(settings.DEFAULT_SETTINGS, environ={}, preview=True)
    assert conf.get("general", "dbpath") == str(settings.REPO_ROOT / "var" / "comments.db")
    assert list(conf.getiter("general", "host")) == ["http://127.0.0.1:8000"]
    assert conf.getboolean("moderation", "enabled")
    assert conf.getboolean("admin", "enabled")
    assert conf.get("admin", "password") == settings.DEV_ADMIN_PASSWORD
    assert conf.getlist("general", "notify") == ["stdout"]
    assert not conf.getboolean("general", "gravatar")
    guard = conf.section("guard")
    assert guard.getboolean("enabled") and guard.getboolean("require-author") and guard.getboolean("require-email")
    assert guard.getint("ratelimit") == 2 and guard.getint("direct-reply") == 3
    # Isso deletes comments pending longer than this: never, in practice, whoever moderates late.
    assert conf.getint("moderation", "purge-after") >= 10 * 365 * 86400
    # No secret is committed.
    text = settings.DEFAULT_SETTINGS.read_text()
    assert "\npassword =\n" in text and "\npassword = \n" not in text


def test_environment_overrides_in_one_place(tmp_path):
    conf = settings.load(settings.DEFAULT_SETTINGS, environ={
        "ISSO_ADMIN_PASSWORD": "un mot de passe solide",
        "ZOHE_SITEURL": "https://zohe.example",
        "ZOHE_COMMENTS_URL": "https://zohe.example/isso",
        "ZOHE_COMMENTS_DB": str(tmp_path / "prod.db"),
        "ISSO_NOTIFY": "smtp",
        "ISSO_TRUSTED_PROXIES": "127.0.0.1, ::1",
        "ISSO_SMTP_HOST": "smtp.example", "ISSO_SMTP_PORT": "465", "ISSO_SMTP_SECURITY": "ssl",
        "ISSO_SMTP_USERNAME": "zohe", "ISSO_SMTP_PASSWORD": "secret", "ISSO_SMTP_TO": "moderation@zohe.example",
    })
    assert conf.get("admin", "password") == "un mot de passe solide"
    assert settings.site_origins(conf) == ["https://zohe.example"]
    assert settings.public_origin(conf) == "https://zohe.example"
    assert conf.get("general", "dbpath") == str(tmp_path / "prod.db")
    assert conf.getlist("general", "notify") == ["smtp"]
    assert settings.trusted_proxies(conf) == ["127.0.0.1", "::1"]
    assert (conf.get("smtp", "host"), conf.getint("smtp", "port"), conf.get("smtp", "security")) == ("smtp.example", 465, "ssl")
    assert (conf.get("smtp", "username"), conf.get("smtp", "password")) == ("zohe", "secret")


def test_only_the_server_makes_the_database_folder(tmp_path):
    """The moderation commands load without making it, so that a mistyped path creates nothing."""
    database = tmp_path / "nouveau" / "comments.db"
    environ = {"ZOHE_COMMENTS_DB": str(database)}
    settings.load(settings.DEFAULT_SETTINGS, environ=environ, create_folder=False)
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(settings.MissingDatabase, match="ZOHE_COMMENTS_DB"):
        settings.require_database(database)
    settings.load(settings.DEFAULT_SETTINGS, environ=environ)
    assert database.parent.is_dir()


def test_the_server_still_creates_its_database_on_first_start(tmp_path):
    database = tmp_path / "etat" / "comments.db"
    server = Server(tmp_path / "server", workers=1, env={"ZOHE_COMMENTS_DB": str(database)}).start()
    try:
        assert server.client().get("/config").status == 200
    finally:
        server.stop()
    assert database.is_file()


def test_a_settings_file_that_cannot_be_used_is_named(tmp_path):
    mistyped = tmp_path / "isso.cgf"
    with pytest.raises(settings.ConfigurationError) as refused:
        settings.load(environ={"ISSO_SETTINGS": str(mistyped)})
    assert str(refused.value) == f"Fichier de configuration d’Isso introuvable\u00a0: {mistyped} (nommé par ISSO_SETTINGS)."

    garbled = tmp_path / "isso.cfg"
    garbled.write_text("[general]\ndbpath = var/comments.db\n[general]\nname = zohe\n", encoding="utf-8")  # pasted twice
    with pytest.raises(settings.ConfigurationError) as refused:
        settings.load(garbled, environ={})
    assert str(refused.value) == f"Fichier de configuration d’Isso mal formé\u00a0: {garbled}, ligne 3."


@pytest.mark.parametrize("password", [None, "", settings.DEV_ADMIN_PASSWORD, "please_choose_a_strong_password", "court"])
def test_production_refuses_weak_admin_password(password):
    environ = {"ZOHE_ENV": "production"}
    if password is not None:
        environ["ISSO_ADMIN_PASSWORD"] = password
    with pytest.raises(settings.ConfigurationError, match="ISSO_ADMIN_PASSWORD"):
        settings.load(settings.DEFAULT_SETTINGS, environ=environ)


def test_production_accepts_a_real_password():
    conf = settings.load(settings.DEFAULT_SETTINGS, environ={"ZOHE_ENV": "production", "ZOHE_COMMENTS_URL": "https://zohe.fr/isso",
                                                             "ISSO_ADMIN_PASSWORD": "correct horse battery"})
    assert conf.get("admin", "password") == "correct horse battery"


@pytest.mark.parametrize("endpoint", [None, "", "zohe.fr/isso", "javascript:alert(1)"])
def test_production_refuses_to_mail_links_to_whatever_host_a_request_names(endpoint):
    """Without a public address, Isso makes the mailed links from the request's Host header, which anyone sets."""
    environ = {"ZOHE_ENV": "production", "ISSO_ADMIN_PASSWORD": "correct horse battery"}
    if endpoint is not None:
        environ["ZOHE_COMMENTS_URL"] = endpoint
    with pytest.raises(settings.ConfigurationError) as refused:
        settings.load(settings.DEFAULT_SETTINGS, environ=environ)
    assert "ZOHE_COMMENTS_URL" in str(refused.value)


def test_only_the_preview_falls_back_to_the_development_password():
    assert settings.load(settings.DEFAULT_SETTINGS, environ={}).get("admin", "password") == ""
    assert settings.load(settings.DEFAULT_SETTINGS, environ={}, preview=True).get("admin", "password") == \
        settings.DEV_ADMIN_PASSWORD


@pytest.mark.parametrize("password", [None, "", settings.DEV_ADMIN_PASSWORD])
def test_gunicorn_does_not_start_without_a_real_password_even_outside_production(tmp_path, password):
    """A server whose ZOHE_ENV was forgotten must not open its admin page with the committed password."""
    config = write_config(tmp_path, free_port())
    env = {"PATH": "/usr/bin:/bin", "ISSO_SETTINGS": str(config)}
    if password is not None:
        env["ISSO_ADMIN_PASSWORD"] = password
    _refused_by_gunicorn(env, tmp_path)


def _refused_by_gunicorn(env, tmp_path):
    """gunicorn with our application exits naming the password, before any database exists."""
    r = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--preload", "-w", "1", "-b", f"127.0.0.1:{free_port()}", "comments.wsgi:application"],
        cwd=settings.REPO_ROOT, env=env, capture_output=True, text=True, timeout=30,
    )
    assert r.returncode != 0
    assert "ISSO_ADMIN_PASSWORD" in r.stderr
    assert not (tmp_path / "comments.db").exists()


def test_gunicorn_does_not_start_in_production_without_password(tmp_path):
    config = write_config(tmp_path, free_port())
    env = {"PATH": "/usr/bin:/bin", "ISSO_SETTINGS": str(config), "ZOHE_ENV": "production"}
    _refused_by_gunicorn(env, tmp_path)


def test_gunicorn_does_not_start_in_production_without_a_form_secret(tmp_path):
    """The form's tokens and proofs of work (comments.form_token, comments.proof) need a real key in production."""
    config = write_config(tmp_path, free_port())
    env = {"PATH": "/usr/bin:/bin", "ISSO_SETTINGS": str(config), "ZOHE_ENV": "production",
           "ISSO_ADMIN_PASSWORD": "a-long-enough-admin-password", "ZOHE_FORM_SECRET": "court"}
    r = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--preload", "-w", "1", "-b", f"127.0.0.1:{free_port()}", "comments.wsgi:application"],
        cwd=settings.REPO_ROOT, env=env, capture_output=True, text=True, timeout=30,
    )
    assert r.returncode != 0
    assert "ZOHE_FORM_SECRET" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "comments.db").exists()


def test_dev_server_starts_for_the_preview(tmp_path):
    port = free_port()
    config = write_config(tmp_path, port)
    process = preview_comments.start(port, env={"PATH": "/usr/bin:/bin", "ISSO_SETTINGS": str(config)})
    try:
        import json
        import urllib.request

        with urllib.request.urlopen(f"http://127.0.0.1:{port}/config", timeout=5) as r:
            assert json.load(r)["config"]["require-email"] is True
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/js/embed.min.js", timeout=5) as r:
            assert r.status == 200 and len(r.read()) > 10_000
    finally:
        process.terminate()
        process.wait(10)


def test_dev_server_accepts_writes_from_the_preview_origin_it_is_given(tmp_path):
    """`invoke serve --port` moves the preview: the comment server must accept its pages' posts."""
    import json
    import urllib.error
    import urllib.request

    port = free_port()
    config = write_config(tmp_path, port)
    site = f"http://127.0.0.1:{free_port()}"
    process = preview_comments.start(port, env={"PATH": "/usr/bin:/bin", "ISSO_SETTINGS": str(config)}, site=site)

    def post(origin):
        body = {"text": "Depuis l’aperçu.", "author": "Camille", "email": "camille@exemple.fr", "title": "Aperçu"}
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/new?uri=/chroniques/apercu/", data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", "Origin": origin},
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                return answer.status, answer.headers.get("Access-Control-Allow-Origin")
        except urllib.error.HTTPError as error:
            return error.code, None

    try:
        assert post(site) == (202, site)
        assert post("http://127.0.0.1:8000")[0] == 403
    finally:
        process.terminate()
        process.wait(10)


@pytest.mark.parametrize("unit", ["zohe-comments.service", "zohe-comments-backup.service"])
def test_the_units_that_write_the_database_leave_it_to_their_user_alone(unit):
    """The database and its snapshots hold e-mail addresses and the key that signs moderation links."""
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(ROOT / "deploy" / "systemd" / unit, encoding="utf-8")
    assert parser["Service"]["User"] == "zohe"
    assert parser["Service"]["UMask"] == "0077"
