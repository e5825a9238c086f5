"""One window per data folder: a second start hands its file to the window already open.

Double-clicking a ``.cdspkg`` while CĐS Desktop is open started a second window on the same
data.  Now the first window listens on a local socket (a named pipe on Windows) named after
the user and the data folder; a later start on the same folder connects, sends what it was
asked to open (a package or a unit workbook, or nothing), and exits; the open window comes to
the front and shows the file's check on the Exchange screen.  Another data folder (``--data-dir``)
is another name: its window opens as usual.  Whether a window is open at all is asked first
through the data folder's lock (:mod:`.instance_lock`), without loading QtNetwork.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_MS = 300  # an open window answers at once; a stale name is refused at once
HANDOVER_WAIT_MS = 10_000  # a window that holds the lock but does not listen yet: still starting
RETRY_S = 0.1
MAX_MESSAGE = 64 * 1024


def server_name(data_dir: str | Path | None, db_url: str | None = None) -> str:
    """The socket's name for this user and data (a hash: no path or URL in a system-wide name)."""
    try:
        user = getpass.getuser()
    except Exception:  # no user name in the environment
        user = ""
    where = db_url or str(Path(data_dir).expanduser().resolve() if data_dir else "default")
    digest = hashlib.sha256(f"{user}\0{where}".encode()).hexdigest()[:20]
    return f"cds-desktop-{digest}"


def hand_over(name: str, open_file: str | None, wait_ms: int = 0) -> bool:
    """Give *open_file* (or just "come to the front") to a window already open under *name*;
    False when there is none (this start opens the window).  *wait_ms*: try to connect that
    long (a window holding the data folder's lock listens only after its first paint)."""
    deadline = time.monotonic() + wait_ms / 1000
    socket = QLocalSocket()
    socket.connectToServer(name)
    while not socket.waitForConnected(CONNECT_MS):
        if time.monotonic() >= deadline:
            return False
        time.sleep(RETRY_S)
        socket.connectToServer(name)
    message = json.dumps({"open_file": str(Path(open_file).resolve()) if open_file else None}).encode() + b"\n"
    socket.write(message)
    delivered = socket.waitForBytesWritten(CONNECT_MS) and socket.waitForReadyRead(2_000)
    answer = bytes(socket.readAll().data()) if delivered else b""
    socket.disconnectFromServer()
    if answer.strip() != b"ok":
        log.warning("The open window did not answer; opening another one")
        return False
    log.info("Handed over to the open window (%s)", open_file or "no file")
    return True


class InstanceServer(QObject):
    """Listens for later starts on the same data; emits what each asked to open."""

    requested = Signal(object)  # the file to open (str), or None: just come to the front

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not self.server.listen(name):
            QLocalServer.removeServer(name)  # a name left by a window that crashed
            if not self.server.listen(name):
                log.warning("Cannot listen as %s: %s", name, self.server.errorString())
        self.server.newConnection.connect(self._accept)

    @property
    def listening(self) -> bool:
        return self.server.isListening()

    def _accept(self) -> None:
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.readyRead.connect(self._read)
            socket.disconnected.connect(socket.deleteLater)

    @Slot()
    def _read(self) -> None:
        socket = self.sender()
        if not isinstance(socket, QLocalSocket) or not socket.canReadLine():
            if isinstance(socket, QLocalSocket) and socket.bytesAvailable() > MAX_MESSAGE:
                socket.abort()
            return
        line = bytes(socket.readLine().data())
        try:
            message = json.loads(line)
            path = message.get("open_file")
            if path is not None and not isinstance(path, str):
                raise ValueError("open_file")
        except (ValueError, AttributeError):
            log.warning("Ignored a malformed message from another start")
            socket.abort()
            return
        socket.write(b"ok\n")
        socket.flush()
        self.requested.emit(path)


def bring_to_front(window, open_file: Callable[[str], object]) -> Callable[[str | None], None]:
    """The slot for :attr:`InstanceServer.requested`: raise *window*, then open the file if any."""
    def handle(path: str | None) -> None:
        if window.isMinimized():
            window.showNormal()
        window.raise_()
        window.activateWindow()
        if path:
            open_file(path)
    return handle
