"""Results computed from a store's contents, kept in a file beside the store until the contents change.

Reading the network back from an on-disk store is most of what `analyze` costs (the engine turns
every id back into text: 25-50 s at 50,000 actors here), and the next process would do it all again on
the same contents. The file is keyed on the store's fingerprint (Store.contents_key, which every
write changes) and on the code that computed it, and is JSON, never pickle: a store folder handed
on by someone else cannot make this process run anything. A file that cannot be read or written
only means computing again.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from .stores import Store
from .written import written_whole

T = TypeVar("T")


def code_key(modules: Iterable[str]) -> str:
    """A fingerprint of the source files that compute a result: a change to them discards what was kept."""
    digest = hashlib.sha256()
    for module in modules:
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()[:16]


def kept(
    store: Store,
    suffix: str,
    code: str,
    compute: Callable[[], T],
    encode: Callable[[T], Any] = lambda value: value,
    decode: Callable[[Any], T] = lambda value: value,
) -> T:
    """What `compute()` returns for the store's contents as they are: decoded from the JSON file
    `suffix` beside the store when it was computed from the same contents by the same code, else
    computed and written there (as `encode` makes it JSON), if the contents did not change meanwhile.
    A value just computed is handed back as it is, never encoded and decoded again."""
    place, key = store.beside(suffix), store.contents_key()
    if place is None or key is None:
        return compute()
    header = json.dumps({"key": key, "code": code})
    found = _read(place, header)
    if found is not None:
        return decode(found)
    value = compute()
    if store.contents_key() == key:
        _write(place, header, encode(value))
    return value


def _read(place: Path, header: str) -> Any:
    try:
        with place.open(encoding="utf-8") as file:
            if file.readline().rstrip("\n") != header:
                return None
            return json.loads(file.read())
    except (OSError, ValueError):
        return None


def _write(place: Path, header: str, value: Any) -> None:
    """Written whole (kg.written), so a reader never sees half a file; a failure only means no file."""
    try:
        with written_whole(place) as raw, io.TextIOWrapper(raw, encoding="utf-8") as file:
            file.write(header + "\n")
            json.dump(value, file, ensure_ascii=False, separators=(",", ":"))
    except (OSError, ValueError, TypeError):
        return
