"""Where a local database must not live: network shares and removable drives (issue 8).

SQLite relies on the operating system's file locks and on ``fsync`` reaching the disk. Over SMB/NFS either
may silently not hold, and two coordinators on one shared file can corrupt it; a USB stick can be pulled out
mid-write or lost with patient data on it. We refuse such places where we can tell: on Linux from the mount
table (``/proc/mounts``: file system type and mount point) and the kernel's ``removable`` flag, on Windows
from the drive type (UNC paths, mapped network drives, removable drives). Elsewhere we cannot tell and allow.
"""

from __future__ import annotations

import ctypes
import sys
from pathlib import Path, PureWindowsPath

#: File system types that live on another machine (``/proc/mounts`` third field).
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "afs", "coda", "9p", "ceph", "glusterfs", "lustre",
        "gpfs", "davfs", "fuse.sshfs", "fuse.rclone", "fuse.davfs2", "fuse.glusterfs", "fuse.s3fs",
        "fuse.gvfsd-fuse", "fuse.cifs",
    }
)  # fmt: skip
#: Where desktop Linux (udisks) mounts USB sticks and external disks.
REMOVABLE_MOUNT_ROOTS = ("/media/", "/run/media/")

_WINDOWS_DRIVE_REMOVABLE = 2
_WINDOWS_DRIVE_REMOTE = 4

_LOCAL_ADVICE = "Flyt databasen til en lokal mappe på computeren (fx din egen dokumentmappe), og åbn den derfra."


def network_reason(where: str) -> str:
    return (
        f"Databasen ligger på et netværksdrev ({where}). Over netværket kan låsning og skrivning svigte, så "
        "databasen bliver beskadiget, og patientdata skal blive på computeren. Skal flere dele data, så brug "
        f"den delte PostgreSQL-database. {_LOCAL_ADVICE}"
    )


def removable_reason(where: str) -> str:
    return (
        f"Databasen ligger på et flytbart drev ({where}). Et USB-drev kan tages ud midt i en skrivning, så "
        f"databasen bliver beskadiget, og det kan blive væk med patientdata på. {_LOCAL_ADVICE}"
    )


def is_risky_location(
    path: Path | str,
    *,
    mounts: str | None = None,
    sys_root: Path = Path("/sys"),
    platform: str = sys.platform,
) -> str | None:
    """A Danish reason why a database file at ``path`` would be unsafe, or ``None`` (local, or cannot tell).

    ``mounts`` (the text of ``/proc/mounts``), ``sys_root`` and ``platform`` are for tests.
    """
    if platform == "win32":
        return _windows_reason(PureWindowsPath(path))
    if not platform.startswith("linux"):
        return None
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    target = _existing_ancestor(Path(path))
    best: tuple[str, str, str] | None = None  # (mount point, fstype, device)
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        device, mount_point, fstype = _unescape(fields[0]), _unescape(fields[1]), fields[2]
        if _is_under(target, mount_point) and (best is None or len(mount_point) >= len(best[0])):
            best = (mount_point, fstype, device)
    if best is None:
        return None
    mount_point, fstype, device = best
    if fstype in NETWORK_FILESYSTEMS or device.startswith("//"):
        return network_reason(f"{mount_point}, {fstype}")
    if any(f"{mount_point}/".startswith(root) for root in REMOVABLE_MOUNT_ROOTS):
        return removable_reason(mount_point)
    if device.startswith("/dev/") and _kernel_says_removable(device, sys_root):
        return removable_reason(mount_point)
    return None


def _existing_ancestor(path: Path) -> str:
    """The path as the kernel sees it: symlinks resolved, up to the nearest folder that exists."""
    path = path.expanduser().absolute()
    for candidate in (path, *path.parents):
        if candidate.exists():
            return str(candidate.resolve() / path.relative_to(candidate))
    return str(path)


def _is_under(path: str, mount_point: str) -> bool:
    return mount_point == "/" or path == mount_point or path.startswith(mount_point.rstrip("/") + "/")


def _unescape(field: str) -> str:
    """``/proc/mounts`` writes space, tab, newline and backslash as octal escapes (``\\040``)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def _kernel_says_removable(device: str, sys_root: Path) -> bool:
    """``/sys/class/block/sdb1`` → the whole disk's ``removable`` flag (a partition has none of its own)."""
    block = sys_root / "class" / "block" / Path(device).name
    for folder in (block, block.resolve().parent if block.exists() else None):
        if folder is None:
            continue
        try:
            if (folder / "removable").read_text().strip() == "1":
                return True
        except OSError:
            continue
    return False


def _windows_reason(path: PureWindowsPath) -> str | None:
    if path.drive.startswith("\\\\"):  # \\server\share\…
        return network_reason(path.drive)
    if not path.drive:
        return None
    kind = _windows_drive_type(path.drive + "\\")
    if kind == _WINDOWS_DRIVE_REMOTE:
        return network_reason(path.drive)
    if kind == _WINDOWS_DRIVE_REMOVABLE:
        return removable_reason(path.drive)
    return None


def _windows_drive_type(root: str) -> int:
    """``GetDriveTypeW``: 2 removable, 3 fixed, 4 network (a mapped drive too); 0 elsewhere."""
    if sys.platform != "win32":
        return 0
    return int(ctypes.windll.kernel32.GetDriveTypeW(root))
