"""The application database: one SQLAlchemy engine shared by records, documents and staff.

SQLite under the ignored ``var/`` by default; PostgreSQL (or any SQLAlchemy URL) by setting
``PLANBOT_DATABASE_URL``. The packages that own tables (``records``, ``docstore``, ``staff``)
take an engine from here and never open connections of their own.
"""
