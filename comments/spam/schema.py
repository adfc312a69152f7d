"""The spam filter's tables in Isso's database, appended to comments.store.SCHEMA so that the server, the commands and a restore all create them.

In the database, beside the comments, because every worker, the command line and the
backups must see one state; what each table keeps, and for how long, is said above it
(and to readers in content/pages/politique-de-confidentialite.md).
"""

# Held as likely spam: one row per comment Isso keeps in its queue (mode 2) that
# moderators are not told of one by one. ``score`` and ``reasons`` (comma-separated keys
# of comments.spam.policy.REASONS, with their values) say why; ``summarised`` is when the
# daily summary first named it. A row goes with its comment's first decision, whoever
# takes it (e-mail link, admin page, command line): the triggers below.
SCHEMA = [
    "CREATE TABLE IF NOT EXISTS zohe_held (id INTEGER PRIMARY KEY, created REAL NOT NULL,"
    " score REAL NOT NULL, reasons TEXT NOT NULL, held_at REAL NOT NULL, summarised REAL)",
    "CREATE TRIGGER IF NOT EXISTS zohe_held_decided AFTER UPDATE OF mode ON comments"
    " WHEN NEW.mode <> 2 BEGIN DELETE FROM zohe_held WHERE id = NEW.id; END",
    "CREATE TRIGGER IF NOT EXISTS zohe_held_deleted AFTER DELETE ON comments"
    " BEGIN DELETE FROM zohe_held WHERE id = OLD.id; END",
]

# When the last daily summary was queued (comments.spam.digest): one row, so that a
# summary goes out at most once a day even when its comments were all decided since.
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_spam_summary (id INTEGER PRIMARY KEY CHECK (id = 1), at REAL NOT NULL)",
]

# The learned score's data (comments.spam.bayes): how often each word or domain appeared
# in comments moderators deleted (``spam``) and approved (``ham``), and how many of each
# they decided. Counts only, no text, no address, no link to any comment; a word no
# decision has met for PRUNE_AFTER is forgotten.
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_spam_words (token TEXT PRIMARY KEY,"
    " spam INTEGER NOT NULL DEFAULT 0, ham INTEGER NOT NULL DEFAULT 0, updated REAL NOT NULL)",
    "CREATE TABLE IF NOT EXISTS zohe_spam_lessons (verdict TEXT PRIMARY KEY CHECK (verdict IN ('spam', 'ham')),"
    " documents INTEGER NOT NULL DEFAULT 0)",
    "INSERT OR IGNORE INTO zohe_spam_lessons (verdict, documents) VALUES ('spam', 0), ('ham', 0)",
]

# The words of each comment still waiting for its first decision, as JSON counts, so that
# a deletion (after which Isso's row is gone) can still teach them. Deleted at that
# decision; rows of comments gone another way are pruned (comments.spam.retention).
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_spam_undecided (id INTEGER PRIMARY KEY, tokens TEXT NOT NULL)",
]

# The moderators' block list (comments.spam.blocklist): kept until a moderator removes
# an entry. A table rather than a file: every worker sees a change at the next comment,
# without a reload or a file the server user must be able to read, and the backups keep it.
SCHEMA += [
    "CREATE TABLE IF NOT EXISTS zohe_blocked (kind TEXT NOT NULL CHECK (kind IN ('mot', 'domaine', 'adresse')),"
    " value TEXT NOT NULL, added REAL NOT NULL, PRIMARY KEY (kind, value))",
]

# A word the learned score has not met in a decision for this long (seconds) is pruned.
PRUNE_AFTER = 2 * 365 * 86400
