"""Spam kept away from moderators, on our own server: each new comment judged, likely spam held apart, the score learned from moderators' decisions.

One module per concern:

- ``policy``: the rules as one table of data (evidence, links, known and blocked words and
  domains, the learned score, bursts on one thread) and the verdict they give;
- ``tokens``: what of a comment the rules and the score read (words, domains, links);
- ``known_spam.txt``: the small shipped list of spam words and domains;
- ``blocklist``: the words, domains and e-mail addresses moderators block (``invoke comments.block``);
- ``bayes``: the score learned from approvals and deletions (multinomial naive Bayes in SQLite);
- ``schema``: our tables in Isso's database;
- ``triage``: where the verdict meets Isso (its signals) and the moderation mail;
- ``admin_marks``: held comments marked as such on Isso's admin page;
- ``held``: what moderators do with held comments (``invoke comments.spam``, ``spam-delete``, ``spam-approve``);
- ``digest``: the daily summary mail of held comments;
- ``retention``: what the spam defences keep, forgotten once it has served (daily).

The evidence a request carries (honeypot, timed token, proof of work) is built by the
layers outside (``environ["zohe.evidence"]``); this package only reads it.
"""
