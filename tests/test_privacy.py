"""The privacy page tells readers what the comment server really does with their data."""

import configparser

from bs4 import BeautifulSoup

from support import ROOT

ISSO_CFG = ROOT / "comments" / "isso.cfg"
PAGE = "politique-de-confidentialite/index.html"


def privacy_text(site):
    html = (site / PAGE).read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").find("main").get_text(" ")
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def isso_config():
    conf = configparser.ConfigParser(interpolation=None)
    conf.read(ISSO_CFG, encoding="utf-8")
    return conf


def test_the_page_promises_reply_notifications_only_if_isso_sends_them(prod_site):
    text = privacy_text(prod_site)
    promised = "prévenu·e des réponses" in text or "vous les signaler par courriel" in text
    assert promised == isso_config().getboolean("general", "reply-notifications"), text


def test_the_page_gives_the_durations_isso_is_configured_with(prod_site):
    text, conf = privacy_text(prod_site), isso_config()
    # max-age: how long the edit cookie lets a commenter change a comment.
    assert conf["general"]["max-age"] == "15m" and "pendant 15 minutes" in text
    # Pending comments wait for a moderator (no purge in practice): the page must not promise one.
    days = int(conf["moderation"]["purge-after"].removesuffix("d"))
    assert days >= 365 * 10 and "jusqu’à la décision d’un·e modérateur·rice" in text
    assert "supprimé automatiquement" not in text
    assert not conf.getboolean("general", "gravatar") and "gravatar" not in text.lower()


def test_the_page_gives_the_spam_defences_durations(prod_site):
    from comments.spam import schema

    text, conf = privacy_text(prod_site), isso_config()
    # The learned score forgets a word no decision met for two years (comments.spam.retention).
    assert schema.PRUNE_AFTER == 2 * 365 * 86400 and "depuis deux ans est oublié" in text
    # The limits on posting keep an address for their window, pruned daily.
    assert conf["guard"]["direct-reply-window"] == "1h" and "une heure pour un nouveau commentaire" in text
    assert "Il ne garde ni le texte" in text and "jamais le texte" in text


DEPLOY = ROOT / "deploy"


def directive(path, name):
    """The value of the first `name value` (logrotate) or `Name=value` (systemd) line of a shipped file."""
    for line in path.read_text(encoding="utf-8").splitlines():
        words = line.strip().replace("=", " ", 1).split()
        if words and words[0] == name:
            return words[1]
    raise AssertionError(f"{name} not in {path}")


def test_the_page_gives_the_durations_of_mail_backups_and_logins(prod_site):
    from comments import backup, mail, throttle

    text = privacy_text(prod_site)
    # The moderation mail's outbox (comments.retention drops a row past it).
    assert mail.OUTBOX_KEPT == 2 * 86400 and "au plus tard au bout de deux jours" in text
    assert "Avis de modération en attente d’envoi jusqu’à son envoi, deux jours au plus" in text
    # Snapshots: past KEPT_DAYS they go (comments.backup.rotate), one a day by the timer.
    assert backup.KEPT_DAYS == 14 and "chaque sauvegarde est effacée au bout de 14 jours" in text
    assert "Sauvegardes de la base des commentaires 14 jours" in text
    # Releases keep the comments published at their date (deploy.releases.prune, at each publication and refresh).
    from deploy import releases

    assert releases.KEPT_DAYS == 14
    assert "Anciennes versions du site, gardées pour revenir en arrière (avec les commentaires publiés à leur date) 14 jours" in text
    assert "et ces copies au plus tard 14 jours après" in text
    assert f"--keep {backup.KEEP}" in (DEPLOY / "systemd" / "zohe-comments-backup.service").read_text(encoding="utf-8")
    assert directive(DEPLOY / "systemd" / "zohe-comments-backup.timer", "OnCalendar") == "*-*-*"
    # Failed admin logins: their window, then the daily task.
    assert throttle.WINDOW == 15 * 60
    assert "tentative de connexion à l’administration du site 15 minutes, effacée au plus tard le lendemain" in text


def test_the_page_gives_the_logs_duration_the_shipped_settings_enforce(prod_site):
    text = privacy_text(prod_site)
    days = int(directive(DEPLOY / "logrotate" / "zohe", "maxage"))
    # Today's file and `rotate` older ones, one a day: no more days than maxage.
    assert int(directive(DEPLOY / "logrotate" / "zohe", "rotate")) + 1 == days
    # The journal: a file a day, deleted whole once its last entry is past MaxRetentionSec.
    journald = DEPLOY / "systemd" / "journald-zohe.conf"
    assert directive(journald, "MaxFileSec") == "1day"
    assert directive(journald, "MaxRetentionSec") == f"{days - 1}day"
    assert f"effacés automatiquement au bout de {days} jours" in text and f"Journaux du serveur {days} jours" in text
    # nginx writes every server's logs where the logrotate file looks.
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert nginx.count("server {") == nginx.count("access_log /var/log/zohe/nginx-access.log;") \
        == nginx.count("error_log /var/log/zohe/nginx-error.log;")


def test_the_shipped_logrotate_file_deletes_logs_older_than_the_promise(tmp_path):
    """Debian's logrotate runs the shipped file over a folder of logs: a file older than maxage goes."""
    import grp
    import os
    import pwd
    import subprocess
    import time

    days = int(directive(DEPLOY / "logrotate" / "zohe", "maxage"))
    logs = tmp_path / "logs"
    logs.mkdir()
    owner = f"{pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name}"
    conf = tmp_path / "zohe"
    conf.write_text(
        (DEPLOY / "logrotate" / "zohe").read_text(encoding="utf-8")
        .replace("/var/log/zohe/", f"{logs}/").replace("www-data adm", owner)
        .replace("/run/nginx.pid", str(tmp_path / "nginx.pid")),
        encoding="utf-8",
    )
    conf.chmod(0o644)
    (logs / "nginx-access.log").write_text("203.0.113.5 - - today\n", encoding="utf-8")
    old, recent = logs / "nginx-access.log.3.gz", logs / "nginx-access.log.2.gz"
    for path, age in ((old, days + 1), (recent, days - 1)):
        path.write_bytes(b"")
        stamp = time.time() - age * 86400
        os.utime(path, (stamp, stamp))
    run = subprocess.run(["/usr/sbin/logrotate", "--force", "--state", str(tmp_path / "state"), str(conf)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    names = sorted(path.name for path in logs.iterdir())
    # Rotated once more: the recent one moved on (.3.gz), the one past the promise is gone.
    assert names == ["nginx-access.log", "nginx-access.log.1", "nginx-access.log.3.gz"], names
    assert (logs / "nginx-access.log.3.gz").stat().st_mtime > time.time() - days * 86400


def test_the_page_links_the_commenters_own_data_page_and_says_how_long_its_link_lasts(prod_site):
    import commenter_data

    html = (prod_site / PAGE).read_text(encoding="utf-8")
    link = BeautifulSoup(html, "html.parser").find("main").find("a", string="Vos commentaires")
    assert link is not None and link["href"].endswith("/isso" + commenter_data.PATH), link
    text = privacy_text(prod_site)
    assert f"un lien valable {commenter_data.LIFETIME_WORDS}, qui ne sert qu’une fois" in text
    assert "sous la mention « Réponse supprimée »" in text
