"""One running bot per database: an advisory lock the kernel releases when the process dies (even on kill -9)."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class DatabaseInUse(RuntimeError):
    """Another process (a running bot) holds the database."""


class DatabaseLock:
    def __init__(self, database_path: Path) -> None:
        self.database_path = database_path
        self.path = database_path.with_name(database_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise DatabaseInUse(f"{self.database_path} is in use by a running bot; stop it first.") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __enter__(self) -> DatabaseLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
