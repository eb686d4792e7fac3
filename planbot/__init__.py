"""The ``planbot`` package: the settings tree (settings.py), the composition root (runtime.py,
holder.py), the command line (cli.py) and the process launcher (launcher.py)."""
