"""Each author's mistake in mistakes.toml fails the build with its French line, naming file and line."""

from pathlib import Path
import shutil
import tomllib

import pytest

from support import ROOT, build_prod
from publish.build import BuildError, build

CASES = tomllib.loads((Path(__file__).with_name("mistakes.toml")).read_text(encoding="utf-8")).get("case", [])
# Never in a message to an author: English framing and Python's names for what went wrong.
ALWAYS_ABSENT = ("Traceback", "Error:", "Exception", "Build failed", "Could not process")


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_mistake_gets_its_french_message(case, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for name, text in case.get("files", {}).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_text(text, encoding="utf-8")
    for name, data in case.get("binary", {}).items():
        (content / name).parent.mkdir(parents=True, exist_ok=True)
        (content / name).write_bytes(bytes.fromhex(data))
    with pytest.raises(BuildError) as failure:
        if case.get("prod"):
            build_prod(tmp_path / "output", PATH=str(content))
        else:
            build(output=tmp_path / "output", overrides={"PATH": str(content)})
    message = "\n".join(failure.value.problems)
    for fragment in case["expected"]:
        assert fragment in message, message
    for fragment in ALWAYS_ABSENT + tuple(case.get("absent", ())):
        assert fragment not in message, message
