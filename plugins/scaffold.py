"""What `invoke new` writes in a new chronicle for its author to replace, which the checks refuse to publish.

publish/new.py writes these placeholders; plugins/zohe_checks refuses a published
document that still holds one.
"""

SCAFFOLD_SUMMARY = "À écrire : une ou deux phrases qui donnent envie de lire la chronique."
SCAFFOLD_TEXT = "Le texte de la chronique commence ici."