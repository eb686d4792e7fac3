"""``python -m rasa_runtime ARGS`` runs Rasa's command line with ARGS, after the patches and
with the HTTP API's token from the settings (:mod:`rasa_runtime.auth`)."""

from __future__ import annotations

import os
import sys

from rasa_runtime import action_results, fast_load, gc_freeze
from rasa_runtime.auth import with_auth_token


def main() -> None:
    sys.argv = with_auth_token(["rasa", *sys.argv[1:]], os.environ)
    action_results.install()
    gc_freeze.install()
    fast_load.install()
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
