"""Which addresses a process and its children talk to, read from /proc while they run: the proof that the comment server opens no connection off this machine.

psutil is not among the project's packages and /proc says the same on Linux: each
process's ``/proc/<pid>/fd`` links its sockets as ``socket:[inode]``, and the tables of
``/proc/<pid>/net/{tcp,tcp6,udp,udp6}`` give each inode its remote address. A sampler
thread reads them every ``interval`` seconds while the run lasts (a DNS query over UDP
counts as well as TCP). A socket opened and closed between two samples escapes it: the
figures say how many sockets were seen, so that a run that saw none proves nothing.
"""

import ipaddress
import os
import threading

TABLES = ("tcp", "tcp6", "udp", "udp6")


def _address(hex_address):
    """``0100007F:1F90`` (or its IPv6 form) as ``(ip_address, port)``."""
    host, port = hex_address.split(":")
    raw = bytes.fromhex(host)
    # /proc writes each 32-bit word in the host's (little-endian) order.
    raw = b"".join(raw[i:i + 4][::-1] for i in range(0, len(raw), 4))
    return ipaddress.ip_address(raw), int(port, 16)


def family(pid):
    """The pids of ``pid`` and of every process below it."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def remote_addresses(pid):
    """``{inode: (ip, port)}`` of the sockets ``pid`` holds that have a remote end (listening ones have none)."""
    inodes = set()
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if target.startswith("socket:["):
                inodes.add(int(target[8:-1]))
    except OSError:
        return {}
    found = {}
    for table in TABLES:
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                next(f)
                for line in f:
                    parts = line.split()
                    inode = int(parts[9])
                    if inode in inodes:
                        remote = _address(parts[2])
                        if remote[1] != 0:
                            found[inode] = remote
        except OSError:
            continue
    return found


class Watch:
    """Samples the sockets of ``pid``'s process tree in a thread while the ``with`` block runs; ``remotes`` and ``sockets`` after."""

    def __init__(self, pid, interval=0.05):
        self.pid, self.interval = pid, interval
        self.remotes = set()  # (ip, port) seen
        self.sockets = set()  # (pid, inode) seen with a remote end
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        while not self._stop.is_set():
            for pid in family(self.pid):
                for inode, remote in remote_addresses(pid).items():
                    self.sockets.add((pid, inode))
                    self.remotes.add(remote)
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(10)

    def outside(self):
        """The remote addresses seen that are not loopback: what would leave the machine."""
        return sorted({str(ip) for ip, _ in self.remotes if not ip.is_loopback
                       and not (ip.version == 6 and ip.ipv4_mapped and ip.ipv4_mapped.is_loopback)})
