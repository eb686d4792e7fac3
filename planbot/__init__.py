"""The ``planbot`` command line: the composition root for building, asking and evaluating."""
