"""The accessibility statement's figures: what the project's own axe-core sweep found, kept in the repository.

The sweep (tests/deploy/test_accessibility.py) writes them, the accessibility_statement
plugin shows them, and the sweep fails when a run differs from what is committed: nobody
types a figure, and none outlives a change of the site, of axe-core or of Chromium.
`invoke accessibility` runs the sweep and rewrites the file. Its one shape lives here.
"""

from dataclasses import dataclass
from datetime import date
import json
from pathlib import Path

FILE = "accessibilite.json"
# The project's own content folder, where the sweep writes; a build reads its own (in_content).
PATH = Path(__file__).resolve().parent.parent / "content" / FILE
# The sweep, which `invoke accessibility` runs.
SWEEP = "tests/deploy/test_accessibility.py"
# Set to 1 by `invoke accessibility`: the sweep writes its run's figures instead of checking them.
WRITE = "ZOHE_WRITE_ACCESSIBILITY"
STALE = (
    "Les chiffres de la déclaration d’accessibilité ne sont plus ceux de l’essai\u00a0: lancez "
    "`invoke accessibility` et commitez content/accessibilite.json. / The accessibility statement's "
    "figures differ from this run: run `invoke accessibility` and commit content/accessibilite.json."
)
# RGAA 4.1: without an audit of all its criteria, a site may only say it is « non conforme ».
# axe-core checks a part of them, automatically: an honest statement says « non conforme »
# until a full audit says otherwise.
STATE = "non conforme"
IMPACTS = ("critical", "serious", "moderate", "minor")
IMPACTS_FR = {"critical": "critique", "serious": "grave", "moderate": "modéré", "minor": "mineur"}
# The run's date changes at every run, the rest must not.
DATED = ("date",)


@dataclass(frozen=True)
class Mode:
    """One way of reading every page: a colour scheme, scripts on or off."""

    scheme: str
    scripts: bool

    @property
    def label(self):
        scheme = {"light": "thème clair", "dark": "thème sombre"}[self.scheme]
        return f"{scheme}, JavaScript {'activé' if self.scripts else 'désactivé'}"


class Run:
    """The results of axe.run on each page in each mode, gathered into the statement's figures."""

    def __init__(self, browser):
        self.browser = browser  # Chromium's version (its user agent gives only the major one)
        self.pages, self.modes = [], []
        self.rules, self.to_review = set(), set()
        self.violations = []  # (page, mode label, rule, impact, targets)
        self.excluded = {}  # page: rules left out of its runs for now
        self.engine = None
        self.tested = 0

    def add(self, page, mode, results, excluded=()):
        """Keep one axe.run's results; ``excluded``: the rules it was told to leave out on this page."""
        self.tested += 1
        if excluded:
            self.excluded[page] = sorted(excluded)
        if page not in self.pages:
            self.pages.append(page)
        if mode.label not in self.modes:
            self.modes.append(mode.label)
        self.engine = results["testEngine"]["version"]
        for kind in ("passes", "violations", "incomplete", "inapplicable"):
            self.rules.update(rule["id"] for rule in results[kind])
        self.to_review.update(rule["id"] for rule in results["incomplete"])
        for rule in results["violations"]:
            targets = "; ".join(" ".join(node["target"]) for node in rule["nodes"][:3])
            self.violations.append((page, mode.label, rule["id"], rule["impact"], targets))

    def problems(self):
        """One line per violation: page, mode, rule, impact and the first elements concerned."""
        return [f"{page} ({mode}): {rule} [{impact}] {targets}" for page, mode, rule, impact, targets in self.violations]

    def figures(self):
        counts = {impact: sum(1 for v in self.violations if v[3] == impact) for impact in IMPACTS}
        return {
            "date": date.today().isoformat(),
            "axe_core": self.engine,
            "chromium": self.browser,
            "pages": self.pages,
            "modes": self.modes,
            "tested": self.tested,
            "rules": len(self.rules),
            "violations": counts,
            "to_review": sorted(self.to_review),
            "excluded": self.excluded,
        }


def in_content(folder):
    """Where the figures of the content folder ``folder`` are."""
    return Path(folder) / FILE


def write(figures, path=PATH):
    path.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read(path=PATH):
    """The committed figures (None when the sweep never wrote them)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def comparable(figures):
    """The figures a new run must give again: all but its date."""
    return {key: value for key, value in (figures or {}).items() if key not in DATED}
