"""What the author reads from the deployment: its one error type and its one-line messages."""

import sys


class DeployError(Exception):
    """Publishing could not go on; the message is for the author, in French."""


def say(message, stream=None):
    """One line for the author, or one for each line of `message`; in the hook each shows as a `remote:` line."""
    for line in str(message).splitlines() or [""]:
        print(f"Zôhé\u00a0: {line}", file=stream or sys.stdout, flush=True)


def milliseconds(value):
    """A duration in seconds as an author reads it in milliseconds: "0,12 ms"."""
    return f"{value * 1000:.2f}".replace(".", ",") + " ms"
