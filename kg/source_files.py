"""A file a load reads more than once, never held whole in memory.

A large load reads its file three times: to hash it (is it already loaded?) and measure its lines,
to parse it for the checks, and to bulk-load it into the store's copy beside them. Holding the bytes
between those reads cost as much memory as the file (4.7 GB of the 11.5 GB peak of a million-actor
load); reading it again costs little, since the system keeps it cached. What a load checks must
still be what it writes, so each later read ends by asking whether the file changed since it was
hashed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import InputError


@dataclass(frozen=True)
class SourceFile:
    path: Path
    size: int
    checksum: str  # sha256, hex
    # size, modification time and inode: an edit in place moves the time, a save by rename the inode
    stamp: tuple[int, int, int]
    # in bytes: whether the engine's own parser may take the file (kg.ingest), known from the same read
    longest_line: int = 0

    @classmethod
    def read(cls, path: Path, chunk: int = 1 << 24) -> SourceFile:
        """Hash the file and measure its lines in one read, a chunk at a time (numpy finds the line
        ends: a file of 50,000 actors has 1.6 million lines). A missing file is an empty one, which its
        parser then refuses by name."""
        digest = hashlib.sha256()
        if not path.is_file():
            return cls(path, 0, digest.hexdigest(), (0, 0, 0))
        stamp = _stamp(path)
        longest, last, start = 0, -1, 0  # `last`: where the line before the current one ended
        with path.open("rb") as stream:
            while data := stream.read(chunk):
                digest.update(data)
                ends = np.flatnonzero(np.frombuffer(data, dtype=np.uint8) == 10) + start
                if len(ends):
                    longest = max(longest, int(ends[0]) - last - 1, int(np.diff(ends).max(initial=1)) - 1)
                    last = int(ends[-1])
                start += len(data)
        source = cls(path, stamp[0], digest.hexdigest(), stamp, max(longest, start - last - 1))
        source.unchanged()
        return source

    def unchanged(self) -> None:
        """Refuse the load if the file changed since it was hashed: what was read may mix two versions."""
        if (_stamp(self.path) if self.path.is_file() else (0, 0, 0)) != self.stamp:
            raise InputError(
                self.path, "the file changed while it was being loaded; nothing was written, load it again"
            )


def _stamp(path: Path) -> tuple[int, int, int]:
    status = path.stat()
    return status.st_size, status.st_mtime_ns, status.st_ino


__all__ = ["SourceFile"]
