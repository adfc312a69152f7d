"""A push whose build passes its time limit, or whose tree holds a symbolic link, publishes nothing and says why in French."""

import fcntl
import os

from deploy import lock as publishing_lock, releases, settings

# Python-Markdown reads a line of n "[" in about 3e-7 n² s here (8,000: 19 s): 14,000 take
# about a minute, far past the limit, which leaves the build a few seconds to start reading.
BRACKETS = 14_000
LIMIT_SECONDS = 8


def chronicle(text):
    return (
        "Title: Des crochets\nDate: 2024-05-01 10:00\nAuthor: Zôhé\nCategory: Les Chroniques de Zôhé\n"
        f"Summary: Une chronique de test.\nSlug: crochets\n\n{text}\n"
    )


def set_limit(site, seconds):
    """Set the build's time limit in the site's deploy.env; None takes the line out (the default)."""
    env_file = site.webroot / settings.ENV_FILE
    lines = [line for line in env_file.read_text(encoding="utf-8").splitlines()
             if not line.startswith(f"{settings.TIME_LIMIT}=")]
    if seconds is not None:
        lines.append(f"{settings.TIME_LIMIT}={seconds}")
    env_file.write_text("\n".join(lines) + "\n", encoding="utf-8")


def lock_is_free(site):
    with open(site.webroot / publishing_lock.LOCK, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(lock, fcntl.LOCK_UN)
        return True


def test_a_build_past_its_time_limit_is_stopped_naming_the_file_and_frees_the_lock(make_site):
    site = make_site()
    assert site.push().returncode == 0
    live = site.current()
    home = (site.webroot / "current" / "index.html").read_text(encoding="utf-8")
    set_limit(site, LIMIT_SECONDS)

    slow = site.commit(site.work, "A chronicle Markdown takes minutes to read", {
        "content/chroniques/crochets.md": chronicle("[" * BRACKETS),
    })
    result = site.push()
    assert result.returncode == 0, result.stdout
    assert site.main_tip() == slow
    assert (
        f"remote: Zôhé\u00a0: la construction de {slow[:12]} a été arrêtée au bout de 8 s "
        f"(limite {settings.TIME_LIMIT} dans deploy.env), pendant la lecture de content/chroniques/crochets.md, "
        "que Markdown met trop de temps à lire\u202f; le site en ligne n’a pas changé."
    ) in result.stdout
    assert "Traceback" not in result.stdout
    assert site.current() == live
    assert (site.webroot / "current" / "index.html").read_text(encoding="utf-8") == home
    # Nothing half-built is left beside the releases.
    assert sorted(p.name for p in (site.webroot / releases.RELEASES).iterdir()) == [live.name]

    assert lock_is_free(site)
    # The author's fix is published. The limit is back to its default here: on a busy
    # machine an ordinary push may take a few seconds more than the one set above.
    set_limit(site, None)
    fixed = site.commit(site.work, "The chronicle, written", {
        "content/chroniques/crochets.md": chronicle("Des crochets, enfin écrits."),
    })
    result = site.push()
    assert result.returncode == 0, result.stdout
    assert site.current().commit == fixed, result.stdout
    assert (site.webroot / "current" / "chroniques" / "crochets" / "index.html").is_file()


def push_refusing_a_link(site, tip, refusal):
    """Push ``tip``: the hook takes it as the main branch's tip, says ``refusal`` alone about symbolic
    links, with no traceback, and the live site stays as it was. The push's output."""
    live = site.current()
    result = site.push()
    assert result.returncode == 0, result.stdout
    assert site.main_tip() == tip
    lines = [line.rstrip() for line in result.stdout.splitlines() if "lien symbolique" in line]
    assert lines == [refusal], result.stdout
    assert "Traceback" not in result.stdout
    assert site.current() == live
    return result.stdout


def test_a_symbolic_link_out_of_the_repository_is_named_in_one_french_line(make_site):
    site = make_site()
    assert site.push().returncode == 0
    live = site.current()
    os.symlink("/etc/passwd", site.work / "content" / "chroniques" / "passwd.md")
    os.symlink("../../README.md", site.work / "content" / "pages" / "lisez-moi.md")
    linked = site.commit(site.work, "Two symbolic links")
    output = push_refusing_a_link(
        site, linked,
        "remote: Zôhé\u00a0: content/chroniques/passwd.md\u00a0: lien symbolique vers un fichier hors du dépôt "
        "(/etc/passwd), refusé\u202f; mettez à sa place le fichier lui-même. Le site en ligne n’a pas changé.",
    )
    assert "root:" not in output

    # The link that stays inside the repository is the build's to refuse, in one line too.
    os.unlink(site.work / "content" / "chroniques" / "passwd.md")
    inside = site.commit(site.work, "One symbolic link left")
    push_refusing_a_link(
        site, inside,
        "remote: content/pages/lisez-moi.md\u00a0: lien symbolique refusé (la construction n’en suit aucun)"
        "\u202f; mettez à sa place le fichier lui-même",
    )
    assert site.current() == live


def test_a_time_limit_that_is_not_a_number_of_seconds_is_named_before_anything_is_built(make_site):
    site = make_site()
    set_limit(site, "dix minutes")
    result = site.push()
    assert result.returncode == 0, result.stdout
    assert (
        f"remote: Zôhé\u00a0: {site.webroot / settings.ENV_FILE}\u00a0: {settings.TIME_LIMIT} doit être "
        "un nombre de secondes positif, pas «\u00a0dix minutes\u00a0»."
    ) in result.stdout
    assert "construction de la version" not in result.stdout
    assert site.current() is None
