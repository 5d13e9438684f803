"""The PostgreSQL backend: every SQL statement of the server store lives in this package (docs/postgres.md).

``base`` holds the connection side (URL and schema, pool, nested transactions, advisory locks, NOTIFY),
``schema`` the migrations, ``inbox`` the inbox and the outbox's claims, ``records`` the loop's records and the
audit chain, ``store`` PostgresStore itself (articles, people, routes, synonyms, questions).
"""

from knowledge.postgres.store import PostgresStore

__all__ = ["PostgresStore"]
