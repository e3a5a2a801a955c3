"""Run the app under uvicorn: one process, or several worker processes sharing the data.

Screening and paging events are CPU-bound Python, so one process uses one core however
many requests wait. With ``workers > 1`` the parent binds the socket, loads the lists,
the screening index, the events, the case and the trade analysis once, then forks the
workers: they share that memory (copy-on-write) and the port, and the kernel spreads
connections over them (on Linux evenly, by SO_REUSEPORT). Only what holds an open file or
connection (the positions view, the alert store) is opened by each worker itself.
Forking needs a POSIX system.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import sys
from types import FrameType
from typing import Any

from armswatch.api._app import create_app, freeze_loaded
from armswatch.api._settings import Settings
from armswatch.errors import BadInputError

log = logging.getLogger("armswatch.api")


def _config(app: Any, settings: Settings, log_level: str, access_log: bool) -> Any:
    import uvicorn

    # loop and http "auto": uvloop and httptools when installed (the pinned extras)
    return uvicorn.Config(app, host=settings.host, port=settings.port, log_level=log_level,
                          access_log=access_log, server_header=False, lifespan="on")


def _bind(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host.strip("[]"), port))
    except OSError as exc:
        sock.close()
        raise BadInputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _sockets(host: str, port: int, workers: int) -> list[socket.socket]:
    """One listening socket per worker where the kernel balances connections over
    sockets sharing a port (Linux SO_REUSEPORT: keep-alive clients spread evenly),
    else one socket shared by all (whichever worker wakes first accepts)."""
    if sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT"):
        first = _bind(host, port, reuse_port=True)
        port = first.getsockname()[1]  # port 0: the others join the one picked
        socks = [first]
        try:
            socks += [_bind(host, port, reuse_port=True) for _ in range(workers - 1)]
        except BadInputError:
            for sock in socks:
                sock.close()
            raise
        return socks
    return [_bind(host, port, reuse_port=False)] * workers


def serve(settings: Settings, workers: int = 1, log_level: str = "info",
          access_log: bool = False) -> int:
    """Serve the app for ``settings`` until interrupted; returns an exit code.

    ``workers`` > 1 forks that many processes after loading the data once (POSIX only).
    ``access_log`` logs one line per request (off by default: it costs CPU on every
    request; keys never appear in URLs, so it holds no secrets)."""
    import uvicorn

    if workers < 1:
        raise BadInputError(f"--workers must be at least 1, not {workers}")
    if workers == 1:
        uvicorn.Server(_config(create_app(settings), settings, log_level, access_log)).run()
        return 0
    if not hasattr(os, "fork"):
        raise BadInputError("--workers > 1 needs a system with fork (Linux, macOS); "
                            "use --workers 1")
    app = create_app(settings, warm=False)
    log.info("loading the data once for %d workers", workers)
    app.state.provider.warm(fork_safe=True)
    freeze_loaded()
    socks = _sockets(settings.host, settings.port, workers)
    children: list[int] = []
    parent = os.getpid()
    for sock in socks:
        pid = os.fork()
        if pid == 0:  # the worker: serve on its socket, never return
            code = 1
            try:
                _die_with_parent(parent)
                uvicorn.Server(_config(app, settings, log_level, access_log)).run(
                    sockets=[sock])
                code = 0
            finally:
                os._exit(code)
        children.append(pid)
    for sock in set(socks):
        sock.close()
    return _supervise(children)


def _die_with_parent(parent: int) -> None:
    """A worker whose supervisor is killed (even by SIGKILL) stops too (Linux); elsewhere
    it lives on until stopped."""
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the line above
        os._exit(1)


def _supervise(children: list[int]) -> int:
    """Wait for the workers; on SIGINT/SIGTERM stop them all; if one dies, stop the rest."""
    stopping = False

    def stop(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with contextlib.suppress(ProcessLookupError):  # already gone
                os.kill(pid, signal.SIGTERM)  # graceful in uvicorn (SIGINT twice forces)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    code = 0
    alive = set(children)
    while alive:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        alive.discard(pid)
        exit_code = os.waitstatus_to_exitcode(status)
        if not stopping:
            print(f"armswatch: worker {pid} exited ({exit_code}); stopping the others",
                  file=sys.stderr)
            code = 1
            stop(signal.SIGTERM, None)
    return code
