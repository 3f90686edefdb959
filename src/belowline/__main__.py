"""`belowline` and `python -m belowline`: the command line, with `serve` kept lean.

`serve` (without `--help`) goes to :mod:`belowline.web.launch` before typer and the commands
are imported: uvicorn's spawned workers re-import this module, so it must stay this small.
"""

from __future__ import annotations

import sys


def main() -> None:  # pragma: no cover - console entry
    """Run `belowline ...`."""
    args = sys.argv[1:]
    if args[:1] == ["serve"] and not {"--help", "-h"} & set(args):
        from belowline.web import launch

        sys.exit(launch.main(args[1:]))
    from belowline.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
