"""The moderation e-mail under a real gunicorn and a real SMTP server: French, safe from what commenters write, never lost, never sent twice."""

import smtplib
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from email import message_from_bytes, policy
from email.header import decode_header, make_header

import pytest
from aiosmtpd.controller import Controller

from comments import isso_app, mail, moderation, settings
from isso_support import SITE, Server, Sink, free_port, moderation_links

pytestmark = pytest.mark.timeout(60)

# Eight attempts over about 19 s: room for a test to post, see the failures, then open the server.
RETRY_DELAYS = "0.5,0.5,1,2,5,10"
RECIPIENT = "moderation@zohe.test"


class Mailbox(Sink):
    """An SMTP server's handler without SMTPUTF8 that keeps each message's raw bytes, and refuses DATA while told to."""

    def __init__(self):
        super().__init__()
        self.raw = []  # beside self.messages, same order
        self.answers = []  # refusals for the next messages, then acceptance
        self.closed = None  # a refusal for every message while set

    async def handle_DATA(self, server, session, envelope):
        with self.arrived:
            answer = self.answers.pop(0) if self.answers else self.closed
            if answer:
                return answer
            self.raw.append(envelope.content)
            self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
            self.arrived.notify_all()
        return "250 OK"

    def about(self, server, comment_id):
        """The messages received about comment ``comment_id`` of ``server``, by their links."""
        with self.arrived:
            return [m for _, m in self.messages if f"{server.base}/id/{comment_id}/delete/" in m.get_content()]


class SmtpServer:
    """aiosmtpd on one loopback port, which a test may stop and start again."""

    def __init__(self, mailbox):
        self.mailbox, self.port, self.controller = mailbox, free_port(), None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=False)
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture(scope="module")
def smtp():
    server = SmtpServer(Mailbox())
    server.start()
    yield server
    server.stop()


def mail_server(directory, smtp, delays=RETRY_DELAYS, **smtp_settings):
    return Server(
        directory,
        env={"ZOHE_MAIL_RETRY_DELAYS": delays},
        general={"notify": "smtp"},
        smtp={"host": "127.0.0.1", "port": smtp.port, "security": "none", "to": RECIPIENT, **smtp_settings},
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory, smtp):
    running = mail_server(tmp_path_factory.mktemp("mail"), smtp).start()
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def open_mailbox(smtp):
    smtp.mailbox.answers, smtp.mailbox.closed = [], None


def post(server, uri, text, **fields):
    r = server.client().new(uri, text, **fields)
    assert r.status == 202, r.body
    return r.json()["id"]


def arrival(smtp, server, number):
    """(recipients, message): the mail about comment ``number`` of ``server``, once it has come."""
    return smtp.mailbox.wait_for(lambda to, m: f"{server.base}/id/{number}/" in m.get_content(), timeout=20)


def log(server):
    return (server.directory / "server.log").read_text(errors="replace")


def wait_for_log(server, text, timeout=15):
    """The server log's lines holding ``text``, once there is one."""
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in log(server).splitlines() if text in line]
        if lines or time.monotonic() > deadline:
            assert lines, f"no {text!r} in the server log within {timeout} s:\n{log(server)[-3000:]}"
            return lines
        time.sleep(0.05)


def outbox(server):
    con = sqlite3.connect(server.dbpath)
    try:
        return [row[0] for row in con.execute("SELECT comment_id FROM zohe_outbox")]
    finally:
        con.close()


def test_the_french_mail_reaches_a_server_without_smtputf8(server, smtp, uri):
    with smtplib.SMTP("127.0.0.1", smtp.port, timeout=10) as probe:
        probe.ehlo()
        assert not probe.has_extn("smtputf8")
    text = "Merci pour «\u00a0La juste mesure\u00a0»\u202f!\n\nUne seconde ligne, où l’on répond."
    number = post(server, uri, text, author="Léa & Zoé", email="lea@example.org",
                  website="https://lea.example/", title="La juste mesure")

    recipients, message = arrival(smtp, server, number)
    raw = smtp.mailbox.raw[smtp.mailbox.messages.index((recipients, message))]
    raw.decode("ascii")  # the whole message: encoded words and quoted-printable
    raw_from = next(line for line in raw.split(b"\r\n") if line.startswith(b"From: "))[6:].decode("ascii")
    assert "=?utf-8?" in raw_from
    assert str(make_header(decode_header(raw_from))) == "Commentaires Zôhé <commentaires@zohe.invalid>"
    assert recipients == [RECIPIENT]
    assert message["Subject"] == "Commentaire à modérer\u00a0: «\u00a0La juste mesure\u00a0»"

    body = message.get_content().replace("\r\n", "\n")
    for line in ("Auteur\u00a0: Léa & Zoé", "Courriel\u00a0: lea@example.org", "Site\u00a0: https://lea.example/",
                 f"Fil\u00a0: {SITE}{uri}#isso-{number}",
                 "> Merci pour «\u00a0La juste mesure\u00a0»\u202f!", ">", "> Une seconde ligne, où l’on répond."):
        assert line in body.splitlines()
    links = moderation_links(body)
    assert set(links) == {"activate", "delete"}
    assert links["activate"].startswith(f"{server.base}/id/{number}/activate/")
    assert links["delete"].startswith(f"{server.base}/id/{number}/delete/")

    moderator = server.client(origin=server.base)
    r = moderator.post(links["activate"][len(server.base):])
    assert r.status == 200 and "Le commentaire est publié." in r.text


def test_line_breaks_in_title_author_and_text_inject_no_header_and_no_link(server, smtp, uri):
    forged = f"{server.base}/id/1/activate/cle-contrefaite"
    # The API refuses such a name (comments.commenter); one written straight into the
    # database (an import while the server runs) reaches the mail, which is built when sent.
    smtp.stop()
    try:
        number = post(
            server, uri, f"Bonjour.\nPublier ce commentaire\u00a0:\n{forged}\n",
            title="Chronique\r\nBcc: intrus@example.org\r\nX-Injecte: oui\r\n\r\nCorps",
        )
        with closing(sqlite3.connect(server.dbpath)) as con, con:
            con.execute("UPDATE comments SET author = ? WHERE id = ?",
                        (f"Ève\r\n\r\nPublier ce commentaire\u00a0:\r\n{forged}\n\u202eetiuS", number))
    finally:
        smtp.start()

    recipients, message = arrival(smtp, server, number)
    assert recipients == [RECIPIENT]
    assert sorted(message.keys()) == sorted(["Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted",
                                             "Content-Type", "Content-Transfer-Encoding", "MIME-Version"])
    assert message["Subject"] == (
        "Commentaire à modérer\u00a0: «\u00a0Chronique Bcc: intrus@example.org X-Injecte: oui Corps\u00a0»")

    body = message.get_content().replace("\r\n", "\n")
    links = moderation_links(body)
    assert set(links) == {"activate", "delete"} and forged not in links.values()
    assert all(link.startswith(f"{server.base}/id/{number}/") for link in links.values())
    holding = [line for line in body.splitlines() if "cle-contrefaite" in line]
    assert holding[0].startswith("Auteur\u00a0: Ève\\r\\n\\r\\nPublier") and holding[0].endswith("\\n\\u202eetiuS")
    assert holding[1:] == [f"> {forged}"]


def test_a_refused_mail_is_sent_later_and_each_refusal_logged(server, smtp, uri):
    smtp.mailbox.answers = ["451 4.3.0 Try again later", "550 5.7.1 Not now"]
    number = post(server, uri, "Refusé deux fois, puis accepté.")

    arrival(smtp, server, number)
    first, = wait_for_log(server, f"comment {number} not sent (attempt 1 of 7): 451 4.3.0 Try again later")
    second, = wait_for_log(server, f"comment {number} not sent (attempt 2 of 7): 550 5.7.1 Not now")
    assert "WARNING" in first and "WARNING" in second
    wait_for_log(server, f"moderation mail for comment {number} sent")
    assert len(smtp.mailbox.about(server, number)) == 1


def test_a_mail_waits_for_a_server_that_does_not_listen(server, smtp, uri):
    smtp.stop()
    try:
        number = post(server, uri, "Écrit pendant la panne du serveur de courriel.")
        refused, = wait_for_log(server, f"comment {number} not sent (attempt 1 of 7): ConnectionRefusedError")
        assert "WARNING" in refused
    finally:
        smtp.start()
    arrival(smtp, server, number)


def test_two_workers_never_send_one_mail_twice(server, smtp, uri):
    """Both workers' senders wake to the same due mail once the SMTP server comes back: one takes it."""
    smtp.mailbox.closed = "451 4.3.0 Try again later"
    texts = [f"Commentaire concurrent n°\u00a0{n}." for n in range(12)]
    with ThreadPoolExecutor(4) as pool:
        numbers = list(pool.map(lambda text: post(server, uri, text), texts))
    for number in numbers:
        wait_for_log(server, f"comment {number} not sent (attempt 1 of 7)")
    smtp.mailbox.closed = None

    for number in numbers:
        arrival(smtp, server, number)
    deadline = time.monotonic() + 20
    while set(outbox(server)) & set(numbers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not set(outbox(server)) & set(numbers)
    assert {number: len(smtp.mailbox.about(server, number)) for number in numbers} == {number: 1 for number in numbers}


def test_a_restart_loses_no_mail(tmp_path, smtp, uri):
    restarted = mail_server(tmp_path, smtp).start()
    try:
        smtp.mailbox.closed = "451 4.3.0 Try again later"
        number = post(restarted, uri, "Écrit juste avant un redémarrage.")
        wait_for_log(restarted, f"comment {number} not sent (attempt 1 of 7)")
        restarted.stop()
        assert outbox(restarted) == [number]

        smtp.mailbox.closed = None
        restarted.start()
        restarted.client().get("/config")  # any request starts a worker's sender
        arrival(smtp, restarted, number)
    finally:
        restarted.stop()


def test_a_mail_given_up_is_logged_as_an_error_without_the_password(tmp_path, smtp, uri):
    password = "mot-de-passe-du-relais-smtp"
    failing = mail_server(tmp_path, smtp, delays="0.2,0.2", username="zohe", password=password).start()
    try:
        number = post(failing, uri, "Le relais refuse de s’identifier.")
        error, = wait_for_log(failing, f"moderation mail for comment {number} given up after 3 attempts")
    finally:
        failing.stop()
    assert "ERROR" in error and "SMTPNotSupportedError" in error and "invoke comments.pending" in error
    assert len([line for line in log(failing).splitlines() if f"comment {number} not sent" in line]) == 2
    assert password not in log(failing)
    assert outbox(failing) == []
    assert [item.id for item in moderation.pending(failing.conf())] == [number]
    assert smtp.mailbox.about(failing, number) == []


@pytest.mark.parametrize("variable, value", [
    ("ISSO_SMTP_FROM", "Commentaires Zôhé"),
    ("ISSO_SMTP_FROM", "a@zohe.test, b@zohe.test"),
    ("ISSO_SMTP_TO", "moderation"),
    ("ZOHE_MAIL_RETRY_DELAYS", "60, une heure"),
    ("ZOHE_MAIL_RETRY_DELAYS", "60, 0"),
])
def test_a_setting_the_mail_cannot_use_stops_the_server_at_start(variable, value):
    environ = {"ISSO_NOTIFY": "smtp", variable: value}
    conf = settings.load(environ=environ, create_folder=False)
    with pytest.raises(settings.ConfigurationError, match=variable):
        mail.addresses(conf, "from"), mail.addresses(conf, "to"), settings.mail_retry_delays(environ)


def test_isso_is_built_without_its_own_mail_and_reply_notifications_are_refused():
    conf = settings.load(environ={"ISSO_NOTIFY": "stdout, smtp"}, create_folder=False)
    assert isso_app.isso_conf(conf).getlist("general", "notify") == ["stdout"]
    assert conf.getlist("general", "notify") == ["stdout", "smtp"] and mail.enabled(conf)
    conf.set("general", "reply-notifications", "true")
    with pytest.raises(settings.ConfigurationError, match="reply-notifications"):
        isso_app.isso_conf(conf)
