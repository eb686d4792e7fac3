"""The staff API (``/api/staff/*``): log-in, documents, the index, insights, accounts, audit."""
