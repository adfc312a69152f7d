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


def test_the_page_links_the_commenters_own_data_page_and_says_how_long_its_link_lasts(prod_site):
    import commenter_data

    html = (prod_site / PAGE).read_text(encoding="utf-8")
    link = BeautifulSoup(html, "html.parser").find("main").find("a", string="Vos commentaires")
    assert link is not None and link["href"].endswith("/isso" + commenter_data.PATH), link
    text = privacy_text(prod_site)
    assert f"un lien valable {commenter_data.LIFETIME_WORDS}, qui ne sert qu’une fois" in text
    assert "sous la mention « Réponse supprimée »" in text
