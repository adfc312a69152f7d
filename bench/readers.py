"""Honest readers who comment from Chromium, with JavaScript on and off, in the same run as the robots of bench.bots: each one's comment must reach the moderators.

A reader opens the chronicle, reads for ``read_seconds``, types their comment key by key,
then sends it; with scripts on, the discussion script posts it and proof.js has solved
its proof of work meanwhile. Chromium connects from 127.0.0.1, nginx's own address and a
trusted proxy of the comment server: each reader's context sends an X-Forwarded-For of
its own (127.200.0.N), which stands for the address a reader's provider gives them, so
that the limits per address count each reader apart, as they would.
"""

import time
from dataclasses import dataclass

import comment_form

TEXTS = (
    "Merci pour cette chronique\u00a0: elle dit bien ce que nous vivons dans notre atelier depuis deux ans.",
    "Je ne suis pas tout à fait d’accord sur la question du prix, mais l’idée de promesse me parle beaucoup.",
    "Belle lecture. Pour qui veut creuser, la page https://fr.wikipedia.org/wiki/Coopérative résume bien "
    "l’histoire des coopératives.",
    "Nous avons essayé la même démarche avec nos clients, et la confiance est venue avec le temps.",
)
# What readers wrote before the run (bench.spam_defences.first_day), approved by the moderators:
# other words than TEXTS, so that the learned score has not seen the readers' own.
EARLIER = (
    "Très juste. Dans notre coopérative, c’est la relation avec les clients qui a tout changé, pas les outils.",
    "Je découvre vos chroniques avec plaisir ; celle-ci m’a donné envie d’en parler à mes associés.",
    "Un point de désaccord : le prix n’est pas qu’une question de confiance, c’est aussi une question de temps.",
    "Merci. J’ai retrouvé dans ce texte nos débuts d’artisans, quand chaque commande comptait.",
    "La partie sur l’engagement m’a fait réfléchir. Comment faites-vous quand un client ne tient pas parole ?",
    "Belle chronique, et une question : publierez-vous la suite sur les métiers de la réparation ?",
)
# Debian's Chromium, never a downloaded browser; the flags keep it off the (closed) network.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NAMES = ("Camille Martin", "Louis Bernard", "Inès Moreau", "Hugo Lefèvre")


@dataclass
class Reader:
    scripts: bool
    email: str
    sent: bool = False


def comment(browser, base, uri, number, scripts, read_seconds, timeout_ms=20_000):
    """One reader's comment on ``uri``; returns the Reader (``sent`` once the chronicle shows it arrived)."""
    reader = Reader(scripts, f"lectrice.{number}.{'js' if scripts else 'sansjs'}@example.org")
    context = browser.new_context(locale="fr-FR", java_script_enabled=scripts,
                                  extra_http_headers={"X-Forwarded-For": f"127.200.0.{number + 1}"})
    context.set_default_timeout(timeout_ms)
    try:
        page = context.new_page()
        page.goto(base + uri)
        opened = time.monotonic()
        form = page.locator("#" + comment_form.FORM_ID)
        form.get_by_label("Votre réponse").click()
        form.get_by_label("Votre réponse").press_sequentially(TEXTS[number % len(TEXTS)], delay=5)
        form.get_by_label("Nom").press_sequentially(NAMES[number % len(NAMES)], delay=5)
        form.get_by_label("E-mail").press_sequentially(reader.email, delay=5)
        if scripts:
            page.wait_for_function(f"() => document.querySelector('input[name=\"{comment_form.PROOF}\"]').value !== ''")
        time.sleep(max(0.0, read_seconds - (time.monotonic() - opened)))
        form.get_by_role("button", name=comment_form.SUBMIT).click()
        if scripts:
            page.locator("#" + comment_form.PENDING).wait_for(state="visible")
        else:
            page.wait_for_url("**#" + comment_form.PENDING)
        reader.sent = True
    finally:
        context.close()
    return reader


def readers(browser, base, threads, per_mode, read_seconds):
    """``per_mode`` readers with scripts and as many without, one after the other, on the given chronicles."""
    done = []
    for number in range(2 * per_mode):
        scripts = number % 2 == 0
        done.append(comment(browser, base, threads[number % len(threads)], number, scripts, read_seconds))
    return done
