"""A real Virtuoso for the remote-store tests: started on 127.0.0.1 with its own ini in a temp folder.

Debian's `virtuoso-opensource-7-bin` is enough (no Conductor); SPARQL Update is granted to the
anonymous SPARQL user through isql, as a user pointing avcluster at their own server would.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

INI = """\
[Database]
DatabaseFile = {d}/virtuoso.db
ErrorLogFile = {d}/virtuoso.log
LockFile = {d}/virtuoso.lck
TransactionFile = {d}/virtuoso.trx
xa_persistent_file = {d}/virtuoso.pxa
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {d}/virtuoso-temp.db
TransactionFile = {d}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
DirsAllowed = {d}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {d}
ServerThreads = 8
MaxClientConnections = 8

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {max_seconds}
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Virtuoso:
    def __init__(self, folder: Path, *, max_rows: int = 1_000_000, max_seconds: int = 120) -> None:
        """`max_rows`: where the server cuts an answer (its ResultSetMaxRows); `max_seconds`: where it
        stops a query (its MaxQueryExecutionTime)."""
        self.folder = folder
        self.sql_port, self.http_port = _free_port(), _free_port()
        self.url = f"http://127.0.0.1:{self.http_port}/sparql"
        (folder / "virtuoso.ini").write_text(
            INI.format(
                d=folder, sql_port=self.sql_port, http_port=self.http_port, max_rows=max_rows, max_seconds=max_seconds
            ),
            encoding="utf-8",
        )
        subprocess.run(
            ["virtuoso-t", "+configfile", str(folder / "virtuoso.ini"), "+wait"],
            cwd=folder,
            check=True,
            capture_output=True,
            timeout=120,
        )
        self._wait()
        subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=5):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"Virtuoso did not come up; see {self.folder / 'virtuoso.log'}")

    def stop(self) -> None:
        subprocess.run(
            ["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", "exec=shutdown();"],
            capture_output=True,
            timeout=60,
        )


def available() -> bool:
    return shutil.which("virtuoso-t") is not None and shutil.which("isql-vt") is not None
