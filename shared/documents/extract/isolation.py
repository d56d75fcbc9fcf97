"""What keeps a hostile file's code path away from the worker: no network, no privilege, no secrets.

The fork server enters a fresh network namespace once (so every child has only a loopback that is
down), a mount namespace with an empty `/run` (so Unix sockets of local services, such as
Postgres's in `/run/postgresql`, are out of reach), and makes itself non-dumpable. Each child,
before it runs a job, gives up privilege and gets an empty environment and a private temp folder:
- as root, it becomes `nobody` when `nobody` can read the interpreter and the code; otherwise
  (Python under a private home, as on some build machines) it keeps uid 0 but drops every
  capability for good, which still bars it from other processes' `/proc/<pid>/environ` (the
  worker and the server are non-dumpable);
- not as root, it keeps the worker's user; the non-dumpable worker and server still hide their
  environments from it.
Where the platform forbids a step (namespaces refused), the step is skipped and `Isolation` says
so; the worker logs that once.
"""

from __future__ import annotations

import ctypes
import os
import pwd
import tempfile
from dataclasses import asdict, dataclass

CLONE_NEWNET = 0x40000000
CLONE_NEWNS = 0x00020000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 0x2, 0x4, 0x8, 0x4000, 0x40000
CLONE_NEWUSER = 0x10000000
PR_SET_DUMPABLE = 4
PR_CAPBSET_DROP = 24
PR_SET_SECUREBITS = 28
PR_SET_NO_NEW_PRIVS = 38
SECBIT_NOROOT_AND_LOCKED = 0b11  # uid 0 gains no capabilities on exec, and that cannot be undone
CAPABILITY_VERSION_3 = 0x20080522
LAST_CAPABILITY = 63
SANDBOX_USER = "nobody"
# The only variables a child sees: none of them is a secret or names a service.
CHILD_ENVIRONMENT = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "OMP_THREAD_LIMIT": "1"}


@dataclass(frozen=True)
class Isolation:
    network: str  # "namespace" (no network) or "shared" (the platform refused a namespace)
    uid: int | None  # the user children run as, or None when they keep the worker's user
    gid: int | None
    privilege: str = "kept"  # "user" (switched to uid), "capabilities" (uid 0, none left) or "kept"
    run: str = "shared"  # "hidden" (an empty /run of its own) or "shared"

    @property
    def complete(self) -> bool:
        return self.network == "namespace" and self.privilege != "kept" and self.run == "hidden"

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def enter_network_namespace() -> str:
    """Leave the host's network for an empty namespace (needs root, or user namespaces)."""
    libc = _libc()
    for flags in (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            return "namespace"
    return "shared"


def hide_run() -> str:
    """A private mount namespace whose `/run` is an empty tmpfs: no local service's socket is there."""
    libc = _libc()
    if libc.unshare(CLONE_NEWNS) != 0:
        return "shared"
    if libc.mount(None, b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return "shared"
    flags = MS_NOSUID | MS_NODEV | MS_NOEXEC
    if libc.mount(b"tmpfs", b"/run", b"tmpfs", flags, b"size=64k,mode=755") != 0:
        return "shared"
    return "hidden"


def sandbox_ids(readable: list[str]) -> tuple[int, int] | None:
    """The unprivileged user children switch to; None when this process is not root or that user
    could not read every folder in `readable` (the interpreter, the packages, the code)."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SANDBOX_USER)
        ids = (entry.pw_uid, entry.pw_gid)
    except KeyError:
        ids = (65534, 65534)
    return ids if all(_world_readable(path) for path in readable) else None


def _world_readable(path: str) -> bool:
    current = os.path.abspath(path)
    if not os.path.isdir(current) or not os.stat(current).st_mode & 0o005 == 0o005:
        return False
    while current != os.path.dirname(current):
        current = os.path.dirname(current)
        if not os.stat(current).st_mode & 0o001:
            return False
    return True


def make_undumpable() -> None:
    """Others of the same uid (without CAP_SYS_PTRACE) can no longer read this process's memory or environ."""
    _libc().prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)


def _drop_capabilities() -> None:
    libc = _libc()
    for capability in range(LAST_CAPABILITY + 1):
        libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0)  # past the kernel's last one: EINVAL, ignored
    if libc.prctl(PR_SET_SECUREBITS, SECBIT_NOROOT_AND_LOCKED, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "could not lock out root's capabilities on exec")
    header = (ctypes.c_uint32 * 2)(CAPABILITY_VERSION_3, 0)
    if libc.capset(header, (ctypes.c_uint32 * 6)()) != 0:
        raise OSError(ctypes.get_errno(), "could not drop capabilities")


def confine(isolation: Isolation, *, tmp: str) -> None:
    """In a freshly forked child, before it touches the job: drop the user, the environment, privileges."""
    if isolation.uid is not None and isolation.gid is not None:
        os.setgroups([])
        os.setgid(isolation.gid)
        os.setuid(isolation.uid)
    elif isolation.privilege == "capabilities":
        _drop_capabilities()
    _libc().prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    os.environ.clear()
    os.environ.update({**CHILD_ENVIRONMENT, "HOME": tmp, "TMPDIR": tmp})
    os.chdir(tmp)
    tempfile.tempdir = tmp


def share_folder(folder: str, isolation: Isolation) -> None:
    """Hand a job's folder (and what is in it) to the sandbox user, so the child can read and write it."""
    if isolation.uid is None or isolation.gid is None:
        return
    for root, dirs, files in os.walk(folder):
        os.chown(root, isolation.uid, isolation.gid)
        for name in (*dirs, *files):
            os.chown(os.path.join(root, name), isolation.uid, isolation.gid)
