"""A file a load reads more than once, never held whole in memory.

A large load reads its file three times: to hash it (is it already loaded?), to parse it for the
checks, and to bulk-load it into the store's copy beside them. Holding the bytes between those reads
cost as much memory as the file (4.7 GB of the 11.5 GB peak of a million-actor load); reading it
again costs little, since the system keeps it cached. What a load checks must still be what it writes,
so each later read ends by asking whether the file changed since it was hashed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError


@dataclass(frozen=True)
class SourceFile:
    path: Path
    size: int
    checksum: str  # sha256, hex
    # size, modification time and inode: an edit in place moves the time, a save by rename the inode
    stamp: tuple[int, int, int]

    @classmethod
    def read(cls, path: Path) -> SourceFile:
        """Hash the file in chunks; a missing file is an empty one, which its parser then refuses by name."""
        if not path.is_file():
            return cls(path, 0, hashlib.sha256(b"").hexdigest(), (0, 0, 0))
        stamp = _stamp(path)
        with path.open("rb") as stream:
            checksum = hashlib.file_digest(stream, "sha256").hexdigest()
        source = cls(path, stamp[0], checksum, stamp)
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
