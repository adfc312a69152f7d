"""The spam policy on evidence dicts and comments, the block list's entries and the learned score, on a real SQLite database with the server's schema."""

import sqlite3

import pytest

from comments import store
from comments.spam import bayes, blocklist, policy, tokens, triage

HONEST = {"text": "Merci pour cette chronique, elle m’a fait réfléchir.", "author": "Camille", "email": "camille@example.org"}
FORM = {"honeypot": "empty", "token": "ok", "proof": "missing"}
SCRIPT = {"honeypot": "absent", "token": "missing", "proof": "ok"}


@pytest.mark.parametrize("evidence, held, reason", [
    (FORM, False, None),
    (SCRIPT, False, None),
    ({**FORM, "token": "ok", "proof": "ok"}, False, None),
    ({**FORM, "honeypot": "filled"}, True, "honeypot"),
    ({**FORM, "token": "replayed"}, True, "token-replayed"),
    ({**FORM, "token": "fast"}, True, "token-fast"),
    ({**FORM, "token": "invalid"}, True, "token-invalid"),
    ({**SCRIPT, "proof": "invalid"}, True, "proof-invalid"),
    ({**SCRIPT, "proof": "replayed"}, True, "proof-replayed"),
    ({**SCRIPT, "token": "old"}, False, "token-old"),  # half a hold: a reader who left the page open
    ({**FORM, "token": "old"}, True, "token-old"),  # and no proof either
    ({"honeypot": "absent", "token": "missing", "proof": "missing"}, True, "no-evidence"),  # the JSON API, no proof
    (None, True, "no-evidence"),  # no evidence layer ran: all missing
])
def test_evidence_table(evidence, held, reason):
    verdict = policy.judge(evidence, tokens.read(HONEST))
    assert verdict.held is held
    assert (reason in [name for name, _ in verdict.reasons]) is (reason is not None)


def test_without_required_evidence_a_missing_one_weighs_nothing_but_a_bad_one_does():
    limits = policy.Limits(require_evidence=False)
    assert policy.judge(None, tokens.read(HONEST), limits=limits).reasons == ()
    assert policy.judge({"honeypot": "absent", "token": "missing", "proof": "missing"}, tokens.read(HONEST),
                        limits=limits).reasons == ()
    assert policy.judge({**SCRIPT, "honeypot": "filled"}, tokens.read(HONEST), limits=limits).held
    assert policy.judge({**FORM, "token": "replayed", "proof": "missing"}, tokens.read(HONEST), limits=limits).held


@pytest.mark.parametrize("comment, held, reasons", [
    ({**HONEST, "text": "Voir https://a.example/1 et https://b.example/2"}, False, ()),
    ({**HONEST, "text": "Voir https://a.example/1, www.b.example et [c](https://c.example/)"}, True, (("links", "3"),)),
    ({**HONEST, "text": "Deux liens https://a.example/1 https://b.example/", "website": "https://moi.example"}, True, (("links", "3"),)),
    ({**HONEST, "text": "Un mot de casino ne suffit pas."}, False, (("known-word", "casino"),)),
    ({**HONEST, "text": "Casino et viagra ensemble, si."}, True, (("known-word", "viagra"), ("known-word", "casino"))),
    ({**HONEST, "text": "Lisez https://bit.ly/abc"}, True, (("known-domain", "bit.ly"),)),
    # The Chroniques discuss the economy: its words are no sign of spam.
    ({**HONEST, "text": "Le bitcoin, la crypto et le forex promettent un crédit sans fin."}, False, ()),
])
def test_content_rules(comment, held, reasons):
    verdict = policy.judge(FORM, tokens.read(comment))
    assert (verdict.held, set(verdict.reasons)) == (held, set(reasons))


def test_block_list_words_domains_and_addresses_hold_subdomains_included():
    blocked = [blocklist.normalise("domaine", "https://www.Pilules.example/achat"),
               blocklist.normalise("mot", "Montres"), blocklist.normalise("adresse", " Bot@Spam.example ")]
    assert blocked == [("domaine", "pilules.example"), ("mot", "montres"), ("adresse", "bot@spam.example")]
    for comment, hit in [
        ({**HONEST, "text": "Voir https://shop.pilules.example/"}, ("blocked-domaine", "pilules.example")),
        ({**HONEST, "text": "Des montres pas chères"}, ("blocked-mot", "montres")),
        ({**HONEST, "email": "bot@spam.example"}, ("blocked-adresse", "bot@spam.example")),
    ]:
        verdict = policy.judge(FORM, tokens.read(comment), blocked)
        assert verdict.held and hit in verdict.reasons
    assert not policy.judge(FORM, tokens.read({**HONEST, "text": "pilules.example sans lien"}), blocked).held


@pytest.mark.parametrize("kind, value, message", [
    ("mots", "x", "«\u00a0mots\u00a0» n’est pas un genre d’entrée\u202f; écrivez mot, domaine ou adresse"),
    ("mot", "deux mots", "«\u00a0deux mots\u00a0» n’est pas un mot\u202f; un mot bloqué s’écrit en lettres seules, de 2 à 30"),
    ("domaine", "localhost", "«\u00a0localhost\u00a0» n’est pas un nom de domaine\u202f; écrivez-le comme exemple.com"),
    ("adresse", "bot", "«\u00a0bot\u00a0» n’est pas une adresse électronique\u202f; écrivez-la comme nom@exemple.fr"),
])
def test_block_list_refuses_what_cannot_match_in_french(kind, value, message):
    with pytest.raises(blocklist.InvalidEntry) as refused:
        blocklist.normalise(kind, value)
    assert str(refused.value).startswith(message)


def test_thread_burst_holds_the_excess_only():
    limits = policy.Limits(thread_burst=3)
    assert not policy.judge(FORM, tokens.read(HONEST), thread_posts=3, limits=limits).held
    assert policy.judge(FORM, tokens.read(HONEST), thread_posts=4, limits=limits).reasons == (("thread-burst", "4"),)


@pytest.fixture
def con(tmp_path):
    """A database with Isso's comments table and every table of ours (comments.store.SCHEMA)."""
    path = tmp_path / "comments.db"
    raw = sqlite3.connect(path)
    raw.executescript(
        "CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR UNIQUE, title VARCHAR);"
        "CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER, created FLOAT,"
        " modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR, author VARCHAR, email VARCHAR,"
        " website VARCHAR, likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB, notification INTEGER DEFAULT 0);"
        "CREATE TABLE preferences (key VARCHAR PRIMARY KEY, value VARCHAR);"
    )
    raw.close()
    store.prepare(path)
    connection = sqlite3.connect(path, isolation_level=None)
    yield connection
    connection.close()


def test_learned_score_has_no_opinion_until_moderators_decided_enough(con):
    spam = tokens.read({"text": "zorblax quintrel promo zorblax"}).tokens()
    for _ in range(bayes.MIN_LESSONS - 1):
        bayes.learn(con, spam, "spam", 0)
        bayes.learn(con, tokens.read(HONEST).tokens(), "ham", 0)
    assert bayes.spam_probability(con, spam) is None


def test_many_more_deletions_than_approvals_do_not_hold_a_comment_of_new_words(con):
    """Found by the bot suite: 224 deletions to 6 approvals made the decisions' prior alone score « Bravo. » 0.97."""
    for n in range(224):
        bayes.learn(con, tokens.read({**HONEST, "text": f"Casino bonus gratuit numéro {'un ' * n}"}).tokens(), "spam", 0)
    for n in range(6):
        bayes.learn(con, tokens.read({**HONEST, "text": f"Une lecture {'très ' * n}juste"}).tokens(), "ham", 0)
    reader = tokens.read({"text": "Bravo.", "author": "Hugo", "email": "hugo@laposte.net"}).tokens()
    assert bayes.spam_probability(con, reader) < policy.LEARNED_LIKELY


def test_learned_score_follows_decisions(con):
    spam = tokens.read({"text": "zorblax quintrel promo zorblax https://zorb.example/"}).tokens()
    ham = tokens.read(HONEST).tokens()
    for i in range(3):
        bayes.learn(con, spam, "spam", 0)
        bayes.learn(con, tokens.read({**HONEST, "text": f"Une lecture {'très ' * i}juste"}).tokens(), "ham", 0)
    assert bayes.spam_probability(con, spam) > policy.LEARNED_HOLD
    assert bayes.spam_probability(con, ham) < 0.5
    unknown = tokens.read({"text": "entièrement inconnu"}).tokens()
    assert bayes.spam_probability(con, unknown) == pytest.approx(0.5)
    # Words only, no text: the counts of a token, and the decisions' number.
    assert con.execute("SELECT spam, ham FROM zohe_spam_words WHERE token = 'zorblax'").fetchone() == (6, 0)
    assert con.execute("SELECT spam FROM zohe_spam_words WHERE token = 'domaine:zorb.example'").fetchone() == (3,)
    assert bayes.prune(con, before=1) > 0
    assert con.execute("SELECT COUNT(*) FROM zohe_spam_words").fetchone() == (0,)


def test_only_a_first_decision_teaches(con):
    import json
    con.execute("INSERT INTO zohe_spam_undecided (id, tokens) VALUES (7, ?)", (json.dumps({"zorblax": 2}),))
    assert triage.teach(con, 7, "spam", 0) is True
    assert triage.teach(con, 7, "ham", 0) is False  # deleted after approval: nothing left to learn
    assert bayes.lessons(con) == {"spam": 1, "ham": 0}
    con.execute("INSERT INTO zohe_spam_undecided (id, tokens) VALUES (8, '{}')")
    assert triage.teach(con, 8, None, 0) is False  # a commenter deleting their own comment
    assert con.execute("SELECT COUNT(*) FROM zohe_spam_undecided").fetchone() == (0,)


def test_settings_come_from_isso_cfg_and_a_bad_one_is_refused_in_french():
    from isso import config

    from comments import settings

    conf = settings.load()
    assert triage.read_settings(conf) == (True, policy.Limits(require_evidence=True, max_links=2, thread_burst=10,
                                                              thread_burst_window=600))
    conf.set("spam", "thread-burst-window", "bientôt")
    with pytest.raises(settings.ConfigurationError, match="thread-burst-window une durée"):
        triage.read_settings(conf)
    bare = config.load(config.default_file())  # a file without [spam]: the policy's defaults, the filter on
    assert triage.read_settings(bare) == (True, policy.Limits())


# Content a patient robot posts with a sound token (the bot suite, bench/bots.py): what the
# rules hold without the learned score, and the readers' comments they must let through.
@pytest.mark.parametrize("comment, reason", [
    ({**HONEST, "text": 'Très bon article, merci. <a href="https://www.shop.example/">voir ici</a>'}, "markup-link"),
    ({**HONEST, "text": "Thanks for the info! [url=https://www.shop.example/]click here[/url]"}, "markup-link"),
    ({**HONEST, "text": "Meilleur casino en ligne : bonus sur https://www.spin.example/"}, "word-and-link"),
    ({**HONEST, "text": "Un seul mot, poker, et le site en lien.", "website": "https://www.jeux.example/"}, "word-and-link"),
    ({**HONEST, "text": "Great article, very informative. Thanks for sharing!", "website": "https://www.shop.example/"},
     "english-link"),
    ({**HONEST, "text": "Buy tramadol online without prescription, fast shipping: https://www.meds.example/"}, "english-link"),
    # A site named for what it sells: its domain's words count.
    ({**HONEST, "text": "Tours gratuits sur https://www.lucky-spin-casino.example/"}, "word-and-link"),
])
def test_a_patient_robots_content_is_held(comment, reason):
    verdict = policy.judge(FORM, tokens.read(comment))
    assert verdict.held and reason in [name for name, _ in verdict.reasons], verdict


@pytest.mark.parametrize("comment", [
    {**HONEST, "text": "Belle lecture. Pour creuser, https://fr.wikipedia.org/wiki/Coopérative résume bien l’histoire.",
     "website": "https://mon-atelier.example/"},
    {**HONEST, "text": "Le casino de la finance, voilà ce que nous refusons."},  # a known word, no link: half a hold
    {**HONEST, "text": "Un atelier à Lyon qui répare tout, et son site.", "website": "https://repare-tout.example/"},
    {**HONEST, "text": "I read it in English, and the idea of a promise is great.", "author": "Ann"},  # English, no link
])
def test_a_readers_comment_with_a_link_or_in_english_is_not_held(comment):
    assert not policy.judge(FORM, tokens.read(comment)).held
