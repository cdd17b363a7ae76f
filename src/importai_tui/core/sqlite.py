"""The SQLite that every connection of the program goes through.

pysqlite3-binary, where it is installed (it has wheels for Linux on x86-64), brings a
current SQLite of its own: FTS5 ranks matches 1.4–1.5 times as fast in 3.51 as in the
3.40 that Debian 12's Python links to (full-text search at 10,000 issues, p95 13 against
20 ms, and 23 against 31–34 ms when the machine was slower), and indexes faster
(import 650 against 530–610 issues a second). Elsewhere Python's own module serves, the
same API.

All connections to a file in one process must go through the same copy of SQLite: two
copies keep their own record of the locks they hold, and closing the file in one drops
the other's (https://www.sqlite.org/howtocorrupt.html, 2.2.1). So nothing in the program
imports ``sqlite3`` but from here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the same API; the standard library's types are the ones checked
    import sqlite3 as sqlite3
else:
    try:
        from pysqlite3 import dbapi2 as sqlite3
    except ImportError:
        import sqlite3

__all__ = ["sqlite3"]
