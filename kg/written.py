"""Files written whole: under another name beside the target, renamed over it only when complete.

A reader never sees half a file, and a write that fails (a full disk, a server cutting its answer,
an error in the code producing the bytes) leaves what was there before.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


@contextmanager
def written_whole(path: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes `path` when the block ends without an error, and is removed if it does not."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(handle, 0o644)  # as any file the user writes, rather than mkstemp's 0o600
        with os.fdopen(handle, "wb") as file:
            yield file
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
