"""The daily summary of held comments for the moderators: at most one mail a day, naming the comments held since the last one, sent through the moderation mail's outbox.

Held comments are never mailed one by one; ``invoke comments.spam-summary`` (run each
day by zohe-comments-spam-summary.timer, deploy/systemd/) queues one summary when some
were held since the previous one, and none when a summary went out less than
MIN_INTERVAL ago. The row waits in the outbox (comments.mail) like any moderation mail,
sent and retried by the server's workers; what it lists is read when it is sent, so a
comment decided in between is left out. It names each comment and why it was held, never
its text: spam has no business in the moderators' inboxes.
"""


from comments import mail as mails
from comments.moderation import visible
from comments.spam import held as helds, policy

KIND = "spam-digest"
# Less than a day, so that a timer firing a little early still sends the day's summary.
MIN_INTERVAL = 20 * 3600


def queue(con, now, origin, endpoint):
    """Queue a summary of the comments held and not yet summarised, on ``con`` in the caller's transaction.

    Returns how many it names; 0 when none is new, None when a summary went out less than MIN_INTERVAL ago.
    """
    last = con.execute("SELECT at FROM zohe_spam_summary").fetchone()
    if last is not None and last[0] > now - MIN_INTERVAL:
        return None
    count = con.execute("UPDATE zohe_held SET summarised = ? WHERE summarised IS NULL", (now,)).rowcount
    if count:
        con.execute("INSERT OR REPLACE INTO zohe_spam_summary (id, at) VALUES (1, ?)", (now,))
        con.execute(
            "INSERT INTO zohe_outbox (comment_id, comment_created, origin, endpoint, due, kind) VALUES (0, ?, ?, ?, ?, ?)",
            (now, origin, endpoint, now, KIND),
        )
    return count


def message(mail, outgoing):
    """The French summary mail of the outbox row ``outgoing`` (``comment_created``: when it was queued), or None when every comment it named was decided since."""
    con = mail.store.connection()
    rows = con.execute(f"{helds.SELECT} WHERE h.summarised = ? ORDER BY c.created, c.id", (outgoing.comment_created,))
    items = [helds.from_row(row) for row in rows]
    if not items:
        return None
    (waiting,) = con.execute("SELECT COUNT(*) FROM zohe_held").fetchone()
    plural = "s" if len(items) > 1 else ""
    message = mail.new_message(f"{len(items)}\u00a0commentaire{plural} retenu{plural} comme indésirable{plural}")
    lines = [
        f"Le filtre a retenu {len(items)}\u00a0nouveau{'x' if plural else ''} commentaire{plural} comme "
        f"probable{plural} indésirable{plural}. Rien n’est publié ni supprimé\u00a0: "
        f"{'ils attendent' if plural else 'il attend'} votre décision.",
        "",
    ]
    for item in items:
        title = mails.one_line(visible(item.title) or visible(item.uri), mails.TITLE_LIMIT)
        author = mails.one_line(visible(item.author), mails.AUTHOR_LIMIT) or "(sans nom)"
        lines += [
            f"n°\u00a0{item.id}, «\u00a0{title}\u00a0», {author}, le {item.created:%d/%m/%Y à %H:%M}",
            f"  score {helds.format_score(item.score)}\u00a0: {mails.one_line(visible(policy.describe(item.reasons)), 500)}",
        ]
    lines += [
        "",
        f"En tout, {waiting}\u00a0commentaire{'s' if waiting > 1 else ''} retenu{'s' if waiting > 1 else ''} "
        "attend{} une décision.".format("ent" if waiting > 1 else ""),
        "Les lire en entier\u00a0: invoke comments.spam",
        "Tout supprimer\u00a0: invoke comments.spam-delete tous",
        "Publier celui que le filtre a retenu à tort\u00a0: invoke comments.spam-approve NUMÉRO",
    ]
    message.set_content("\n".join(lines) + "\n", cte="quoted-printable")
    return message
