"""Staff accounts, roles and login tokens.

Editors write drafts; admins also publish, delete, roll back and manage accounts. Passwords
are hashed with argon2id; a login gives an expiring random bearer token of which only a keyed
hash is stored, so the database alone never lets anyone in.
"""
