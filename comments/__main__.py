"""``python -m comments [--port 8080]``: the comment server for the live preview."""

import argparse

from comments import dev

parser = argparse.ArgumentParser(prog="python -m comments", description=__doc__)
parser.add_argument("--port", type=int, default=dev.DEFAULT_PORT)
dev.serve(parser.parse_args().port)
