"""Loads Isso's configuration for the comment server and applies the environment overrides, all in one place.

Isso's own convention picks the file: ``ISSO_SETTINGS``, else ``comments/isso.cfg``.
Everything production changes, and every secret, comes from the environment (see
ENV_OVERRIDES below for where each one goes):

- ``ZOHE_ENV=production`` turns on the production checks and the ``Secure`` flag on the
  admin session cookie;
- ``ISSO_ADMIN_PASSWORD``: required by every server but the live preview
  (``publish.preview_comments``), which falls back to a development password; 12 characters
  or more in production;
- ``ZOHE_SITEURL`` (the site origin allowed to write), ``ZOHE_COMMENTS_URL`` (Isso's public
  URL, used in moderation links), ``ZOHE_COMMENTS_DB`` (read by comments_database, which the
  build shares: relative paths are from the repository, and unset means the ``dbpath`` of
  the file, else ``var/comments.db``);
- ``ISSO_NOTIFY``, ``ISSO_TRUSTED_PROXIES`` (comma separated), ``ISSO_HASH_SALT``;
- ``ISSO_SMTP_HOST``, ``_PORT``, ``_USERNAME``, ``_PASSWORD``, ``_SECURITY``, ``_FROM``, ``_TO``;
- ``ZOHE_MAIL_RETRY_DELAYS`` (seconds, comma separated): replaces the moderation mail's
  retry delays (comments.mail.RETRY_DELAYS, about a day); the tests use a few seconds;
- ``ZOHE_FORM_SECRET``: the key that signs the form's tokens and the proofs of work
  (comments.form_token, comments.proof); 32 characters or more, required in production.
  The preview falls back to a development key; any other server started without it
  draws a random one (its pages' tokens then die with it);
- ``ZOHE_FORM_MIN_SECONDS``: how long a reader has the page before a post is not "too
  fast" (comments.form_token.MIN_SECONDS, a few seconds); the tests set less.
"""

import configparser
import logging
import os
from pathlib import Path
import secrets

from isso import config

import comments_database

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = comments_database.REPO_ROOT
DEFAULT_SETTINGS = PACKAGE_DIR / "isso.cfg"

# Used only by the live preview (publish.preview_comments), so that `invoke serve` works on a
# fresh clone.
DEV_ADMIN_PASSWORD = "dev-only-not-for-production"
# Passwords that must never guard a production admin page.
KNOWN_DEFAULT_PASSWORDS = {"", DEV_ADMIN_PASSWORD, "please_choose_a_strong_password"}
MIN_PRODUCTION_PASSWORD_LENGTH = 12
# Isso's shipped salt is public: commenters' hashes (sent to every reader) could be
# matched against guessed e-mail addresses.
ISSO_DEFAULT_SALT = "Eech7co8Ohloopo9Ol6baimi"
# Isso's shipped dbpath: a file that names no database of its own gets comments_database's.
ISSO_DEFAULT_DBPATH = "/tmp/comments.db"

# (environment variable, section, option); the one list of overrides. ``[general] dbpath``
# is not among them: comments_database.path reads ZOHE_COMMENTS_DB for the server and the
# build alike (see load).
ENV_OVERRIDES = [
    ("ISSO_ADMIN_PASSWORD", "admin", "password"),
    ("ZOHE_SITEURL", "general", "host"),
    ("ZOHE_COMMENTS_URL", "server", "public-endpoint"),
    ("ISSO_NOTIFY", "general", "notify"),
    ("ISSO_TRUSTED_PROXIES", "server", "trusted-proxies"),
    ("ISSO_HASH_SALT", "hash", "salt"),
    ("ISSO_SMTP_HOST", "smtp", "host"),
    ("ISSO_SMTP_PORT", "smtp", "port"),
    ("ISSO_SMTP_USERNAME", "smtp", "username"),
    ("ISSO_SMTP_PASSWORD", "smtp", "password"),
    ("ISSO_SMTP_SECURITY", "smtp", "security"),
    ("ISSO_SMTP_FROM", "smtp", "from"),
    ("ISSO_SMTP_TO", "smtp", "to"),
]


# Options of ours that Isso's loader does not know: it would log "no such option" for
# each at every start, as if the value were ignored.
OWN_OPTIONS = {("guard", "direct-reply-window")}  # comments.guard
OWN_OPTIONS |= {("spam", option) for option in ("enabled", "require-evidence", "max-links", "thread-burst", "thread-burst-window")}  # comments.spam


class OwnOptionsKnown(logging.Filter):
    """Drops Isso's "no such option" warning for OWN_OPTIONS, and only for them."""

    def filter(self, record):
        return not (record.msg == "no such option: [%s] %s" and tuple(record.args) in OWN_OPTIONS)


def read_isso_file(path):
    """Isso's configuration file read by Isso's own loader (its defaults beneath), as is: the server and the build both read it so.

    Only Isso's warning about OWN_OPTIONS is left out: the build fails on any warning.
    """
    own_options = OwnOptionsKnown()
    logging.getLogger("isso").addFilter(own_options)
    try:
        return config.load(config.default_file(), os.fspath(path))
    finally:
        logging.getLogger("isso").removeFilter(own_options)


class ConfigurationError(RuntimeError):
    """The configuration is unsafe or unusable; the server must not start, nor a moderation command run.

    Its message is in French, like every message an operator or a moderator reads.
    """


class MissingDatabase(ConfigurationError):
    """The moderation commands and backups work on the server's database: a missing file means a wrong path, never "no comments yet"."""

    def __init__(self, path):
        super().__init__(
            f"Base de commentaires introuvable\u00a0: {path}. Rien n’a été créé. Indiquez la base du serveur "
            "avec ZOHE_COMMENTS_DB, ou le fichier de configuration qui la nomme avec ISSO_SETTINGS."
        )
        self.path = Path(path)


def production(environ=None):
    """True when running the public server (``ZOHE_ENV=production``)."""
    environ = os.environ if environ is None else environ
    return environ.get("ZOHE_ENV", "").strip().lower() == "production"


def mail_retry_delays(environ=None):
    """The delays of ``ZOHE_MAIL_RETRY_DELAYS`` in seconds, or None when it is unset (comments.mail has the default)."""
    environ = os.environ if environ is None else environ
    value = environ.get("ZOHE_MAIL_RETRY_DELAYS", "").strip()
    if not value:
        return None
    try:
        delays = tuple(float(item) for item in value.split(","))
    except ValueError:
        delays = ()
    if not delays or not all(0 < delay < float("inf") for delay in delays):
        raise ConfigurationError(
            f"ZOHE_MAIL_RETRY_DELAYS doit être une liste de durées en secondes, positives, séparées par des virgules\u00a0: {value!r}."
        )
    return delays


# Used only by the live preview (publish.preview_comments sets it when unset), like DEV_ADMIN_PASSWORD.
DEV_FORM_SECRET = "dev-only-form-secret-not-for-production"
MIN_FORM_SECRET_LENGTH = 32


def form_secret(environ=None):
    """The key of ``ZOHE_FORM_SECRET`` as bytes; see the module's docstring for when it may be missing."""
    environ = os.environ if environ is None else environ
    value = environ.get("ZOHE_FORM_SECRET", "").strip()
    if production(environ) and (len(value) < MIN_FORM_SECRET_LENGTH or value == DEV_FORM_SECRET):
        raise ConfigurationError(
            f"ZOHE_ENV=production demande dans ZOHE_FORM_SECRET une clé secrète d’au moins {MIN_FORM_SECRET_LENGTH}"
            "\u00a0caractères (par exemple\u00a0: python3 -c \"import secrets; print(secrets.token_urlsafe(32))\")."
        )
    if not value:
        value = secrets.token_urlsafe(32)
    return value.encode("utf-8")


def form_min_seconds(environ=None):
    """``ZOHE_FORM_MIN_SECONDS`` as a number of seconds, or None when unset (comments.form_token has the default)."""
    environ = os.environ if environ is None else environ
    value = environ.get("ZOHE_FORM_MIN_SECONDS", "").strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise ConfigurationError(f"ZOHE_FORM_MIN_SECONDS doit être une durée en secondes, positive\u00a0: {value!r}.")
    return seconds


def site_root(environ=None):
    """``ZOHE_SITE_ROOT``: the published site's folder (production: DIR/current), whose list of open discussions the server reads (comments.discussions); None when unset."""
    environ = os.environ if environ is None else environ
    return environ.get("ZOHE_SITE_ROOT", "").strip() or None


def settings_path(environ=None):
    """The configuration file: ``ISSO_SETTINGS`` or the development one."""
    environ = os.environ if environ is None else environ
    return Path(environ.get("ISSO_SETTINGS") or DEFAULT_SETTINGS)


def load(path=None, environ=None, preview=False, create_folder=True):
    """Return Isso's parsed configuration with environment overrides applied and checked.

    ``preview`` (publish.preview_comments only) lets an unset admin password fall back to the
    development one; anywhere else it stays empty, and check_server_password refuses it.
    ``create_folder`` makes the database's folder, so that the server can create the
    database on its first start; the moderation commands leave it False, so that a
    mistyped path creates nothing (see require_database).
    """
    environ = os.environ if environ is None else environ
    chosen = Path(path) if path else settings_path(environ)
    if not chosen.is_file():
        named_by = " (nommé par ISSO_SETTINGS)" if not path and environ.get("ISSO_SETTINGS") else ""
        raise ConfigurationError(f"Fichier de configuration d’Isso introuvable\u00a0: {chosen}{named_by}.")
    path = chosen
    try:
        conf = read_isso_file(path)
    except OSError as e:
        raise ConfigurationError(f"Fichier de configuration d’Isso illisible\u00a0: {path} ({e.strerror}).") from e
    except (configparser.Error, UnicodeDecodeError) as e:
        line = getattr(e, "lineno", None) or next((number for number, _ in getattr(e, "errors", [])), None)
        where = f", ligne {line}" if line else ""
        raise ConfigurationError(f"Fichier de configuration d’Isso mal formé\u00a0: {path}{where}.") from e

    for variable, section, option in ENV_OVERRIDES:
        value = environ.get(variable)
        if value:
            if option == "trusted-proxies":
                value = "\n".join(item.strip() for item in value.split(",") if item.strip())
            conf.set(section, option, value)

    if production(environ):
        password = conf.get("admin", "password")
        if password in KNOWN_DEFAULT_PASSWORDS or len(password) < MIN_PRODUCTION_PASSWORD_LENGTH:
            raise ConfigurationError(
                "ZOHE_ENV=production demande dans ISSO_ADMIN_PASSWORD un vrai mot de passe "
                f"d’au moins {MIN_PRODUCTION_PASSWORD_LENGTH}\u00a0caractères."
            )
        # Without it the links mailed to moderators and commenters name the host a request
        # claimed (Isso's own fallback): a forged Host would mail valid keys to another site.
        if not public_origin(conf):
            raise ConfigurationError(
                "ZOHE_ENV=production demande dans ZOHE_COMMENTS_URL l’adresse publique du serveur de commentaires "
                "(par exemple https://zohe.fr/isso) : les liens envoyés par courriel en sont faits."
            )
        if conf.get("hash", "salt") == ISSO_DEFAULT_SALT:
            logging.getLogger("isso").warning("ISSO_HASH_SALT is not set: commenters' hashes use Isso's public salt")
    elif preview and not conf.get("admin", "password"):
        conf.set("admin", "password", DEV_ADMIN_PASSWORD)

    # Isso opens ``dbpath`` relative to the working directory; ours is relative to the repository.
    named = conf.get("general", "dbpath")
    dbpath = comments_database.path(environ, configured=None if named == ISSO_DEFAULT_DBPATH else named)
    if create_folder:
        dbpath.parent.mkdir(parents=True, exist_ok=True)
    conf.set("general", "dbpath", str(dbpath))
    return conf


def require_database(path):
    """Return ``path`` if the database file exists, else raise MissingDatabase.

    SQLite creates any file it is asked to open: a moderation command or a backup given
    a mistyped path would otherwise work on a new, empty database and report nothing to
    moderate. Only the server creates the database, on its first start.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingDatabase(path)
    return path


def check_server_password(conf):
    """Refuse to serve an admin page guarded by no password or by one committed to this repository.

    Whatever ``ZOHE_ENV`` says: a server started without it must not fall back to the
    development password. Only the live preview (publish.preview_comments) may use that one.
    """
    if conf.getboolean("admin", "enabled") and conf.get("admin", "password") in KNOWN_DEFAULT_PASSWORDS:
        raise ConfigurationError(
            "Le serveur de commentaires demande ISSO_ADMIN_PASSWORD (vide ou mot de passe de développement "
            "connu refusé\u202f; seul l’aperçu, python -m publish.preview_comments, "
            "en a un par défaut)."
        )


def dbpath(conf):
    """The database file of a loaded configuration."""
    return Path(conf.get("general", "dbpath"))


def site_origins(conf):
    """The site origins (``[general] host``) as normalised ``scheme://host[:port]``."""
    return [origin for origin in (normalise_origin(h) for h in conf.getiter("general", "host")) if origin]


def public_origin(conf):
    """Isso's own public origin if ``[server] public-endpoint`` is set, else None."""
    endpoint = conf.get("server", "public-endpoint")
    return normalise_origin(endpoint) if endpoint else None


def trusted_proxies(conf):
    return list(conf.getiter("server", "trusted-proxies"))


def normalise_origin(url):
    """``https://Example.org:443/path`` -> ``https://example.org``; None if not an http(s) URL."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")
