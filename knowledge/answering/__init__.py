"""The answer engine: from a question to a cited, extractive Reply (or an honest refusal)."""
