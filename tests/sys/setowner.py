# setowner.py TYPE ID UID GID: IPC_SET the owner (uid, gid) of object ID
# of TYPE (shm, sem or msg), so that owner and creator differ; the uid
# and gid sit at offsets 4 and 8 of struct ipc_perm, the first member of
# each *id_ds.  Test helper: run only in a private IPC namespace.
import ctypes
import struct
import sys

IPC_SET, IPC_STAT = 1, 2
libc = ctypes.CDLL(None, use_errno=True)
kind, oid = sys.argv[1], int(sys.argv[2])
uid, gid = int(sys.argv[3]), int(sys.argv[4])
buf = ctypes.create_string_buffer(512)


def ctl(cmd):
    if kind == "shm":
        return libc.shmctl(oid, cmd, buf)
    if kind == "sem":
        return libc.semctl(oid, 0, cmd, buf)
    return libc.msgctl(oid, cmd, buf)


if ctl(IPC_STAT) < 0:
    sys.exit("setowner: IPC_STAT: errno %d" % ctypes.get_errno())
struct.pack_into("=II", buf, 4, uid, gid)
if ctl(IPC_SET) < 0:
    sys.exit("setowner: IPC_SET: errno %d" % ctypes.get_errno())
