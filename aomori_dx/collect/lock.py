"""One ``collect`` at a time per period: a lock file, created atomically, that names who holds
it, so that a second ``collect`` does not read the tables while the first rewrites them."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

from aomori_dx.validate import Issue, Report
from aomori_dx.validate.codes import Code

LOCK_NAME = ".collect.lock"


def acquire(lock: Path) -> str | None:
    """Create the lock file atomically; ``None`` when taken, else who holds it (in words)."""
    import getpass
    import socket

    try:
        handle = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        try:
            with lock.open("rb") as stream:
                holder = json.loads(stream.read(4096).decode("utf-8"))
            return (
                f"{holder['host']} の {holder['user']}（プロセス {holder['pid']}）が {holder['since']} から"
            )
        except (OSError, ValueError, KeyError, TypeError):
            return "誰かが（ロックファイルの中身が読めません）"
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment: still lock
        user = "（不明）"
    holder = {
        "user": user,
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(holder, stream, ensure_ascii=False)
    except BaseException:
        lock.unlink(missing_ok=True)
        raise
    return None


def locked_out(lock: Path, holder: str) -> Report:
    report = Report()
    report.add(
        Issue.of(
            Code.COLLECT_LOCKED,
            str(lock),
            f"この期には、{holder}取り込み（collect）をしています。終わってから、もう一度実行してください。"
            f"その collect が途中で止まって（強制終了・停電など）ロックファイルだけが残っているときは、"
            f"誰も collect していないことを確かめてから {lock} を削除してください。",
        )
    )
    return report
