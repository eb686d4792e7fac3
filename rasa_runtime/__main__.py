"""``python -m rasa_runtime ARGS`` runs Rasa's command line with ARGS, after both patches."""

from __future__ import annotations

import sys

from rasa_runtime import action_results, gc_freeze


def main() -> None:
    action_results.install()
    gc_freeze.install()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
