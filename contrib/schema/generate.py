#!/usr/bin/python3
"""Write the JSON Schemas of ipctune's documents (draft 2020-12) into
the directory given, one per document a command prints with --format
json: status, list, owners, snapshot, error, fit, plan, orphans, clean,
report, recommendation, apply, verify, rollback, profiles, profile,
forecast, show, watch_event, watch_summary, explain and facts (NAME-1.json),
and clean_backup, the manifest clean --backup-dir writes.
The .json files are committed; tests/sys/t_schema.sh checks that they match this generator and that
every command's documents have one, so edit here and rerun:
    python3 contrib/schema/generate.py contrib/schema
"""
import json, sys, os
OUT = sys.argv[1]
SAFE = 9007199254740991
BASE = "urn:ipctune:schema:"

EXACT_NOTE = ("JSON consumers (jq, JavaScript) read integers exactly only up "
    "to 2^53-1 = 9007199254740991.  A member that may hold a larger kernel "
    "value (for example the default kernel.shmmax and kernel.shmall, "
    "18446744073692774399) is then null, and a sibling member named "
    "<name>_exact holds its exact decimal digits as a string.  Below 2^53 "
    "the member is a JSON integer and <name>_exact is absent.")

defs = {
    "u64": {"description": "an unsigned kernel value, exact up to 2^53-1; "
            "null with a sibling <name>_exact above that",
            "type": ["integer", "null"], "minimum": 0, "maximum": SAFE},
    "exact": {"description": "the exact decimal digits of a value above "
              "2^53-1 (at most 2^64-1)", "type": "string",
              "pattern": "^([1-9][0-9]{15,18}|1[0-8][0-9]{18})$"},
    "time": {"description": "seconds since the epoch, or null for never",
             "type": ["integer", "null"], "minimum": 0, "maximum": SAFE},
    "ratio": {"description": "used / limit (above 1 when over the limit), "
              "or null", "type": ["number", "null"], "minimum": 0},
    "id": {"description": "the IPC identifier", "type": "integer",
           "minimum": 0, "maximum": 2147483647},
    "key": {"description": "the IPC key as an unsigned 32-bit number",
            "type": "integer", "minimum": 0, "maximum": 4294967295},
    "xid": {"description": "a uid or gid", "type": "integer", "minimum": 0,
            "maximum": 4294967295},
    "pid": {"description": "a PID (0: none); the kernel's PID_MAX_LIMIT "
            "is 4194304", "type": "integer", "minimum": 0,
            "maximum": 4194304},
}

def exact(props, rules, name, nullable):
    """NAME's <name>_exact string: NAME is null when it is there, and a
    null NAME needs it unless NAME may be null on its own."""
    props[name + "_exact"] = {"$ref": "#/$defs/exact"}
    rules.append({"if": {"required": [name + "_exact"]},
                  "then": {"properties": {name: {"type": "null"}}}})
    if not nullable:
        rules.append({"if": {"properties": {name: {"type": "null"}},
                             "required": [name]},
                      "then": {"required": [name + "_exact"]}})

def u64(props, rules, name, desc, nullable=False):
    props[name] = {"$ref": "#/$defs/u64", "description": desc}
    exact(props, rules, name, nullable)

def held(props, rules, name, desc, nullable=False):
    """A sysctl field as the kernel holds it: a u64 (with _exact), or a
    negative int where proc_dointvec took one (a kernel.sem field,
    fs.mqueue.queues_max)."""
    props[name] = {"description": desc, "type": ["integer", "null"],
                   "minimum": -INT_MAX - 1, "maximum": SAFE}
    exact(props, rules, name, nullable)

def obj(props, required, rules=None, desc=None):
    o = {"type": "object"}
    if desc:
        o["description"] = desc
    o["properties"] = props
    o["required"] = required
    o["additionalProperties"] = False
    if rules:
        o["allOf"] = rules
    return o

def envelope(doc):
    ns = obj({
        "inode": {"description": "inode of the IPC namespace file "
                  "(stat -L -c %i /proc/PID/ns/ipc); null when unknown "
                  "(--root)", "type": ["integer", "null"], "minimum": 1,
                  "maximum": SAFE},
        "pid": {"description": "the --pid given, or null",
                "type": ["integer", "null"], "minimum": 1,
                "maximum": 4194304},
        "path": {"description": "the --ns path given, or null",
                 "type": ["string", "null"]},
        "source": {"enum": ["live", "root", "snapshot"]},
        "source_detail": {"description": "the --root directory or --from "
                          "file, or null", "type": ["string", "null"]},
        "hostname": {"type": "string"},
        "container": obj({
            "runtime": {"description": "the runtime named by the cgroup "
                        "layout: podman, docker, containerd, cri-o, lxc, "
                        "...", "type": "string", "minLength": 1},
            "id": {"description": "the container id (or name) in its "
                   "cgroup path", "type": "string", "minLength": 1},
        }, ["runtime", "id"], desc="the container the --pid (or "
            "--container) process runs in; absent when none"),
    }, ["inode", "pid", "path", "source", "source_detail", "hostname"],
        desc="the IPC namespace this document describes")
    return {
        "schema_version": {"const": 1},
        "document": {"const": doc},
        "tool": obj({"name": {"const": "ipctune"},
                     "version": {"type": "string",
                                 "pattern": "^[0-9]+\\.[0-9]+\\.[0-9]+"}},
                    ["name", "version"]),
        "generated_at": {"description": "RFC 3339 UTC time",
                         "type": "string",
                         "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T"
                         "[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"},
        "ipc_namespace": ns,
    }

ENV_REQ = ["schema_version", "document", "tool", "generated_at",
           "ipc_namespace"]

def host():
    p, r = {}, []
    p["hostname"] = {"type": "string", "maxLength": 255}
    p["kernel_release"] = {"type": "string", "maxLength": 127}
    p["page_size_bytes"] = {"type": "integer", "minimum": 1,
                            "maximum": 1073741824}
    u64(p, r, "ram_bytes", "MemTotal in bytes")
    p["ncpu"] = {"type": "integer", "minimum": 1, "maximum": 1048576}
    p["ipcmni_extend"] = {"description": "booted with ipcmni_extend "
                          "(IPCMNI 16777216 instead of 32768)",
                          "type": "boolean"}
    p["read_at_unix"] = {"type": "integer", "minimum": 0, "maximum": SAFE}
    return obj(p, ["hostname", "kernel_release", "page_size_bytes",
                   "ram_bytes", "ncpu", "ipcmni_extend", "read_at_unix"], r)

INT_MAX = 2147483647
SYSCTLS = {
    "kernel.shmmax": ("bytes", None), "kernel.shmall": ("pages", None),
    "kernel.shmmni": ("segments", 16777216),
    "kernel.shm_rmid_forced": ("boolean", 1),
    "kernel.msgmax": ("bytes", INT_MAX), "kernel.msgmnb": ("bytes", INT_MAX),
    "kernel.msgmni": ("queues", 16777216),
    # an unsigned int: -1 written through proc_dointvec is 4294967295
    "fs.mqueue.queues_max": ("queues", 4294967295),
    "fs.mqueue.msg_max": ("messages", INT_MAX),
    "fs.mqueue.msgsize_max": ("bytes", INT_MAX),
    "fs.mqueue.msg_default": ("messages", INT_MAX),
    "fs.mqueue.msgsize_default": ("bytes", INT_MAX),
}

def sysctls():
    p = {}
    for name, (unit, mx) in SYSCTLS.items():
        sp, r = {"raw": {"description": "the text the kernel printed",
                         "type": "string", "maxLength": 95}}, []
        if mx is None:
            u64(sp, r, "value", "the value")
        else:
            sp["value"] = {"type": "integer", "minimum": 0, "maximum": mx}
        sp["unit"] = {"const": unit}
        p[name] = obj(sp, ["raw", "value", "unit"], r)
    # proc_dointvec: any int; only SEMMNI is range-checked
    semf = {"type": "integer", "minimum": -INT_MAX - 1, "maximum": INT_MAX}
    p["kernel.sem"] = obj({
        "raw": {"type": "string", "maxLength": 95},
        "semmsl": dict(semf, description="max semaphores per array"),
        "semmns": dict(semf, description="max semaphores in all arrays"),
        "semopm": dict(semf, description="max operations per semop call"),
        "semmni": dict(semf, minimum=0, maximum=16777216,
                       description="max arrays (bounded by IPCMNI)"),
        "unit": {"const": ""},
    }, ["raw", "semmsl", "semmns", "semopm", "semmni", "unit"],
        desc="kernel.sem as named fields, signed as the kernel holds them "
        "(a negative field is kept as it is and reported as a finding)")
    return obj(p, [], desc="the IPC sysctls as read; absent ones (no "
               "CONFIG_POSIX_MQUEUE, old kernels) are left out")

RES = ["shmmni", "shmall", "shmmax", "semmni", "semmns", "semmsl", "semopm",
       "msgmni", "msgmnb", "msgmax", "mqueue_queues", "dev_shm",
       "dev_shm_inodes", "mqueue_msg_max", "mqueue_msgsize_max",
       "mqueue_bytes"]
UNITS = ["segments", "pages", "bytes", "arrays", "semaphores", "operations",
         "queues", "inodes", "messages"]

def resources():
    p, r = {}, []
    p["name"] = {"enum": RES}
    p["description"] = {"type": "string"}
    p["unit"] = {"enum": UNITS}
    p["sysctl"] = {"description": "the sysctl that sets the limit, or null",
                   "type": ["string", "null"]}
    held(p, r, "limit", "the limit, or null when unknown: the value "
         "the sysctl holds, a negative int included (a kernel.sem field; "
         "free and used_ratio judge what the kernel makes of it)", True)
    u64(p, r, "used", "usage, or null where no usage applies", True)
    u64(p, r, "free", "limit - used (0 when over), or null", True)
    p["used_ratio"] = {"$ref": "#/$defs/ratio"}
    p["object_id"] = {"description": "the object behind a largest/fullest "
                      "row", "$ref": "#/$defs/id"}
    u64(p, r, "object_limit", "msgmnb: the fullest queue's own qbytes")
    u64(p, r, "largest_new", "shmmax: the largest segment that would be "
        "created now (shmmax, pages left under shmall, a free shmmni slot)")
    p["scan_skipped"] = {"description": "present (true) when usage needs "
                         "every object and they were not read: more than "
                         "4096 of them without --scan; used is then null",
                         "const": True}
    return {"type": "array", "minItems": len(RES), "maxItems": len(RES),
            "items": obj(p, ["name", "description", "unit", "sysctl",
                             "limit", "used", "free", "used_ratio"], r)}

def findings():
    return {"type": "array", "items": obj({
        "level": {"enum": ["info", "warning", "critical"]},
        "code": {"description": "machine-readable, e.g. shmall_below_shmmax",
                 "type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
        "resource": {"anyOf": [{"enum": RES}, {"type": "null"}]},
        "message": {"type": "string", "minLength": 1},
    }, ["level", "code", "resource", "message"])}

def kernel_constants():
    return {"description": "limits the kernel fixes when it is built "
            "(no sysctl, no usage), as lsipc -g shows them",
            "type": "array", "items": obj({
                "name": {"enum": ["semvmx", "shmmin"]},
                "description": {"type": "string", "minLength": 1},
                "unit": {"type": "string", "minLength": 1},
                "value": {"$ref": "#/$defs/u64"},
            }, ["name", "description", "unit", "value"])}

def perm(p):
    p["id"] = {"$ref": "#/$defs/id"}
    p["key"] = {"$ref": "#/$defs/key"}
    p["key_hex"] = {"type": "string", "pattern": "^0x[0-9a-f]{8}$"}
    p["uid"] = {"$ref": "#/$defs/xid", "description": "owner uid"}
    p["user"] = {"description": "owner name, or the uid as text",
                 "type": "string"}
    p["gid"] = {"$ref": "#/$defs/xid"}
    p["group"] = {"type": "string"}
    p["cuid"] = {"$ref": "#/$defs/xid", "description": "creator uid"}
    p["cuser"] = {"description": "creator name, or the cuid as text",
                  "type": "string"}
    p["cgid"] = {"$ref": "#/$defs/xid"}
    p["cgroup"] = {"description": "creator group name, or the cgid as "
                   "text", "type": "string"}
    p["perms"] = {"description": "mode & 0777 in octal", "type": "string",
                  "pattern": "^0[0-7]{3}$"}
    p["mode"] = {"description": "the kernel's mode, with SHM_DEST (01000) "
                 "and SHM_LOCKED (02000) for segments", "type": "integer",
                 "minimum": 0, "maximum": 4095}
PERM = ["id", "key", "key_hex", "uid", "user", "gid", "group", "cuid", "cgid",
        "perms", "mode"]

def shm_obj():
    p, r = {}, []
    perm(p)
    u64(p, r, "size_bytes", "segment size")
    u64(p, r, "pages", "pages charged against shmall: ceil(size / page)")
    u64(p, r, "nattch", "attached processes")
    p["cpid"] = {"$ref": "#/$defs/pid"}
    p["lpid"] = {"$ref": "#/$defs/pid"}
    for t in ("atime_unix", "dtime_unix", "ctime_unix"):
        p[t] = {"$ref": "#/$defs/time"}
    p["dest"] = {"description": "removed, waiting for the last detach",
                 "type": "boolean"}
    p["locked"] = {"description": "SHM_LOCK", "type": "boolean"}
    u64(p, r, "rss_bytes", "resident bytes (the /proc/sysvipc reader "
        "only; null otherwise)", True)
    u64(p, r, "swap_bytes", "swapped bytes (as rss_bytes)", True)
    return obj(p, PERM + ["size_bytes", "pages", "nattch", "cpid", "lpid",
               "atime_unix", "dtime_unix", "ctime_unix", "dest", "locked",
               "rss_bytes", "swap_bytes"], r)

def sem_obj():
    p, r = {}, []
    perm(p)
    # ksys_semget(): 0 < nsems <= SEMMSL, an int
    p["nsems"] = {"description": "semaphores in the array",
                  "type": "integer", "minimum": 1, "maximum": INT_MAX}
    p["otime_unix"] = {"$ref": "#/$defs/time"}
    p["ctime_unix"] = {"$ref": "#/$defs/time"}
    return obj(p, PERM + ["nsems", "otime_unix", "ctime_unix"], r)

def msg_obj():
    p, r = {}, []
    perm(p)
    u64(p, r, "used_bytes", "bytes queued")
    u64(p, r, "messages", "messages queued")
    u64(p, r, "qbytes", "the queue's own limit (msg_qbytes; the syscall "
        "reader only, null from /proc/sysvipc)", True)
    p["lspid"] = {"$ref": "#/$defs/pid"}
    p["lrpid"] = {"$ref": "#/$defs/pid"}
    for t in ("stime_unix", "rtime_unix", "ctime_unix"):
        p[t] = {"$ref": "#/$defs/time"}
    return obj(p, PERM + ["used_bytes", "messages", "qbytes", "lspid",
               "lrpid", "stime_unix", "rtime_unix", "ctime_unix"], r)

def posix_common(p, r):
    """The members every POSIX object has (a file of /dev/shm or of the
    mqueue fs)."""
    esc = ("control characters and bytes that are not UTF-8 escaped as "
           "\\xHH, a backslash before x as \\x5c")
    p["name"] = {"description": "the name as given to shm_open, sem_open "
                 "or mq_open: '/' and the file name (without sem. for a "
                 "semaphore); " + esc, "type": "string", "pattern": "^/"}
    p["file"] = {"description": "the file's name in its directory; " + esc,
                 "type": "string", "minLength": 1}
    p["file_hex"] = {"description": "the file name's bytes in hex, exact",
                     "type": "string",
                     "pattern": "^([0-9a-f]{2}){1,255}$"}
    p["uid"] = {"$ref": "#/$defs/xid", "description": "the file's owner"}
    p["user"] = {"description": "owner name, or the uid as text",
                 "type": "string"}
    p["gid"] = {"$ref": "#/$defs/xid"}
    p["group"] = {"type": "string"}
    p["perms"] = {"description": "mode & 07777 in octal", "type": "string",
                  "pattern": "^[0-7]{4}$"}
    p["mode"] = {"description": "the file's permission bits",
                 "type": "integer", "minimum": 0, "maximum": 4095}
    u64(p, r, "size_bytes", "the file's size (st_size)")
    u64(p, r, "allocated_bytes", "bytes allocated (st_blocks * 512)")
    for t in ("atime_unix", "mtime_unix", "ctime_unix"):
        p[t] = {"$ref": "#/$defs/time"}
    u64(p, r, "dev", "st_dev: with inode, what holders are matched by")
    u64(p, r, "inode", "st_ino")
    holder = obj({"pid": {"$ref": "#/$defs/pid", "description":
                          "the process; 0: a loop device whose backing "
                          "file it is (/sys/block/loopN/loop/"
                          "backing_file), named by comm, with mapped "
                          "and open false"},
                  "comm": {"type": "string", "description":
                           "/proc/PID/comm, escaped; for pid 0 the loop "
                           "device's name"},
                  "mapped": {"type": "boolean", "description":
                             "a mapping in /proc/PID/maps"},
                  "open": {"type": "boolean", "description":
                           "an open descriptor in /proc/PID/fd, in a "
                           "thread's /proc/PID/task/TID/fd, or in the "
                           "fixed file table of an io_uring it holds"}},
                 ["pid", "comm", "mapped", "open"])
    p["holders"] = {"description": "the processes mapping it or holding it "
                    "open (in any thread's descriptor table), and the "
                    "loop devices it backs (pid 0), by PID; null when "
                    "no holder scan ran",
                    "anyOf": [{"type": "array", "items": holder},
                              {"type": "null"}]}
    return ["name", "file", "file_hex", "uid", "user", "gid", "group",
            "perms", "mode", "size_bytes", "allocated_bytes", "atime_unix",
            "mtime_unix", "ctime_unix", "dev", "inode", "holders"]

def pshm_obj():
    p, r = {}, []
    req = posix_common(p, r)
    return obj(p, req, r, desc="a file of /dev/shm (shm_open)")

def psem_obj():
    p, r = {}, []
    req = posix_common(p, r)
    p["value"] = {"description": "the semaphore's value from glibc's sem_t "
                  "in the file, or null if it holds none",
                  "type": ["integer", "null"], "minimum": 0,
                  "maximum": 4294967295}
    p["waiters"] = {"description": "threads waiting in sem_wait (glibc "
                    "with 64-bit atomics), or null",
                    "type": ["integer", "null"], "minimum": 0,
                    "maximum": 4294967295}
    return obj(p, req + ["value", "waiters"], r,
               desc="a named semaphore, /dev/shm/sem.NAME (sem_open)")

def pmq_obj():
    p, r = {}, []
    req = posix_common(p, r)
    u64(p, r, "qsize_bytes", "QSIZE: bytes of messages queued, or null "
        "when the queue's text could not be read", True)
    for n, d in (("notify", "NOTIFY: sigev_notify of the registration"),
                 ("signo", "SIGNO: the notification signal")):
        p[n] = {"description": d + ", or null", "type": ["integer", "null"],
                "minimum": -2147483648, "maximum": 2147483647}
    p["notify_pid"] = {"description": "NOTIFY_PID, or null",
                       "anyOf": [{"$ref": "#/$defs/pid"}, {"type": "null"}]}
    for n, d in (("maxmsg", "mq_getattr mq_maxmsg"),
                 ("msgsize", "mq_getattr mq_msgsize"),
                 ("messages", "mq_getattr mq_curmsgs")):
        p[n] = {"description": d + ", or null", "type": ["integer", "null"],
                "minimum": 0}
    return obj(p, req + ["qsize_bytes", "notify", "signo", "notify_pid",
                         "maxmsg", "msgsize", "messages"], r,
               desc="a POSIX message queue, a file of the mqueue fs")

def posix_fs():
    p, r = {}, []
    p["read"] = {"type": "boolean"}
    p["why_not"] = {"description": "why it was not read, or null",
                    "type": ["string", "null"]}
    p["path"] = {"description": "the directory read", "type": "string"}
    p["source"] = {"description": "the mount's source (mountinfo)",
                   "type": "string"}
    p["fstype"] = {"enum": ["tmpfs", "mqueue", "other", ""]}
    for n, d in (("dev", "st_dev of the directory"),
                 ("size_bytes", "statvfs f_blocks * f_frsize"),
                 ("free_bytes", "statvfs f_bavail * f_frsize"),
                 ("inodes", "statvfs f_files"),
                 ("free_inodes", "statvfs f_favail"),
                 ("skipped", "entries that are not regular files"),
                 ("unreadable", "entries fstatat could not read")):
        u64(p, r, n, d)
    return {"anyOf": [obj(p, ["read", "why_not", "path", "source", "fstype",
                              "dev", "size_bytes", "free_bytes", "inodes",
                              "free_inodes", "skipped", "unreadable"], r),
                      {"type": "null"}],
            "description": "null when not tried"}

def posix_member():
    p, r = {}, []
    h = {}
    h["done"] = {"type": "boolean"}
    u64(h, r, "processes", "processes inspected")
    u64(h, r, "processes_partial", "processes whose maps or fd could not "
        "be read: their holds are unknown")
    return obj({"dev_shm": posix_fs(), "mqueue": posix_fs(),
                "holder_scan": obj(h, ["done", "processes",
                                       "processes_partial"], r)},
               ["dev_shm", "mqueue", "holder_scan"],
               desc="where the POSIX objects were read: the /dev/shm of "
               "the mount namespace reported and the mqueue fs of the IPC "
               "namespace; absent when no POSIX type was read")

def objects_props():
    return {
        "shm": {"type": "array", "items": {"$ref": "#/$defs/shm_object"}},
        "sem": {"type": "array", "items": {"$ref": "#/$defs/sem_object"}},
        "msg": {"type": "array", "items": {"$ref": "#/$defs/msg_object"}},
        "pshm": {"type": "array", "items": {"$ref": "#/$defs/pshm_object"}},
        "psem": {"type": "array", "items": {"$ref": "#/$defs/psem_object"}},
        "pmq": {"type": "array", "items": {"$ref": "#/$defs/pmq_object"}},
    }

def posix_limits():
    p, r = {}, []
    p["dev_shm_path"] = {"description": "the tmpfs read: /dev/shm, or "
                         "/proc/PID/root/dev/shm with --pid; null when "
                         "not read", "type": ["string", "null"]}
    u64(p, r, "dev_shm_inodes", "its inodes (nr_inodes), or null when "
        "unknown or unlimited", True)
    u64(p, r, "dev_shm_inodes_used", "its inodes in use, or null", True)
    p["mqueue_caller_uid"] = {"description": "the real uid whose "
                              "RLIMIT_MSGQUEUE was read",
                              "$ref": "#/$defs/xid"}
    u64(p, r, "mqueue_rlimit_bytes", "the caller's soft RLIMIT_MSGQUEUE, "
        "or null when unlimited or unknown", True)
    p["mqueue_rlimit_unlimited"] = {"type": "boolean"}
    u64(p, r, "mqueue_max_maxmsg", "the largest mq_maxmsg of a queue read")
    u64(p, r, "mqueue_max_msgsize", "the largest mq_msgsize of a queue "
        "read")
    u64(p, r, "mqueue_unreadable", "queues that could not be opened")
    w, wr = {}, []
    w["uid"] = {"$ref": "#/$defs/xid"}
    u64(w, wr, "queues", "this user's queues read")
    u64(w, wr, "bytes", "what they charge against RLIMIT_MSGQUEUE")
    u64(w, wr, "unreadable", "this user's queues not opened")
    p["mqueue_charges"] = {"description": "per user, largest first, at "
                           "most 16; null when the queues were not read",
                           "anyOf": [{"type": "array", "maxItems": 16,
                                      "items": obj(w, ["uid", "queues",
                                                       "bytes",
                                                       "unreadable"], wr)},
                                     {"type": "null"}]}
    return obj(p, ["dev_shm_path", "dev_shm_inodes", "dev_shm_inodes_used",
                   "mqueue_caller_uid", "mqueue_rlimit_bytes",
                   "mqueue_rlimit_unlimited", "mqueue_charges"], r,
               desc="the POSIX limits that are no sysctl (absent in "
               "snapshots of older versions)")

def usage():
    p, r = {}, []
    for n, d in (("shm_segments", "SHM_INFO used_ids"),
                 ("shm_pages", "SHM_INFO shm_tot: pages charged against "
                  "shmall"),
                 ("shm_rss_pages", "SHM_INFO shm_rss"),
                 ("shm_swap_pages", "SHM_INFO shm_swp"),
                 ("sem_arrays", "SEM_INFO semusz"),
                 ("sem_semaphores", "SEM_INFO semaem"),
                 ("msg_queues", "MSG_INFO msgpool"),
                 ("msg_messages", "MSG_INFO msgmap"),
                 ("msg_bytes", "MSG_INFO msgtql")):
        u64(p, r, n, d)
    u64(p, r, "mqueue_queues", "POSIX message queues, or null when they "
        "cannot be counted", True)
    u64(p, r, "dev_shm_size_bytes", "size of the /dev/shm tmpfs, or null",
        True)
    u64(p, r, "dev_shm_used_bytes", "bytes used in /dev/shm, or null", True)
    p["posix_limits"] = posix_limits()
    return obj(p, ["shm_segments", "shm_pages", "shm_rss_pages",
                   "shm_swap_pages", "sem_arrays", "sem_semaphores",
                   "msg_queues", "msg_messages", "msg_bytes",
                   "mqueue_queues", "dev_shm_size_bytes",
                   "dev_shm_used_bytes"], r,
               desc="the namespace's totals (the kernel's *_INFO counters "
               "live; summed from the objects for --root)")

def owners():
    p, r = {}, []
    p["uid"] = {"$ref": "#/$defs/xid"}
    p["user"] = {"type": "string"}
    for n, d, ratio in (("shm_segments", "segments owned", "shmmni_ratio"),
                        ("shm_pages", "pages charged", "shmall_ratio"),
                        ("shm_bytes", "bytes in segments", None),
                        ("sem_arrays", "arrays owned", "semmni_ratio"),
                        ("sem_semaphores", "semaphores", "semmns_ratio"),
                        ("msg_queues", "queues owned", "msgmni_ratio"),
                        ("msg_bytes", "bytes queued", None),
                        ("msg_messages", "messages queued", None)):
        u64(p, r, n, d)
        if ratio:
            p[ratio] = {"$ref": "#/$defs/ratio",
                        "description": "share of the namespace-wide limit"}
    for n, d in (("pshm_objects", "POSIX shared memory objects"),
                 ("pshm_bytes", "their file sizes"),
                 ("pshm_allocated_bytes", "their bytes allocated"),
                 ("psem_semaphores", "POSIX named semaphores"),
                 ("psem_allocated_bytes", "their bytes allocated"),
                 ("pmq_queues", "POSIX message queues"),
                 ("pmq_bytes", "bytes queued in them (QSIZE)")):
        u64(p, r, n, d + "; present only when the type was read")
    req = ["uid", "user", "shm_segments", "shmmni_ratio", "shm_pages",
           "shmall_ratio", "shm_bytes", "sem_arrays", "semmni_ratio",
           "sem_semaphores", "semmns_ratio", "msg_queues", "msgmni_ratio",
           "msg_bytes", "msg_messages"]
    return {"type": "array", "items": obj(p, req, r)}

def schema(doc, title, desc, props, req, extra_defs=None, rules=None):
    d = dict(defs)
    if extra_defs:
        d.update(extra_defs)
    s = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE + doc + "-1",
        "title": title,
        "description": desc + "  " + EXACT_NOTE,
        "type": "object",
        "properties": props,
        "required": req,
        "additionalProperties": False,
        "$defs": d,
    }
    if rules:
        s["allOf"] = rules
    with open(os.path.join(OUT, doc + "-1.json"), "w") as f:
        json.dump(s, f, indent=2)
        f.write("\n")

objdefs = {"shm_object": shm_obj(), "sem_object": sem_obj(),
           "msg_object": msg_obj(), "pshm_object": pshm_obj(),
           "psem_object": psem_obj(), "pmq_object": pmq_obj()}
p = envelope("status")
p.update({"host": host(), "sysctls": sysctls(), "resources": resources(),
          "findings": findings(), "kernel_constants": kernel_constants()})
schema("status", "ipctune status, schema version 1",
       "Output of 'ipctune status --format json': one row per IPC "
       "resource with limit, usage and headroom, and the findings.", p,
       ENV_REQ + ["host", "sysctls", "resources", "findings"])
p = envelope("error")
del p["ipc_namespace"]
p["error"] = obj({
    "message": {"description": "the message also printed on stderr",
                "type": "string", "minLength": 1},
    "exit_status": {"description": "the exit status of the run",
                    "type": "integer", "minimum": 1, "maximum": 255},
}, ["message", "exit_status"])
schema("error", "ipctune error, schema version 1",
       "What a command run with --format json prints on stdout instead of "
       "its document when it fails at run time (the same message goes to "
       "stderr, and the exit status is not 0).", p,
       ["schema_version", "document", "tool", "generated_at", "error"])
def ns_resource():
    p, r = {}, []
    p["resource"] = {"enum": RES}
    held(p, r, "limit", "the limit in the resource's unit as the "
         "sysctl holds it (a negative kernel.sem field keeps its sign); "
         "null when none", nullable=True)
    u64(p, r, "used", "the usage; null when not known", nullable=True)
    p["ratio"] = {"anyOf": [{"$ref": "#/$defs/ratio"}, {"type": "null"}]}
    return obj(p, ["resource", "limit", "used", "ratio"], r)

def namespace_row():
    p = {}
    p["ipc_ns"] = {"description": "inode of the IPC namespace",
                   "type": "integer", "minimum": 1, "maximum": SAFE}
    p["host"] = {"description": "the host's namespace (PID 1's)",
                 "type": "boolean"}
    p["state"] = {"description": "read: the figures were read inside it; "
                  "gone: its processes exited during the scan; denied: "
                  "it could not be entered", "enum": ["read", "not_read",
                                                      "gone", "denied"]}
    p["reason"] = {"type": ["string", "null"]}
    p["pid"] = {"description": "its lowest PID", "type": "integer",
                "minimum": 1, "maximum": 4194304}
    p["processes"] = {"type": "integer", "minimum": 1, "maximum": SAFE}
    p["owner"] = {"description": "the container (or unit) its cgroup "
                  "paths name; null when no known pattern matches",
                  "anyOf": [{"type": "null"}, obj({
                      "kind": {"enum": ["container", "unit"]},
                      "runtime": {"type": "string", "minLength": 1},
                      "id": {"type": "string", "minLength": 1},
                      "name": {"type": ["string", "null"]},
                      "pod": {"type": ["string", "null"]},
                  }, ["kind", "runtime", "id", "name", "pod"])]}
    p["containers"] = {"description": "containers among its cgroup paths",
                       "type": "integer", "minimum": 0, "maximum": SAFE}
    p["cgroups"] = {"description": "the distinct cgroup paths of its "
                    "processes (at most 32)", "type": "array",
                    "items": {"type": "string"}, "maxItems": 32}
    p["idle"] = {"description": "nothing of any resource in use",
                 "type": "boolean"}
    p["tightest"] = {"anyOf": [{"type": "null"}, ns_resource()]}
    p["limits_differ"] = {"description": "its sysctls differ from the "
                          "host's; null when the host's are not known",
                          "type": ["boolean", "null"]}
    p["differing_sysctls"] = {"type": "array", "items": {"type": "string"}}
    p["dev_shm"] = {"description": "the distinct /dev/shm its processes "
                    "see (one per mount namespace, by device)",
                    "type": "array", "items": obj({
                        "device": {"type": "string",
                                   "pattern": "^[0-9]+:[0-9]+$"},
                        "size_bytes": {"type": ["integer", "null"],
                                       "minimum": 0, "maximum": SAFE},
                        "used_bytes": {"type": ["integer", "null"],
                                       "minimum": 0, "maximum": SAFE},
                    }, ["device", "size_bytes", "used_bytes"])}
    p["figures"] = {"anyOf": [{"type": "null"}, obj({
        "resources": {"type": "array", "items": ns_resource()},
        "sysctls": {"type": "object",
                    "additionalProperties": {"type": "string"}},
    }, ["resources", "sysctls"])]}
    return obj(p, list(p.keys()))

p = envelope("namespaces")
del p["ipc_namespace"]
p["host_ipc_ns"] = {"type": ["integer", "null"], "minimum": 1,
                    "maximum": SAFE}
p["processes"] = {"type": "integer", "minimum": 0, "maximum": SAFE}
p["processes_vanished"] = {"description": "processes that exited during "
                           "the scan", "type": "integer", "minimum": 0,
                           "maximum": SAFE}
p["processes_unreadable"] = {"description": "processes whose namespace "
                             "link could not be read (not root): their "
                             "namespaces may be missing",
                             "type": "integer", "minimum": 0,
                             "maximum": SAFE}
p["namespaces"] = {"type": "array", "items": namespace_row()}
schema("namespaces", "ipctune namespaces, schema version 1",
       "Output of 'ipctune namespaces --format json': every IPC namespace "
       "on the host, tightest first, with its container, figures and "
       "/dev/shm.", p,
       ["schema_version", "document", "tool", "generated_at",
        "host_ipc_ns", "processes", "processes_vanished",
        "processes_unreadable", "namespaces"])
def list_filter():
    xid = {"anyOf": [{"$ref": "#/$defs/xid"}, {"type": "null"}]}
    return obj({
        "types": {"type": "array", "items": {"enum": ["shm", "sem", "msg",
                  "pshm", "psem", "pmq"]},
                  "minItems": 1, "maxItems": 6, "uniqueItems": True},
        "id": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "null"}]},
        "key": {"anyOf": [{"$ref": "#/$defs/key"}, {"type": "null"}]},
        "uid": xid,
        "cuid": xid,
        "older_than_seconds": {"type": ["integer", "null"], "minimum": 0},
    }, ["types", "id", "key", "uid", "cuid", "older_than_seconds"],
        desc="present only when a filter option was given (--type, --id, "
        "--key, --owner, --creator, --older-than): the filters applied, "
        "null where not given; older_than_seconds counts from each "
        "object's ctime")

p = envelope("list")
p["filter"] = list_filter()
p.update(objects_props())
p["posix"] = posix_member()
schema("list", "ipctune list, schema version 1",
       "Output of 'ipctune list [shm|sem|msg|pshm|psem|pmq] --format json': "
       "every object of the types asked for (a type not asked for, or a "
       "POSIX type that could not be read, is absent) that passes the "
       "filters.",
       p, ENV_REQ, objdefs)
def show_proc(extra=None, extra_req=()):
    p = {
        "pid": {"$ref": "#/$defs/pid"},
        "state": {"description": "whether the process runs: none (PID "
                  "0: none recorded, or not visible from ipctune's PID "
                  "namespace), runs, gone (no such process, or a zombie), "
                  "unknown (it could not be inspected), reused (a process "
                  "with that PID runs but started more than 60 s after "
                  "the object recorded it), ambiguous (started less than "
                  "60 s after: may be reused); null when not read (--from)",
                  "enum": ["none", "runs", "gone", "unknown", "reused",
                           "ambiguous", None]},
        "command": {"description": "its comm, while it runs",
                    "type": ["string", "null"]},
        "uid": {"anyOf": [{"$ref": "#/$defs/xid"}, {"type": "null"}],
                "description": "its effective uid (/proc/PID/status)"},
        "user": {"type": ["string", "null"]},
    }
    p.update(extra or {})
    return obj(p, ["pid", "state", "command", "uid", "user"] +
               list(extra_req))

def show_defs():
    sem = obj({
        "num": {"type": "integer", "minimum": 0, "maximum": 65535},
        "value": {"description": "semval (GETVAL)", "type": "integer",
                  "minimum": 0, "maximum": 32767},
        "ncnt": {"description": "tasks waiting for the value to grow "
                 "(GETNCNT)", "type": "integer", "minimum": 0},
        "zcnt": {"description": "tasks waiting for zero (GETZCNT)",
                 "type": "integer", "minimum": 0},
        "last_pid": {"$ref": "#/$defs/show_proc",
                     "description": "sempid (GETPID)"},
    }, ["num", "value", "ncnt", "zcnt", "last_pid"])
    waiter = show_proc({"call": {"description": "the system call a "
                                 "thread of the process is blocked in",
                                 "enum": ["semop", "semtimedop", "msgsnd",
                                          "msgrcv"]},
                       "call_arg": {"description": "what the call asks "
                                    "for, from its registers: semop and "
                                    "semtimedop the number of operations "
                                    "(nsops), msgsnd the message size in "
                                    "bytes (msgsz), msgrcv the type "
                                    "wanted (msgtyp: 0 any, > 0 that "
                                    "type, < 0 the lowest type up to its "
                                    "absolute value); null when not shown",
                                    "type": ["integer", "null"],
                                    "minimum": -SAFE, "maximum": SAFE},
                       "semops": {"description": "semop, semtimedop: the "
                                  "operations asked for (the first 8), "
                                  "read from the caller's memory (root or "
                                  "the same user); null when not read",
                                  "anyOf": [{"type": "null"},
                                            {"type": "array", "maxItems": 8,
                                             "items": obj({
                                                 "num": {"type": "integer",
                                                         "minimum": 0,
                                                         "maximum": 65535},
                                                 "op": {"type": "integer",
                                                        "minimum": -32768,
                                                        "maximum": 32767},
                                                 "undo": {"type": "boolean"},
                                                 "nowait": {"type":
                                                            "boolean"},
                                             }, ["num", "op", "undo",
                                                 "nowait"])}]}},
                      ["call", "call_arg", "semops"])
    d = dict(objdefs)
    d.update({"show_proc": show_proc(), "show_sem": sem,
              "show_waiter": waiter})
    return d

def show_doc():
    p = envelope("show")
    roles = {r: {"$ref": "#/$defs/show_proc"}
             for r in ("cpid", "lpid", "lspid", "lrpid")}
    p.update({
        "type": {"enum": ["shm", "sem", "msg"]},
        "object": {"description": "the object's members, as 'list' "
                   "writes them", "type": "object"},
        "perms_text": {"description": "the permission bits as ls(1) "
                       "shows them", "type": "string",
                       "pattern": "^[r-][w-][x-][r-][w-][x-][r-][w-][x-]$"},
        "live": {"description": "true: read from the running system; "
                 "false: from a snapshot, which holds the fields only, so "
                 "attachers, semaphores and waiters are null",
                 "type": "boolean"},
        "pids": {"description": "the PIDs the object records (shm: cpid, "
                 "lpid; msg: lspid, lrpid), each with its process",
                 "type": "object", "properties": roles,
                 "additionalProperties": False},
        "attachers": {"description": "shm: the processes that map it "
                      "(/proc/PID/maps); null when not read",
                      "anyOf": [{"type": "array", "items":
                                 {"$ref": "#/$defs/show_proc"}},
                                {"type": "null"}]},
        "semaphores": {"description": "sem: one item per semaphore; null "
                       "when not read",
                       "anyOf": [{"type": "array", "items":
                                  {"$ref": "#/$defs/show_sem"}},
                                 {"type": "null"}]},
        "waiters": {"description": "sem, msg: the processes with a thread "
                    "blocked on the object (/proc/PID/task/TID/syscall); "
                    "null when not read",
                    "anyOf": [{"type": "array", "items":
                               {"$ref": "#/$defs/show_waiter"}},
                              {"type": "null"}]},
        "waiters_partial": {"description": "some process could not be "
                            "inspected, so a waiter may be missing",
                            "type": "boolean"},
    })
    per = lambda t, ref, req, absent: {
        "if": {"properties": {"type": {"const": t}}},
        "then": {"properties": {"object": {"$ref": "#/$defs/" + ref},
                                "pids": {"required": req[0]}},
                 "required": req[1],
                 "not": {"anyOf": [{"required": [a]} for a in absent]}}}
    rules = [
        per("shm", "shm_object", (["cpid", "lpid"], ["attachers"]),
            ["semaphores", "waiters", "waiters_partial"]),
        per("sem", "sem_object", ([], ["semaphores", "waiters",
                                       "waiters_partial"]), ["attachers"]),
        per("msg", "msg_object", (["lspid", "lrpid"], ["waiters",
                                                       "waiters_partial"]),
            ["attachers", "semaphores"]),
    ]
    return p, rules

p, rules = show_doc()
schema("show", "ipctune show, schema version 1",
       "Output of 'ipctune show shm|sem|msg ID --format json': one object "
       "in detail, with what only the live system tells about it.", p,
       ENV_REQ + ["type", "object", "perms_text", "live", "pids"],
       show_defs(), rules)
p = envelope("owners")
p["owners"] = owners()
schema("owners", "ipctune owners, schema version 1",
       "Output of 'ipctune owners --format json': IPC usage summed per "
       "owning uid, with the share of each namespace-wide limit.", p,
       ENV_REQ + ["owners"])
def orphans():
    count = lambda d: {"type": "integer", "minimum": 0, "description": d}
    posix = ["pshm", "psem", "pmq"]
    item = obj({"type": {"enum": ["shm", "sem", "msg"] + posix},
                "id": {"description": "the IPC identifier; -1 for a POSIX "
                       "object, which has none",
                       "anyOf": [{"$ref": "#/$defs/id"}, {"const": -1}]},
                "reasons": {"type": "array", "items": {
                    "type": "string", "pattern": "^[a-z_]+$"},
                    "description": "the reason codes of 'ipctune orphans'"}},
               ["type", "id", "reasons"],
               [{"if": {"properties": {"type": {"enum": posix}}},
                 "then": {"properties": {"id": {"const": -1}}},
                 "else": {"properties": {"id": {"minimum": 0}}}}])
    return obj({"shm": count("orphaned shared memory segments"),
                "sem": count("orphaned semaphore arrays"),
                "msg": count("orphaned message queues"),
                "pshm": count("orphaned POSIX shm files; the POSIX "
                              "members are absent when no POSIX object "
                              "was read (a --root tree) and in snapshots "
                              "of older versions"),
                "psem": count("orphaned POSIX named semaphores"),
                "pmq": count("orphaned POSIX message queues"),
                "suspect": obj({t: count("POSIX objects of this type whose "
                                         "users are gone, younger than the "
                                         "grace age") for t in posix},
                               posix),
                "pshm_bytes": {"$ref": "#/$defs/u64", "description":
                               "bytes of /dev/shm the orphaned POSIX shm "
                               "files hold"},
                "unknown": count("objects whose evidence could not be read"),
                "objects": {"type": "array", "items": item}},
               ["shm", "sem", "msg", "unknown", "objects"],
               desc="The verdicts of 'ipctune orphans', judged where the "
               "snapshot was taken (a reader elsewhere cannot see the "
               "processes).  Absent in snapshots of older versions, whose "
               "orphans also lack the POSIX members.")

p = envelope("snapshot")
p.update({"host": host(), "sysctls": sysctls(), "usage": usage(),
          "resources": resources(), "findings": findings(),
          "orphans": orphans(), "posix": posix_member(),
          "objects": obj(objects_props(), ["shm", "sem", "msg"])})
schema("snapshot", "ipctune snapshot, schema version 1",
       "Output of 'ipctune snapshot': the whole IPC state of one namespace, "
       "the input of --from.  Loaders check every member's type and range.",
       p, ENV_REQ + ["host", "sysctls", "usage", "resources", "findings",
                     "objects"], objdefs)

# -- fit, plan, orphans, clean ---------------------------------------------

def u64n(props, rules, name, desc):
    """A u64 member that may be null on its own (no _exact needed)."""
    u64(props, rules, name, desc, True)

FIT_CAUSES = ["shm_size_zero", "shmmax", "shm_size_overflow", "shmall",
              "shm_size_file_max", "shmmni", "semmsl", "sem_nsems_zero", "semmns", "semmni",
              "semopm", "semop_nsops_zero", "msgmni", "msgmax", "msgmnb",
              "queue_full",
              "key_missing", "key_exists", "key_segment_smaller",
              "key_array_smaller", "key_permission"]
# --posix-shm-size and --mq-*: the tmpfs and mq_open checks
FIT_CAUSES += ["dev_shm_inodes", "dev_shm_size", "mqueue_queues_max",
               "mqueue_attr_zero", "mqueue_msg_max", "mqueue_msgsize_max",
               "mqueue_hard_msgmax", "mqueue_hard_msgsizemax",
               "mqueue_overflow", "mqueue_rlimit"]
FIT_CALLS = ["shmget", "semget", "semop", "msgget", "msgsnd", "shm_open",
             "mq_open"]
ERRNOS = ["EINVAL", "ENOSPC", "E2BIG", "EAGAIN"]
# what a get by key (fit --key) adds: ipcget_public() and ipcperms()
FIT_ERRNOS = ERRNOS + ["ENOENT", "EEXIST", "EACCES", "EMFILE", "EOVERFLOW"]

def fit_fix():
    p, r = {}, []
    p["cause"] = {"enum": FIT_CAUSES}
    p["limit"] = {"description": "the limit's name (shmall, SEMMNS), or "
                  "null for a check that is no tunable limit",
                  "type": ["string", "null"]}
    p["sysctl"] = {"type": ["string", "null"]}
    p["unit"] = {"type": "string"}
    held(p, r, "current", "the limit now, as the sysctl holds it (a "
         "negative kernel.sem field keeps its sign)")
    u64(p, r, "needed", "the smallest value that lets every call pass")
    p["raisable"] = {"description": "needed is within what the kernel "
                     "accepts", "type": "boolean"}
    u64n(p, r, "or_free", "usage to remove instead of raising, or null "
         "when removing usage alone does not help")
    return obj(p, ["cause", "limit", "sysctl", "unit", "current", "needed",
                   "raisable", "or_free"], r)

def fit_key_holder():
    p, r = {}, []
    p["id"] = {"$ref": "#/$defs/id"}
    p["key"] = {"$ref": "#/$defs/key"}
    p["key_hex"] = {"type": "string", "pattern": "^0x[0-9a-f]{8}$"}
    for n in ("uid", "gid", "cuid", "cgid"):
        p[n] = {"$ref": "#/$defs/xid"}
    p["user"] = {"type": "string"}
    p["group"] = {"type": "string"}
    p["perms"] = {"type": "string", "pattern": "^0[0-7]{3}$"}
    p["mode"] = {"type": "integer", "minimum": 0, "maximum": 65535}
    u64(p, r, "size_bytes", "shmget: the segment's size")
    u64(p, r, "nsems", "semget: the array's semaphores")
    p["granted_as"] = {"description": "which bits of the mode apply to "
                       "the caller", "enum": ["owner", "group", "other"]}
    p["verdict"] = {"description": "how 'orphans' judges the object, or "
                    "null when not judged (--from)",
                    "type": ["string", "null"]}
    p["reasons"] = {"description": "the reason codes of the verdict",
                    "anyOf": [{"type": "array", "items": {"type": "string"}},
                              {"type": "null"}]}
    return obj(p, ["id", "key", "key_hex", "uid", "gid", "cuid", "cgid",
                   "perms", "mode", "granted_as", "verdict", "reasons"], r)

def fit_no_live_user():
    p, r = {}, []
    u64(p, r, "objects", "orphaned plus suspect")
    u64(p, r, "orphaned", "judged orphaned")
    u64(p, r, "suspect", "every recorded process gone, younger than "
        "--min-age")
    u64(p, r, "freed", "what removing them all frees, in the failing "
        "limit's unit")
    p["enough"] = {"description": "removing them makes room for the "
                   "whole request", "type": "boolean"}
    w, wr = {}, []
    w["uid"] = {"$ref": "#/$defs/xid"}
    w["user"] = {"type": "string"}
    u64(w, wr, "objects", "of them, this owner's")
    p["owners"] = {"description": "the owners with the most, at most 3",
                   "type": "array", "maxItems": 3,
                   "items": obj(w, ["uid", "user", "objects"], wr)}
    u64(p, r, "owner_count", "owners in all")
    return obj(p, ["objects", "orphaned", "suspect", "freed", "enough",
                   "owners", "owner_count"], r)

def fit_call():
    p, r = {}, []
    p["call"] = {"enum": FIT_CALLS}
    u64(p, r, "size_bytes", "shmget: each segment; msgsnd: the message")
    u64(p, r, "pages_each", "shmget: ceil(size / page size)")
    u64(p, r, "sems_per_array", "semget: semaphores in each array")
    u64(p, r, "operations", "semop: operations in the one call")
    p["filesystem"] = {"description": "shm_open: the tmpfs read (/dev/shm, "
                       "or /proc/PID/root/dev/shm with --pid)",
                       "type": "string"}
    u64(p, r, "mq_maxmsg", "mq_open: mq_maxmsg of each queue")
    u64(p, r, "mq_msgsize", "mq_open: mq_msgsize of each queue")
    u64(p, r, "charge_each_bytes", "mq_open: what each queue charges "
        "against RLIMIT_MSGQUEUE: mq_maxmsg * mq_msgsize + overhead "
        "(ipc/mqueue.c mqueue_get_inode())")
    u64(p, r, "charge_overhead_bytes", "mq_open: the overhead part, "
        "mq_maxmsg * sizeof(struct msg_msg) + min(mq_maxmsg, MQ_PRIO_MAX) "
        "* sizeof(struct posix_msg_tree_node)")
    u64(p, r, "charge_before_bytes", "mq_open: the caller's queues in "
        "this IPC namespace charge this much already")
    u64n(p, r, "rlimit_bytes", "mq_open: the caller's soft "
         "RLIMIT_MSGQUEUE, or null when unlimited")
    p["key"] = {"$ref": "#/$defs/key",
                "description": "--key: the key the get call looks up "
                "(shmget, semget, msgget; absent for IPC_PRIVATE)"}
    p["key_hex"] = {"type": "string", "pattern": "^0x[0-9a-f]{8}$"}
    p["key_holder"] = {"description": "--key: the object that holds the "
                       "key, or null when none does",
                       "anyOf": [fit_key_holder(), {"type": "null"}]}
    u64(p, r, "attempts", "calls made, one after another")
    u64(p, r, "succeeded", "calls that succeed before the first failure")
    p["fits"] = {"type": "boolean"}
    p["errno"] = {"anyOf": [{"enum": FIT_ERRNOS}, {"type": "null"}]}
    p["errno_value"] = {"enum": [2, 7, 11, 13, 17, 22, 24, 28, 75, None]}
    p["cause"] = {"anyOf": [{"enum": FIT_CAUSES}, {"type": "null"}]}
    p["limit"] = {"type": ["string", "null"]}
    p["sysctl"] = {"type": ["string", "null"]}
    p["unit"] = {"type": "string"}
    u64(p, r, "in_use", "usage when the first failure happens")
    u64(p, r, "needed", "what the failing call asks for")
    held(p, r, "limit_value", "the limit it is checked against, as the "
         "sysctl holds it (negative with limit_negative)")
    p["limit_negative"] = {"description": "a kernel.sem field below 0",
                           "type": "boolean"}
    p["message"] = {"description": "why, naming the limit",
                    "type": "string", "minLength": 1}
    p["advice"] = {"description": "the smallest change that makes it fit",
                   "type": "string"}
    p["fixes"] = {"type": "array", "items": fit_fix()}
    p["no_live_user"] = {"description": "a failure that removing "
                         "objects can cure (shmmni, shmall, SEMMNI, "
                         "SEMMNS, msgmni), on the live kernel: the "
                         "objects of that type with no live user, judged "
                         "as 'orphans' judges them; null when not judged",
                         "anyOf": [fit_no_live_user(), {"type": "null"}]}
    r.append({"if": {"properties": {"fits": {"const": False}}},
              "then": {"required": ["unit", "in_use", "needed",
                                    "limit_value", "limit_negative",
                                    "message", "advice"],
                       "properties": {"errno": {"enum": FIT_ERRNOS}}},
              "else": {"properties": {"errno": {"type": "null"},
                                      "cause": {"type": "null"}}}})
    for call, req in (("shmget", ["size_bytes", "pages_each"]),
                      ("semget", ["sems_per_array"]),
                      ("semop", ["operations"]),
                      ("msgsnd", ["size_bytes"]),
                      ("shm_open", ["filesystem", "size_bytes",
                                    "pages_each"]),
                      ("mq_open", ["mq_maxmsg", "mq_msgsize",
                                   "charge_each_bytes",
                                   "charge_overhead_bytes",
                                   "charge_before_bytes",
                                   "rlimit_bytes"])):
        r.append({"if": {"properties": {"call": {"const": call}}},
                  "then": {"required": req}})
    return obj(p, ["call", "attempts", "succeeded", "fits", "errno",
                   "errno_value", "cause", "limit", "sysctl", "fixes"], r)

p = envelope("fit")
p["fits"] = {"description": "every requested call succeeds (exit 0; "
             "4 if not)", "type": "boolean"}
p["page_size_bytes"] = {"type": "integer", "minimum": 1,
                        "maximum": 1073741824}
p["ipc_mni"] = {"description": "the kernel's cap on the *mni limits",
                "enum": [32768, 16777216]}
p["calls"] = {"type": "array", "minItems": 1, "maxItems": 7,
              "items": fit_call()}
schema("fit", "ipctune fit, schema version 1",
       "Output of 'ipctune fit --format json': per system call the "
       "kernel's answer predicted from its own checks in its own order, "
       "the limit responsible and the smallest change that makes it fit.",
       p, ENV_REQ + ["fits", "page_size_bytes", "ipc_mni", "calls"])

SEMF = ["semmsl", "semmns", "semopm", "semmni"]

def sem_value():
    p, r = {}, []
    for f in SEMF:
        held(p, r, f, "kernel.sem field " + f + " (negative only when "
             "the kernel holds it so)")
    return obj(p, SEMF, r, desc="kernel.sem as named fields, signed as "
               "the kernel holds them")

def rec_value(props, rules, name, desc, nullable=False):
    """A recommend-shaped value: a number (with _exact) or kernel.sem."""
    props[name] = {"description": desc,
                   "anyOf": [{"$ref": "#/$defs/u64"},
                             {"$ref": "#/$defs/sem_value"}]}
    exact(props, rules, name, nullable)

def rec_sysctls():
    p, r = {}, []
    p["sysctl"] = {"type": "string",
                   "pattern": "^(kernel\\.(shm|sem|msg)[a-z_]*|"
                   "fs\\.mqueue\\.[a-z_]+)$"}
    rec_value(p, r, "current", "the running value, or null if not read",
              True)
    rec_value(p, r, "profile", "the value asked for, clamped to what the "
              "kernel accepts")
    rec_value(p, r, "recommended", "the value to set: raised only (the "
              "current value where it is higher)")
    p["action"] = {"enum": ["keep", "raise", "lower"]}
    p["clamped"] = {"type": "boolean"}
    p["below_usage"] = {"type": "boolean"}
    p["why"] = {"type": "string"}
    return {"type": "array", "items": obj(p, ["sysctl", "current",
            "profile", "recommended", "action", "clamped", "below_usage",
            "why"], r)}

PLAN_LIMITS = ["shmmax", "shmall", "shmmni", "semmsl", "semmns", "semmni",
               "semopm", "msgmni", "msgmnb", "mqueue_queues"]
DEMAND = ["shm_segments", "shm_bytes", "sem_arrays", "sems_per_array",
          "semop_ops", "msg_queues", "msg_bytes", "mq_queues"]

def plan_limits():
    p, r = {}, []
    p["limit"] = {"enum": PLAN_LIMITS}
    p["sysctl"] = {"type": "string"}
    p["field"] = {"description": "the kernel.sem field, or null",
                  "anyOf": [{"enum": SEMF}, {"type": "null"}]}
    p["unit"] = {"enum": ["bytes", "pages", "segments", "semaphores",
                          "arrays", "operations", "queues"]}
    p["per_object"] = {"description": "caps each object, so the number "
                       "of instances does not matter", "type": "boolean"}
    held(p, r, "current", "the sysctl field now as the kernel holds it "
         "(a negative kernel.sem field keeps its sign; action and "
         "instances_fit judge what the kernel makes of it), or null if "
         "not read", True)
    u64n(p, r, "used", "in use now (count limits), or null")
    u64(p, r, "per_instance", "what one instance needs")
    u64n(p, r, "needed", "the smallest value K more instances need (at "
         "least used + K x per_instance); null beyond 2^64")
    u64(p, r, "max", "the largest value the kernel accepts")
    p["action"] = {"enum": ["keep", "raise", "beyond_max"]}
    u64n(p, r, "instances_fit", "instances this limit alone allows now; "
         "null for any number")
    return {"type": "array", "items": obj(p, ["limit", "sysctl", "field",
            "unit", "per_object", "current", "used", "per_instance",
            "needed", "max", "action", "instances_fit"], r)}

def plan_demand():
    p, r = {}, []
    for d in DEMAND:
        u64n(p, r, d, "per instance, from the profile's [demand]; null "
             "when the profile does not set it")
    return obj(p, DEMAND, r)

def plan_fits():
    p, r = {}, []
    u64n(p, r, "instances", "instances that fit with today's limits and "
         "usage (fit's checks), or null for any number")
    p["enough"] = {"description": "the K instances asked for fit",
                   "type": "boolean"}
    p["next_fails"] = {"anyOf": [{"type": "null"}, obj({
        "call": {"enum": FIT_CALLS + ["mq_open"]},
        "errno": {"enum": ERRNOS},
        "limit": {"type": "string"},
        "text": {"type": ["string", "null"]},
    }, ["call", "errno", "limit", "text"],
        desc="what the first instance beyond those runs into")]}
    return obj(p, ["instances", "enough", "next_fails"], r)

p = envelope("plan")
p["profile"] = {"type": "string", "minLength": 1}
p["sets"] = {"description": "the --set NAME=EXPR given",
             "type": "array", "items": {"type": "string"}}
p["instances"] = {"description": "K, the instances planned",
                  "type": "integer", "minimum": 1, "maximum": 1000000000}
p["demand"] = plan_demand()
seg, segr = {}, []
u64(seg, segr, "count", "segments per instance")
u64(seg, segr, "bytes", "each: shm_bytes / count, rounded up")
u64(seg, segr, "pages", "each, rounded up to pages as newseg() does")
p["shm_segments"] = {"anyOf": [{"type": "null"},
                               obj(seg, ["count", "bytes", "pages"], segr)]}
p["page_size_bytes"] = {"type": "integer", "minimum": 1,
                        "maximum": 1073741824}
p["limits"] = plan_limits()
p["runs_out_first"] = {"description": "the limit that allows the fewest "
                       "instances, or null when none bounds them",
                       "anyOf": [{"enum": PLAN_LIMITS}, {"type": "null"}]}
p["fits_now"] = plan_fits()
p["changes"] = {"description": "some sysctl is to be raised",
                "type": "boolean"}
p["sysctls"] = rec_sysctls()
p["warnings"] = {"type": "array", "items": {"type": "string"}}
schema("plan", "ipctune plan, schema version 1",
       "Output of 'ipctune plan -p NAME -n K --format json': per limit the "
       "demand of one instance, the value K more need and the instances "
       "the limit allows, how many fit now, and in 'sysctls' the values "
       "to set in the shape of 'recommend' ('apply --from-plan FILE' "
       "writes them).", p,
       ENV_REQ + ["profile", "sets", "instances", "demand", "shm_segments",
                  "page_size_bytes", "limits", "runs_out_first", "fits_now",
                  "changes", "sysctls", "warnings"],
       {"sem_value": sem_value()})

REASONS = ["no_attach", "creator_dead", "last_pid_dead", "pid_reused",
           "marked_dest", "last_op_pid_dead", "never_operated",
           "sender_dead", "receiver_dead", "never_used", "holds_messages",
           "attached", "creator_alive", "last_pid_alive",
           "last_op_pid_alive", "sender_alive", "receiver_alive",
           "too_young", "pid_not_visible", "no_evidence", "waiting",
           "pid_unreadable", "start_ambiguous", "pids_incomplete",
           "waits_unreadable", "may_be_locked", "not_held", "owner_gone",
           "held", "owner_runs", "holders_incomplete",
           "backs_loop_device"]

def orphan_pid():
    p, r = {}, []
    p["role"] = {"description": "waiter: blocked in semop, msgsnd or "
                 "msgrcv on the object now (no times); loop_device: a "
                 "loop device it backs, pid 0, named by command",
                 "enum": ["creator", "last_attach", "last_op", "sender",
                          "receiver", "waiter", "name_pid", "holder",
                          "owner_process", "notify", "loop_device"]}
    p["pid"] = {"$ref": "#/$defs/pid"}
    p["state"] = {"description": "dead, alive (started before the event), "
                  "reused (a newer process holds the PID: started more "
                  "than 60 s after the event), unreadable (exists but "
                  "cannot be inspected) or ambiguous (started within 60 s "
                  "after the event: a clock step or a reuse)",
                  "enum": ["alive", "dead", "reused", "unreadable",
                           "ambiguous"]}
    p["event_time_unix"] = {"$ref": "#/$defs/time"}
    p["start_time_unix"] = {"$ref": "#/$defs/time"}
    p["command"] = {"description": "of the process holding the PID now",
                    "type": ["string", "null"]}
    u64(p, r, "semaphores", "last_op: semaphores it operated on last")
    r.append({"if": {"properties": {"role": {"const": "last_op"}}},
              "then": {"required": ["semaphores"]}})
    return obj(p, ["role", "pid", "state", "event_time_unix",
                   "start_time_unix", "command"], r)

def orphan_item(extra=None, extra_req=()):
    p, r = {}, []
    p["type"] = {"enum": ["shm", "sem", "msg", "pshm", "psem", "pmq"]}
    p["name"] = {"description": "POSIX: the file name, control "
                 "characters escaped", "type": "string"}
    u64(p, r, "allocated_bytes", "POSIX: bytes the filesystem charges")
    p["mtime_unix"] = {"$ref": "#/$defs/time"}
    p["naming_convention"] = {"description": "POSIX: the program whose "
                              "naming convention put the creator's PID "
                              "in the name, or null",
                              "type": ["string", "null"]}
    perm(p)
    p["id"] = {"description": "the IPC identifier; -1 for a POSIX object, "
               "which has none (its name is in name)",
               "anyOf": [{"$ref": "#/$defs/id"}, {"const": -1}]}
    r.append({"if": {"properties": {"type": {"enum": ["pshm", "psem",
                                                      "pmq"]}}},
              "then": {"properties": {"id": {"const": -1}}},
              "else": {"properties": {"id": {"minimum": 0}}}})
    p["verdict"] = {"description": "suspect: every recorded process is "
                    "gone but the object is younger than --min-age; never "
                    "removed until it is orphaned",
                    "enum": ["orphaned", "suspect", "in_use", "unknown"]}
    p["reasons"] = {"type": "array", "items": {"enum": REASONS}}
    p["age_seconds"] = {"type": "integer", "minimum": 0, "maximum": SAFE}
    p["last_activity_unix"] = {"$ref": "#/$defs/time"}
    p["pids"] = {"type": "array", "items": {"$ref": "#/$defs/orphan_pid"}}
    u64(p, r, "size_bytes", "shm: segment size")
    u64(p, r, "nattch", "shm: attached processes")
    p["cpid"] = {"$ref": "#/$defs/pid"}
    p["lpid"] = {"$ref": "#/$defs/pid"}
    for t in ("atime_unix", "dtime_unix", "ctime_unix", "otime_unix",
              "stime_unix", "rtime_unix"):
        p[t] = {"$ref": "#/$defs/time"}
    p["dest"] = {"type": "boolean"}
    p["own_access_unix"] = {"description": "present when an attach, "
                            "detach or permission change of 'clean' itself "
                            "was set aside: when it happened; the PIDs and "
                            "times are those from before",
                            "$ref": "#/$defs/time"}
    p["orphan_at_unix"] = {"description": "suspect only: when it becomes "
                           "orphaned (last activity plus --min-age)",
                           "$ref": "#/$defs/time"}
    r.append({"if": {"properties": {"verdict": {"const": "suspect"}}},
              "then": {"required": ["orphan_at_unix"]}})
    p["attachers"] = {"description": "shm: processes found mapping it",
                      "type": "array", "items": obj({
                          "pid": {"$ref": "#/$defs/pid"},
                          "command": {"type": "string"}},
                          ["pid", "command"])}
    u64(p, r, "hidden_attachers", "shm: attaches not found in /proc")
    u64(p, r, "nsems", "sem: semaphores in the array")
    u64(p, r, "used_bytes", "msg: bytes queued")
    u64(p, r, "messages", "msg: messages queued")
    p["lspid"] = {"$ref": "#/$defs/pid"}
    p["lrpid"] = {"$ref": "#/$defs/pid"}
    for t, req in (("shm", ["size_bytes", "nattch", "cpid", "lpid",
                            "atime_unix", "dtime_unix", "ctime_unix",
                            "dest", "attachers", "hidden_attachers"]),
                   ("sem", ["nsems", "otime_unix", "ctime_unix"]),
                   ("msg", ["used_bytes", "messages", "lspid", "lrpid",
                            "stime_unix", "rtime_unix", "ctime_unix"])):
        r.append({"if": {"properties": {"type": {"const": t}}},
                  "then": {"required": req}})
    if extra:
        p.update(extra)
    return obj(p, ["type"] + PERM + ["verdict", "reasons", "age_seconds",
               "last_activity_unix", "pids"] + list(extra_req), r)

def orphan_filter():
    return obj({
        "types": {"type": "array", "items": {"enum": ["shm", "sem", "msg",
                  "pshm", "psem", "pmq"]},
                  "minItems": 1, "maxItems": 6, "uniqueItems": True},
        "uid": {"anyOf": [{"$ref": "#/$defs/xid"}, {"type": "null"}]},
        "older_than_seconds": {"type": ["integer", "null"], "minimum": 0},
        "id": {"anyOf": [{"$ref": "#/$defs/id"}, {"type": "null"}]},
        "key": {"anyOf": [{"$ref": "#/$defs/key"}, {"type": "null"}]},
        "min_age_seconds": {"type": "integer", "minimum": 0},
    }, ["types", "uid", "older_than_seconds", "id", "key",
        "min_age_seconds"], desc="the objects asked for")

ORPHAN_DEFS = {"orphan_pid": orphan_pid()}

def counts3():
    c = {"type": "integer", "minimum": 0}
    return obj({"shm": c, "sem": c, "msg": c, "pshm": c, "psem": c,
                "pmq": c}, ["shm", "sem", "msg"])

def orphan_summary():
    p, r = {}, []
    p["uid"] = {"$ref": "#/$defs/xid"}
    p["user"] = {"type": "string"}
    p["type"] = {"enum": ["shm", "sem", "msg", "pshm", "psem", "pmq"]}
    u64(p, r, "objects", "orphaned objects of this owner and type")
    p["limit_name"] = {"enum": ["SHMMNI", "SEMMNI", "MSGMNI", "/dev/shm",
                                "queues_max"]}
    u64n(p, r, "limit", "the limit, or null when unknown")
    p["ratio"] = {"$ref": "#/$defs/ratio"}
    return {"type": "array", "items": obj(p, ["uid", "user", "type",
            "objects", "limit_name", "limit", "ratio"], r)}

def orphan_headroom():
    p, r = {}, []
    p["resource"] = {"enum": ["shmmni", "shmall", "semmni", "semmns",
                              "msgmni"]}
    p["unit"] = {"enum": ["segments", "pages", "arrays", "semaphores",
                          "queues"]}
    u64(p, r, "freed", "what removing every orphan gives back")
    u64n(p, r, "limit", "the limit, or null when unknown")
    u64n(p, r, "used", "usage now, or null")
    u64n(p, r, "used_after", "usage after the clean-up, or null")
    return {"type": "array", "minItems": 5, "maxItems": 5,
            "items": obj(p, ["resource", "unit", "freed", "limit", "used",
                             "used_after"], r)}

p = envelope("orphans")
p["filter"] = orphan_filter()
p["judged"] = {"type": "integer", "minimum": 0}
p["orphans"] = counts3()
p["suspect"] = dict(counts3(), description="objects judged suspect: not "
                   "counted as orphans, nor by --exit-status")
p["unknown"] = {"description": "objects whose evidence could not be read",
                "type": "integer", "minimum": 0}
p["inspection"] = obj({
    "complete": {"description": "every process that may use the namespace "
                 "could be inspected", "type": "boolean"},
    "processes_not_inspected": {"description": "processes in /proc that "
                                "could not be read", "type": "integer",
                                "minimum": 0},
    "processes_hidden": {"description": "hidepid hides processes of other "
                         "users from /proc: how many is not known",
                         "type": "boolean"},
    "causes": {"type": "array", "items": obj({
        "code": {"enum": ["permission_denied", "hidepid",
                          "pid_namespace"]},
        "text": {"type": "string", "minLength": 1}}, ["code", "text"])},
}, ["complete", "processes_not_inspected", "processes_hidden", "causes"],
    desc="what the judge could not see; verdicts that depend on it are "
    "unknown")
p["objects"] = {"type": "array", "items": orphan_item()}
p["summary"] = orphan_summary()
p["headroom"] = orphan_headroom()
p["notes"] = {"type": "array", "items": obj({
    "code": {"enum": ["shm_rmid_forced_off", "logind_removeipc",
                      "dest_outlived_creator"]},
    "text": {"type": "string", "minLength": 1}}, ["code", "text"])}
schema("orphans", "ipctune orphans, schema version 1",
       "Output of 'ipctune orphans --format json': the objects that look "
       "leaked (with --all every object judged), each with its verdict, "
       "reason codes and evidence, a summary per owner, what a clean-up "
       "gives back, and notes.", p,
       ENV_REQ + ["filter", "judged", "orphans", "suspect", "unknown",
                  "inspection",
                  "objects", "summary", "headroom", "notes"], ORPHAN_DEFS)

p = envelope("clean")
p["dry_run"] = {"description": "true unless --yes", "type": "boolean"}
p["filter"] = orphan_filter()
p["include_nonempty"] = {"type": "boolean"}
p["include_locked"] = {"description": "--include-locked: arrays that may "
                       "be SEM_UNDO locks are removed too",
                       "type": "boolean"}
p["backup_dir"] = {"type": ["string", "null"]}
p["judged"] = {"type": "integer", "minimum": 0}
c = {"type": "integer", "minimum": 0}
p["counts"] = obj({"would_remove": c, "removed": c, "skipped": c,
                   "failed": c}, ["would_remove", "removed", "skipped",
                                  "failed"])
p["results"] = {"type": "array", "items": orphan_item({
    "action": {"enum": ["would_remove", "removed", "skipped", "failed"]},
    "reason": {"description": "why it was skipped (gone, attached, "
               "not_orphaned, holds_messages, may_be_locked, changed, "
               "...), else null",
               "anyOf": [{"type": "string", "pattern": "^[a-z][a-z0-9_]*$"},
                         {"type": "null"}]},
    "errno": {"description": "the errno name when removal failed, else "
              "null", "anyOf": [{"type": "string",
                                 "pattern": "^E[A-Z0-9]+$"},
                                {"type": "null"}]},
    "detail": {"type": ["string", "null"]},
    "backup_file": {"type": ["string", "null"]},
}, ["action", "reason", "errno", "detail", "backup_file"])}
schema("clean", "ipctune clean, schema version 1",
       "Output of 'ipctune clean --format json': each orphan judged, as "
       "in orphans-1.json, with what became of it (a dry run unless "
       "--yes).", p,
       ENV_REQ + ["dry_run", "filter", "include_nonempty",
                  "include_locked", "backup_dir", "judged", "counts",
                  "results"], ORPHAN_DEFS)

# ---- clean_backup: the manifest.json of clean --backup-dir ----
def backup_time(desc):
    return {"$ref": "#/$defs/time", "description": desc}

def backup_segment():
    p, r = {}, []
    perm(p)
    u64(p, r, "size_bytes", "the segment's size")
    p["cpid"] = {"$ref": "#/$defs/pid"}
    p["lpid"] = {"$ref": "#/$defs/pid"}
    for t in ("atime", "dtime", "ctime"):
        p[t + "_unix"] = backup_time("the segment's " + t + " before the "
                                     "backup")
    p["saved_at_unix"] = backup_time("when it was saved")
    p["file"] = {"description": "the backup file in the directory",
                 "type": "string", "pattern": "^shm-[^/]+\\.bin$"}
    return obj(p, ["id", "key", "key_hex", "uid", "user", "gid", "group",
                   "cuid", "cgid", "perms", "mode", "size_bytes", "cpid",
                   "lpid", "atime_unix", "dtime_unix", "ctime_unix",
                   "saved_at_unix", "file"], r,
               "a System V segment saved before IPC_RMID")

def backup_posix():
    p, r = {}, []
    p["type"] = {"enum": ["pshm", "psem", "pmq"]}
    p["name"] = {"description": "the directory entry, control characters "
                 "and bytes that are not UTF-8 escaped as \\xHH",
                 "type": "string", "minLength": 1}
    p["name_hex"] = {"description": "the name's exact bytes in hex",
                     "type": "string", "pattern": "^([0-9a-f]{2})+$"}
    u64(p, r, "inode", "the file's inode")
    perm(p)
    for k in ("key", "key_hex"):
        del p[k]
    u64(p, r, "size_bytes", "st_size")
    u64(p, r, "allocated_bytes", "st_blocks * 512")
    for t in ("atime", "mtime", "ctime"):
        p[t + "_unix"] = backup_time("the file's " + t + " as judged")
    p["saved_at_unix"] = backup_time("when it was saved")
    p["file"] = {"description": "the backup file in the directory; null "
                 "for a queue (attributes only)",
                 "anyOf": [{"type": "string",
                            "pattern": "^ps(hm|em)-[0-9]+-[0-9-]+\\.bin$"},
                           {"type": "null"}]}
    p["sha256"] = {"description": "SHA-256 of the saved bytes, null for a "
                   "queue", "anyOf": [{"type": "string",
                                       "pattern": "^[0-9a-f]{64}$"},
                                      {"type": "null"}]}
    p["sem_value"] = {"description": "psem: the value sem_getvalue() "
                      "gave, or null", "type": ["integer", "null"],
                      "minimum": 0}
    n = {"type": ["integer", "null"]}
    for k in ("qsize_bytes", "notify", "signo", "notify_pid", "mq_maxmsg",
              "mq_msgsize", "mq_curmsgs"):
        p[k] = dict(n, description="pmq: as read before the unlink, or "
                    "null")
    p["messages_saved"] = {"description": "pmq: always false, a queue's "
                           "messages cannot be read without taking them",
                           "const": False}
    r.append({"if": {"properties": {"type": {"const": "pmq"}}},
              "then": {"required": ["qsize_bytes", "notify", "signo",
                                    "notify_pid", "mq_maxmsg",
                                    "mq_msgsize", "mq_curmsgs",
                                    "messages_saved"],
                       "properties": {"file": {"type": "null"},
                                      "sha256": {"type": "null"}}},
              "else": {"properties": {"file": {"type": "string"},
                                      "sha256": {"type": "string"}}}})
    r.append({"if": {"properties": {"type": {"const": "psem"}}},
              "then": {"required": ["sem_value"]}})
    return obj(p, ["type", "name", "name_hex", "inode", "uid", "user",
                   "gid", "group", "cuid", "cgid", "perms", "mode",
                   "size_bytes", "allocated_bytes", "atime_unix",
                   "mtime_unix", "ctime_unix", "saved_at_unix", "file",
                   "sha256"], r,
               "a POSIX object saved before its unlink")

schema("clean_backup", "ipctune clean backup manifest, schema version 1",
       "DIR/manifest.json of 'ipctune clean --backup-dir DIR': one entry "
       "per object saved, entries of earlier runs kept.",
       {"schema_version": {"const": 1},
        "document": {"const": "clean_backup"},
        "segments": {"type": "array", "items": backup_segment()},
        "posix_objects": {"type": "array", "items": backup_posix()}},
       ["schema_version", "document", "segments"])

# ---- report: the fleet view over many snapshots (no ipc_namespace) ----
def host_ref(extra, req):
    p = {"hostname": {"type": "string"}, "file": {"type": "string"}}
    p.update(extra)
    return p, ["hostname", "file"] + req

POSIX3 = ("pshm", "psem", "pmq")

def orphans3():
    p = {k: {"type": "integer", "minimum": 0} for k in ("shm", "sem", "msg")}
    p.update({k: {"type": ["integer", "null"], "minimum": 0,
                  "description": "null when the snapshot has no POSIX "
                  "verdicts (older versions)"} for k in POSIX3})
    return {"anyOf": [{"type": "null"}, obj(p, list(p))],
        "description": "the orphan verdicts the snapshot carries, or null"}

def posix3(desc):
    return {"anyOf": [{"type": "null"}, obj(
        {k: {"type": ["integer", "null"], "minimum": 0} for k in POSIX3},
        list(POSIX3))], "description": desc}

def posix_verdicts(props, rules):
    props["suspect"] = posix3("POSIX objects whose users are gone but "
                              "younger than the grace age, per type; null "
                              "without POSIX verdicts")
    u64(props, rules, "orphan_pshm_bytes", "bytes of /dev/shm the orphaned "
        "POSIX shm files hold; null without POSIX verdicts", True)

p = envelope("report")
del p["ipc_namespace"]
count = {"type": "integer", "minimum": 0}
p["snapshots"] = obj({"files": count, "read": count, "skipped": count},
                     ["files", "read", "skipped"])
hp, hr, rules = {}, [], []
held(hp, rules, "limit", "the limit as the sysctl holds it (a negative "
     "kernel.sem field keeps its sign)")
u64(hp, rules, "used", "the usage")
u64(hp, rules, "free", "the headroom")
hp["used_ratio"] = {"type": "number", "minimum": 0}
hp, hreq = host_ref(hp, ["limit", "used", "free", "used_ratio"])
p["headroom"] = {"type": "array", "items": obj({
    "resource": {"type": "string", "pattern": "^[a-z_]+$"},
    "unit": {"type": "string"},
    "hosts": {"type": "array", "items": obj(hp, hreq, rules),
              "description": "the hosts with the least headroom, "
              "highest used ratio first (--top)"}},
    ["resource", "unit", "hosts"])}
lp, lrules = {"evidence": {"enum": ["orphans", "unattached_shm"]},
              "orphans": orphans3()}, []
u64(lp, lrules, "leaked", "orphans judged on the host, else unattached "
    "segments")
u64(lp, lrules, "unattached_shm_segments", "segments nobody has attached")
u64(lp, lrules, "unattached_shm_bytes", "their bytes")
posix_verdicts(lp, lrules)
lp, lreq = host_ref(lp, ["evidence", "leaked", "orphans", "suspect",
                         "orphan_pshm_bytes", "unattached_shm_segments",
                         "unattached_shm_bytes"])
p["leaks"] = obj({"hosts": {"type": "array",
                            "items": obj(lp, lreq, lrules)}}, ["hosts"])
dp, dreq = host_ref({"state": {"enum": ["drift", "error"]},
                     "detail": {"type": "string"}}, ["state", "detail"])
p["drift"] = {"anyOf": [{"type": "null"}, obj({
    "profiles": {"type": "array", "items": {"type": "string"}},
    "exact": {"type": "boolean"},
    "compliant": count, "drifting": count, "errors": count,
    "hosts": {"type": "array", "items": obj(dp, dreq)}},
    ["profiles", "exact", "compliant", "drifting", "errors", "hosts"])],
    "description": "the hosts judged against the -p profiles, or null "
    "without -p"}
p["sysctls"] = {"type": "array", "items": obj({
    "sysctl": {"type": "string"},
    "values": {"type": "array", "items": obj(
        {"value": {"type": "string"}, "hosts": count}, ["value", "hosts"]),
        "description": "most common first; kernel.sem single-spaced"},
    "other_hosts": count, "missing_hosts": count},
    ["sysctl", "values", "other_hosts", "missing_hosts"])}
p["skipped"] = {"type": "array", "items": obj(
    {"file": {"type": "string"}, "reason": {"type": "string"}},
    ["file", "reason"])}
xp, xrules = {"kernel_release": {"type": "string"},
              "read_at": {"type": ["string", "null"]},
              "worst_resource": {"type": ["string", "null"]},
              "findings_warning": count, "findings_critical": count,
              "orphans": orphans3(),
              "drift": {"type": ["string", "null"]},
              "used_ratio": {"type": "object", "additionalProperties":
                             {"type": ["number", "null"], "minimum": 0}},
              "sysctls": {"type": "object", "additionalProperties":
                          {"type": ["string", "null"]}}}, []
u64(xp, xrules, "leaked", "as in leaks")
u64(xp, xrules, "unattached_shm_segments", "as in leaks")
u64(xp, xrules, "unattached_shm_bytes", "as in leaks")
posix_verdicts(xp, xrules)
xp["posix_objects"] = posix3("the POSIX objects the snapshot lists, per "
                             "type; null when it has no POSIX sections")
u64(xp, xrules, "pshm_bytes", "bytes of /dev/shm the POSIX shm files hold; "
    "null when the snapshot lists none", True)
xp, xreq = host_ref(xp, ["kernel_release", "read_at", "worst_resource",
                         "findings_warning", "findings_critical", "leaked",
                         "orphans", "suspect", "orphan_pshm_bytes",
                         "unattached_shm_segments", "unattached_shm_bytes",
                         "posix_objects", "pshm_bytes", "drift",
                         "used_ratio", "sysctls"])
p["hosts"] = {"type": "array", "items": obj(xp, xreq, xrules),
              "description": "one entry per snapshot read (--hosts only)"}
schema("report", "ipctune report, schema version 1",
       "Output of 'ipctune report --format json': the fleet view over many "
       "snapshots.  It describes no single IPC namespace, so it has no "
       "ipc_namespace.", p,
       [k for k in ENV_REQ if k != "ipc_namespace"] +
       ["snapshots", "headroom", "leaks", "drift", "sysctls", "skipped"])

# ---- apply, verify, rollback, recommendation, profiles, profile, ----
# ---- forecast: the documents of the tuning and history commands   ----

def sem_fields():
    """kernel.sem as profcmd_json_value() writes it: a field the kernel
    holds below 0 (proc_dointvec takes any int) keeps its sign."""
    p, r = {}, []
    for f in SEMF:
        p[f] = {"description": "kernel.sem field " + f + " (negative "
                "only when the kernel holds it so)",
                "type": ["integer", "null"], "minimum": -INT_MAX - 1,
                "maximum": SAFE}
        exact(p, r, f, False)
    return obj(p, SEMF, r, desc="kernel.sem as named fields")

SEM_DEFS = {"sem_fields": sem_fields()}

def sysctl_value(props, rules, name, desc, nullable=False):
    """One sysctl's value: a number (with _exact) or kernel.sem's
    fields."""
    props[name] = {"description": desc,
                   "anyOf": [{"$ref": "#/$defs/u64"},
                             {"$ref": "#/$defs/sem_fields"}]}
    exact(props, rules, name, nullable)

SYSCTL_NAME = {"description": "an IPC sysctl (the allowlist a profile "
               "may set)", "type": "string",
               "pattern": "^(kernel\\.(shm|sem|msg)[a-z_]*|"
               "fs\\.mqueue\\.[a-z_]+)$"}

def tuned_sysctls(extra=None, extra_req=()):
    """recommend's rows (profcmd_rec_json()), signed kernel.sem."""
    p, r = {}, []
    p["sysctl"] = SYSCTL_NAME
    sysctl_value(p, r, "current", "the running value, or null if not read",
                 True)
    sysctl_value(p, r, "profile", "the value the profiles ask for, "
                 "clamped to what the kernel accepts")
    sysctl_value(p, r, "recommended", "the value to set: raised only "
                 "(the current value where it is higher) unless --exact")
    p["action"] = {"enum": ["keep", "raise", "lower"]}
    p["clamped"] = {"description": "the profile's value was beyond what "
                    "the kernel accepts", "type": "boolean"}
    p["below_usage"] = {"description": "the value is below what is in "
                        "use now", "type": "boolean"}
    p["why"] = {"type": "string"}
    if extra:
        p.update(extra)
    return {"type": "array", "items": obj(p, ["sysctl", "current",
            "profile", "recommended", "action", "clamped", "below_usage",
            "why"] + list(extra_req), r)}

def strings(desc=None, min_items=0):
    a = {"type": "array", "items": {"type": "string"}}
    if desc:
        a["description"] = desc
    if min_items:
        a["minItems"] = min_items
    return a

# recommend
p = envelope("recommendation")
p["profiles"] = strings("the -p NAME given, in order", 1)
p["exact"] = {"description": "--exact: lower too, to the profile's "
              "values", "type": "boolean"}
p["ipc_mni"] = {"description": "the kernel's cap on the *mni limits",
                "enum": [32768, 16777216]}
p["changes"] = {"description": "some sysctl is to be raised (or, with "
                "--exact, lowered)", "type": "boolean"}
p["sysctls"] = tuned_sysctls()
p["warnings"] = strings()
dp, dr = {}, []
u64(dp, dr, "wanted_bytes", "the largest [posix] dev_shm_size of the "
    "profiles")
dp["from"] = {"description": "the profile that asks for it",
              "type": "string"}
u64(dp, dr, "current_bytes", "the /dev/shm tmpfs's size now, or null", True)
dp["action"] = {"enum": ["keep", "raise"]}
dp["persist"] = obj({
    "method": {"description": "how the host mounts /dev/shm: its fstab "
               "line changed, a drop-in for an explicit dev-shm.mount "
               "unit, or a new fstab line",
               "enum": ["fstab_edit", "mount_dropin", "fstab_add"]},
    "file": {"type": "string"},
    "text": {"type": "string", "minLength": 1}},
    ["method", "file", "text"])
dp["runtime"] = {"description": "the remount that sets it now",
                 "type": "string"}
p["dev_shm"] = {"description": "the /dev/shm size the profiles ask for, "
                "or null when none does",
                "anyOf": [obj(dp, ["wanted_bytes", "from", "current_bytes",
                                   "action", "persist", "runtime"], dr),
                          {"type": "null"}]}
schema("recommendation", "ipctune recommend, schema version 1",
       "Output of 'ipctune recommend -p NAME... --format json': per sysctl "
       "the running value, what the profiles ask for and the value to "
       "set.", p, ENV_REQ + ["profiles", "exact", "ipc_mni", "changes",
                             "sysctls", "warnings"], SEM_DEFS)

# apply
p = envelope("apply")
ap, ar = {}, []
u64(ap, ar, "current_bytes", "the /dev/shm tmpfs's size before, or null",
    True)
u64(ap, ar, "wanted_bytes", "the profiles' [posix] dev_shm_size")
ap["action"] = {"enum": ["keep", "raise"]}
ap["changed"] = {"description": "the tmpfs was remounted larger",
                 "type": "boolean"}
ap["remount"] = {"description": "--dev-shm-remount was given",
                 "type": "boolean"}
ap["boot_file"] = {
    "description": "--dev-shm-persist: the file that sets the size at the "
    "next boot (/etc/fstab or the dev-shm.mount drop-in); null without "
    "the option",
    "anyOf": [obj({"path": {"type": "string"},
                   "existed": {"type": "boolean"},
                   "changed": {"description": "written (not in a dry run)",
                               "type": "boolean"},
                   "content": {"description": "its whole new content, or "
                               "null when it could not be made",
                               "type": ["string", "null"]}},
                  ["path", "existed", "changed", "content"]),
              {"type": "null"}]}
p["dev_shm"] = {"description": "--dev-shm-remount or --dev-shm-persist: "
                "what was done to the /dev/shm tmpfs and its boot file; "
                "null without either option",
                "anyOf": [obj(ap, ["current_bytes", "wanted_bytes",
                                   "action", "changed", "remount",
                                   "boot_file"], ar),
                          {"type": "null"}]}
p["profiles"] = strings("the -p NAME given (empty for --from-plan)")
p["dry_run"] = {"type": "boolean"}
p["ok"] = {"description": "every step succeeded (the exit status is 0)",
           "type": "boolean"}
p["changed"] = {"description": "a running value or the drop-in was "
                "changed (with --dry-run: would be)", "type": "boolean"}
p["sysctls"] = tuned_sysctls({"changed": {
    "description": "this running value was (would be) written",
    "type": "boolean"}}, ["changed"])
p["runtime"] = obj({
    "requested": {"description": "/proc/sys is written (not "
                  "--persist only)", "type": "boolean"},
    "changed": {"type": "boolean"}}, ["requested", "changed"])
p["dropin"] = obj({
    "requested": {"description": "the sysctl.d drop-in is written (not "
                  "--runtime only)", "type": "boolean"},
    "path": {"description": "the drop-in, or null when not requested",
             "type": ["string", "null"]},
    "changed": {"type": "boolean"},
    "existed": {"description": "the drop-in was there before",
                "type": "boolean"},
    "read_at_boot": {"description": "no file of the same name earlier "
                     "in the search path hides it", "type": "boolean"},
    "content": {"description": "the drop-in's text (new or unchanged), "
                "or null when not requested",
                "type": ["string", "null"]},
    "overrides": strings("later sysctl.d lines that would undo the "
                         "drop-in at boot; apply fails on them"),
}, ["requested", "path", "changed", "existed", "read_at_boot", "content",
    "overrides"])
p["warnings"] = strings()
schema("apply", "ipctune apply, schema version 1",
       "Output of 'ipctune apply --format json': what was (with "
       "--dry-run: would be) written to /proc/sys and to the sysctl.d "
       "drop-in, with 'changed' for configuration management.", p,
       ENV_REQ + ["profiles", "dry_run", "ok", "changed", "sysctls",
                  "runtime", "dropin", "warnings"], SEM_DEFS)

# verify
def boot_view():
    p, r = {}, []
    sysctl_value(p, r, "value", "what the boot leaves, or null when "
                 "the line does not parse", True)
    p["file"] = {"description": "the file whose line wins, or null "
                 "(kernel default)", "type": ["string", "null"]}
    p["line"] = {"type": ["integer", "null"], "minimum": 1}
    p["kernel_default"] = {"description": "no file sets it",
                           "type": "boolean"}
    p["rejected"] = {"description": "the tool would refuse the line",
                     "type": "boolean"}
    p["rejected_reason"] = {"type": ["string", "null"]}
    p["compliant"] = {"type": "boolean"}
    return obj(p, ["value", "file", "line", "kernel_default", "rejected",
                   "rejected_reason", "compliant"], r)

vp, vr = {}, []
vp["sysctl"] = SYSCTL_NAME
sysctl_value(vp, vr, "profile", "the value the profiles ask for")
sysctl_value(vp, vr, "running", "the value in /proc/sys")
vp["running_compliant"] = {"type": "boolean"}
vp["next_boot"] = {"oneOf": [
    obj({"systemd_sysctl": {"$ref": "#/$defs/boot_view"},
         "sysctl_system": {"$ref": "#/$defs/boot_view"}},
        ["systemd_sysctl", "sysctl_system"]),
    {"type": "null"}],
    "description": "what each boot-time reader (systemd-sysctl, procps "
    "'sysctl --system') would leave; null for another IPC namespace "
    "(--pid, --ns), which no sysctl.d reaches"}
vp["compliant"] = {"type": "boolean"}
p = envelope("verify")
p["profiles"] = strings("the profiles verified against (the last "
                        "apply's without -p)")
p["from_last_apply"] = {"type": "boolean"}
p["exact"] = {"type": "boolean"}
p["compliant"] = {"description": "no drift: exit 0 (4 if not)",
                  "type": "boolean"}
p["sysctls"] = {"type": "array", "items": obj(vp, ["sysctl", "profile",
                "running", "running_compliant", "next_boot", "compliant"],
                vr)}
p["dropin"] = obj({
    "path": {"description": "ipctune's drop-in; null for another IPC "
             "namespace (--pid, --ns)", "type": ["string", "null"]},
    "foreign_lines": {"description": "lines in ipctune's drop-in that it "
                      "did not write", "type": "array", "items": obj({
                          "line": {"type": "integer", "minimum": 1},
                          "text": {"type": "string"}}, ["line", "text"])},
}, ["path", "foreign_lines"])
vp, vr = {}, []
u64(vp, vr, "wanted_bytes", "the profiles' [posix] dev_shm_size")
u64(vp, vr, "running_bytes", "the /dev/shm tmpfs's size now, or null when "
    "it cannot be read", True)
vp["running_compliant"] = {"type": "boolean"}
nbp, nbr = {}, []
nbp["path"] = {"description": "the file apply --dev-shm-persist wrote",
               "type": "string"}
u64(nbp, nbr, "bytes", "the size= it sets, or null when it sets none (or "
    "a size=N%)", True)
nbp["compliant"] = {"type": "boolean"}
vp["next_boot"] = {"description": "null when the last apply did not write "
                   "the /dev/shm boot file",
                   "anyOf": [obj(nbp, ["path", "bytes", "compliant"], nbr),
                             {"type": "null"}]}
p["dev_shm"] = {"description": "the /dev/shm size against the profiles, "
                "judged when the last apply changed it; else null",
                "anyOf": [obj(vp, ["wanted_bytes", "running_bytes",
                                   "running_compliant", "next_boot"], vr),
                          {"type": "null"}]}
schema("verify", "ipctune verify, schema version 1",
       "Output of 'ipctune verify --format json': per sysctl whether the "
       "running value and what each boot-time reader would leave comply "
       "with the profiles.", p,
       ENV_REQ + ["profiles", "from_last_apply", "exact", "compliant",
                  "sysctls", "dropin", "dev_shm"],
       dict(SEM_DEFS, boot_view=boot_view()))

# rollback
rp, rr = {}, []
rp["sysctl"] = SYSCTL_NAME
sysctl_value(rp, rr, "old", "the running value now")
sysctl_value(rp, rr, "new", "the value from before the apply")
rp["refused"] = {"description": "why this value is not put back "
                 "(changed by hand since, another namespace), or null",
                 "type": ["string", "null"]}
p = envelope("rollback")
p["dry_run"] = {"type": "boolean"}
p["found"] = {"description": "an apply was recorded", "type": "boolean"}
p["ok"] = {"type": "boolean"}
p["changed"] = {"type": "boolean"}
p["runtime"] = {"type": "array", "items": obj(rp, ["sysctl", "old", "new",
                "refused"], rr)}
p["dropin"] = obj({
    "path": {"type": ["string", "null"]},
    "action": {"description": "what was (would be) done to the drop-in",
               "enum": ["unchanged", "restored", "removed"]}},
    ["path", "action"])
sp, sr = {}, []
sp["path"] = {"description": "the /dev/shm boot file apply wrote, or null",
              "type": ["string", "null"]}
sp["action"] = {"description": "what was (would be) done to that file",
                "enum": ["unchanged", "restored", "removed"]}
sp["remount"] = {"description": "the tmpfs is (would be) remounted to its "
                 "size before the apply", "type": "boolean"}
u64(sp, sr, "from_bytes", "the size apply --dev-shm-remount set, or null",
    True)
u64(sp, sr, "to_bytes", "the size before that apply, or null", True)
sp["refused"] = {"description": "why the tmpfs is not shrunk (changed by "
                 "hand since, more in use than the old size), or null",
                 "type": ["string", "null"]}
p["dev_shm"] = {"description": "what becomes of /dev/shm: null when the "
                "apply did not touch it",
                "anyOf": [obj(sp, ["path", "action", "remount",
                                   "from_bytes", "to_bytes", "refused"],
                              sr),
                          {"type": "null"}]}
schema("rollback", "ipctune rollback, schema version 1",
       "Output of 'ipctune rollback --format json': the running values "
       "put back and what became of the drop-in.  ipc_namespace is "
       "absent when nothing was recorded.", p,
       [k for k in ENV_REQ if k != "ipc_namespace"] +
       ["dry_run", "found", "ok", "changed", "runtime", "dropin",
        "dev_shm"],
       SEM_DEFS)

# profiles (the list) and profile (profiles show NAME)
p = envelope("profiles")
del p["ipc_namespace"]
p["search_path"] = strings("the directories searched, first wins", 1)
p["profiles"] = {"type": "array", "items": obj({
    "name": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9._-]*$"},
    "summary": {"type": ["string", "null"]},
    "source": {"description": "where its numbers come from",
               "type": ["string", "null"]},
    "path": {"type": ["string", "null"]},
    "error": {"description": "why the profile does not load, or null",
              "type": ["string", "null"]},
}, ["name", "summary", "source", "path", "error"])}
schema("profiles", "ipctune profiles, schema version 1",
       "Output of 'ipctune profiles --format json': the workload profiles "
       "found on the search path.", p,
       [k for k in ENV_REQ if k != "ipc_namespace"] +
       ["search_path", "profiles"])

def formula(props):
    props["expression"] = {"type": "string"}
    props["arithmetic"] = {"description": "the expression with the "
                           "variables and facts substituted",
                           "type": "string"}

fp, fr = {}, []
for n in ("ram_bytes", "ram_gib", "page_size", "ncpu"):
    u64(fp, fr, n, "the host fact " + n)
u64(fp, fr, "swap_bytes", "the host fact swap_bytes (SwapTotal), or "
    "null when unknown", True)
dsp, dsr = {"file": {"type": "string"},
            "line": {"type": "integer", "minimum": 1}}, []
formula(dsp)
u64(dsp, dsr, "value", "bytes")
vp, vr = {"name": {"type": "string"}}, []
formula(vp)
u64(vp, vr, "value", "its value")
vp["from_set"] = {"description": "given with --set", "type": "boolean"}
fieldp, fieldr = {"field": {"enum": SEMF}}, []
formula(fieldp)
u64(fieldp, fieldr, "value", "the field's value")
sp, sr = {"sysctl": SYSCTL_NAME, "file": {"type": "string"},
          "line": {"type": "integer", "minimum": 1},
          "fields": {"type": "array", "minItems": 4, "maxItems": 4,
                     "items": obj(fieldp, ["field", "expression",
                                           "arithmetic", "value"],
                                  fieldr)}}, []
formula(sp)
u64(sp, sr, "value", "the value")
sr.append({"oneOf": [{"required": ["fields"]},
                     {"required": ["expression", "arithmetic", "value"]}]})
dp, dr = {}, []
for n in DEMAND:
    u64(dp, dr, n, "per instance, from [demand]")
prof = obj({
    "name": {"type": "string"},
    "summary": {"type": ["string", "null"]},
    "description": {"type": ["string", "null"]},
    "source": {"type": ["string", "null"]},
    "path": {"type": "string"},
    "files": strings("the file and those it includes", 1),
    "facts": obj(fp, ["ram_bytes", "ram_gib", "page_size", "ncpu"], fr),
    "variables": {"type": "array", "items": obj(vp, ["name", "expression",
                  "arithmetic", "value", "from_set"], vr)},
    "sysctls": {"type": "array", "items": obj(sp, ["sysctl", "file",
                "line"], sr)},
    "demand": obj(dp, [], dr, desc="only what the profile sets"),
    "dev_shm_size": obj(dsp, ["file", "line", "expression", "arithmetic",
                              "value"], dsr,
                        desc="[posix] dev_shm_size: the size the /dev/shm "
                        "tmpfs should have; absent when the profile does "
                        "not say"),
}, ["name", "summary", "description", "source", "path", "files", "facts",
    "variables", "sysctls", "demand"])
p = envelope("profile")
p["profile"] = prof
schema("profile", "ipctune profile, schema version 1",
       "Output of 'ipctune profiles show NAME --format json': one profile "
       "evaluated on this host, each value with its expression and the "
       "arithmetic.", p, ENV_REQ + ["profile"])

# forecast (reads a history file: no ipc_namespace)
RFC3339 = {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T"
           "[0-9]{2}:[0-9]{2}:[0-9]{2}Z$"}
when = {"description": "RFC 3339 UTC time, or null",
        "anyOf": [RFC3339, {"type": "null"}]}
rate = {"description": "per day, or null without a trend",
        "type": ["number", "null"]}
n0 = {"type": "integer", "minimum": 0, "maximum": SAFE}
FC_STATES = ["no_data", "too_little_data", "no_limit", "exhausted",
             "not_growing", "beyond_horizon", "exhausts"]
fp, fr = {}, []
fp["resource"] = {"enum": RES}
fp["unit"] = {"enum": UNITS}
fp["state"] = {"enum": FC_STATES}
fp["last_sample_at"] = when
u64(fp, fr, "used", "at the last sample")
held(fp, fr, "limit", "at the last sample as the sysctl held it (a "
     "negative kernel.sem field keeps its sign; the state is judged by "
     "the value the kernel applies), or null when none", True)
fp["fit_from"] = when
fp["samples_used"] = n0
fp["resets"] = dict(n0, description="drops (reboots, clean-ups) found")
fp["last_reset_at"] = when
fp["growth_per_day"] = rate
fp["growth_per_day_low"] = rate
fp["growth_per_day_high"] = rate
fp["pairs_exact"] = {"description": "every pair of samples was used "
                     "(not sampled down to max_pairs), or null",
                     "type": ["boolean", "null"]}
fp["exhausted_at"] = when
fp["exhausted_earliest"] = when
fp["exhausted_latest"] = when
fp["days_left"] = {"type": ["number", "null"]}
fp["needs_samples"] = n0
fp["needs_seconds"] = n0
FC_REQ = ["last_sample_at", "used", "limit", "fit_from", "samples_used",
          "resets", "last_reset_at", "growth_per_day", "growth_per_day_low",
          "growth_per_day_high", "pairs_exact", "exhausted_at",
          "exhausted_earliest", "exhausted_latest", "days_left"]
fr.append({"if": {"properties": {"state": {"const": "no_data"}}},
           "then": {"maxProperties": 3}, "else": {"required": FC_REQ}})
fr.append({"if": {"properties": {"state": {"const": "too_little_data"}}},
           "then": {"required": ["needs_samples", "needs_seconds"]}})
p = envelope("forecast")
del p["ipc_namespace"]
p["history"] = obj({
    "path": {"type": "string"},
    "samples": n0,
    "skipped_lines": dict(n0, description="lines that did not parse"),
    "first": when, "last": when}, ["path", "samples", "skipped_lines",
                                   "first", "last"])
p["method"] = obj({
    "estimator": {"const": "theil-sen"},
    "band": {"const": "sen-rank-90"},
    "window_seconds": n0, "horizon_seconds": n0, "min_samples": n0,
    "min_span_seconds": n0, "max_pairs": n0}, ["estimator", "band",
    "window_seconds", "horizon_seconds", "min_samples", "min_span_seconds",
    "max_pairs"])
p["resources"] = {"type": "array", "items": obj(fp, ["resource", "unit",
                  "state"], fr)}
schema("forecast", "ipctune forecast, schema version 1",
       "Output of 'ipctune forecast --format json': per resource the "
       "trend of the recorded history (Theil-Sen with a 90% band) and "
       "when the limit runs out.", p,
       [k for k in ENV_REQ if k != "ipc_namespace"] +
       ["history", "method", "resources"])

# ---- facts: one flat object, no envelope, for Ansible and Facter ----
facts = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": BASE + "facts-1",
    "title": "ipctune facts, schema version 1",
    "description": "Output of 'ipctune facts': one flat object of "
    "ipctune_* keys, read unchanged as an Ansible local fact and a Facter "
    "external fact.  No member is an object or an array.  A value that can "
    "pass 2^53-1 (shmmax, shmall and what derives from them) always has an "
    "<name>_exact twin with its decimal digits; the number itself is null "
    "when it is above 2^53-1.",
    "type": "object",
    "properties": {
        "ipctune_schema_version": {"const": 1},
        "ipctune_version": {"type": "string"},
        "ipctune_status": {
            "description": "the state 'ipctune check' gives with its "
            "defaults (thresholds, orphaned objects, the forecast), "
            "judged by the same code; unknown when the history exists but "
            "cannot be read",
            "enum": ["ok", "warning", "critical", "unknown"]},
        "ipctune_status_note": {
            "description": "why the state is unknown, or the note line "
            "of check (forecast not evaluated); null when none",
            "type": ["string", "null"]},
        "ipctune_shm_rmid_forced": {"type": ["boolean", "null"]},
        "ipctune_ipcmni_extend": {"type": "boolean"},
        "ipctune_container": {
            "description": "the id of the container the --pid (or "
            "--container) process runs in, from its cgroup; null when none",
            "type": ["string", "null"]},
        "ipctune_container_runtime": {
            "description": "its runtime (podman, docker, containerd, ...); "
            "null when none", "type": ["string", "null"]},
    },
    "patternProperties": {
        "^ipctune_[a-z0-9_]+_exact$": {
            "anyOf": [{"type": "null"}, {"type": "string",
                                         "pattern": "^(0|[1-9][0-9]{0,19})$"}]},
        "^ipctune_[a-z0-9_]+$": {
            "anyOf": [{"type": ["boolean", "string", "null"]},
                      {"type": "number", "minimum": -SAFE,
                       "maximum": SAFE}]},
    },
    "required": ["ipctune_schema_version", "ipctune_version",
                 "ipctune_status", "ipctune_status_note",
                 "ipctune_shmmax_bytes",
                 "ipctune_shmmax_bytes_exact", "ipctune_sem_semmni",
                 "ipctune_shmmni_used"],
    "additionalProperties": False,
}
for r in ("shmmni", "semmni", "msgmni"):
    facts["properties"]["ipctune_%s_orphaned" % r] = {
        "description": "objects counting against %s that 'orphans' "
        "judges orphaned (as check counts them); null when not judged "
        "(--from)" % r,
        "anyOf": [{"type": "null"},
                  {"type": "integer", "minimum": 0, "maximum": SAFE}]}
    facts["properties"]["ipctune_%s_suspect" % r] = {
        "description": "objects counting against %s whose every recorded "
        "PID is gone but that are younger than the minimum age; null when "
        "not judged" % r,
        "anyOf": [{"type": "null"},
                  {"type": "integer", "minimum": 0, "maximum": SAFE}]}
    facts["required"] += ["ipctune_%s_orphaned" % r, "ipctune_%s_suspect" % r]

SYSV_CALLS = ["shmget", "shmat", "semget", "semop", "semtimedop",
              "msgget", "msgsnd"]
CALLS = SYSV_CALLS + ["mq_open", "mq_timedsend"]
ERRNO = {"description": "the errno value the call returned", "type":
         "integer", "minimum": 1, "maximum": 4095}
ERROR = {"description": "its name (ENOSPC), or the number as text when "
         "ipctune has no name for it", "type": "string",
         "pattern": "^(E[A-Z0-9]+|[0-9]+)$"}

def watch_args():
    p, r = {}, []
    for k in ("key", "size", "nsems", "flags", "sops", "nsops", "timeout",
              "msgp", "msgsz", "addr", "oflag", "mode", "attr", "msg_ptr",
              "msg_len", "msg_prio"):
        u64(p, r, k, "the argument as passed, by its name in the call's "
            "man page")
    p["name"] = {"description": "mq_open's name as the kernel got it "
                 "(without glibc's leading slash), or null when it could "
                 "not be read", "type": ["string", "null"]}
    for k in ("shmid", "semid", "msqid", "mqdes"):
        p[k] = {"description": "the id as passed (an int)",
                "type": "integer", "minimum": -2147483648,
                "maximum": 2147483647}
    o = obj(p, [], r, desc="the call's arguments, those it takes")
    return o

def watch_ns_state():
    p, r = {}, []
    for k, d in (("shmmax_bytes", "kernel.shmmax"),
                 ("shmall_pages", "kernel.shmall"),
                 ("shmmni", "kernel.shmmni"),
                 ("msgmax_bytes", "kernel.msgmax"),
                 ("msgmnb_bytes", "kernel.msgmnb"),
                 ("msgmni", "kernel.msgmni"),
                 ("shm_segments", "segments in use"),
                 ("shm_pages", "pages charged against shmall (shm_tot)"),
                 ("sem_arrays", "semaphore arrays in use"),
                 ("sem_sems", "semaphores in use (used_sems)"),
                 ("msg_queues", "message queues in use"),
                 ("mq_queues", "POSIX message queues in use"),
                 ("mq_queues_max", "fs.mqueue.queues_max"),
                 ("mq_msg_max", "fs.mqueue.msg_max"),
                 ("mq_msgsize_max", "fs.mqueue.msgsize_max")):
        u64(p, r, k, d + ", when the call failed")
    p["sem"] = {"description": "kernel.sem: SEMMSL, SEMMNS, SEMOPM, SEMMNI, "
                "as the kernel's ints", "type": "array", "minItems": 4,
                "maxItems": 4, "items": {"type": "integer",
                "minimum": -2147483648, "maximum": 2147483647}}
    return obj(p, sorted(k for k in p if not k.endswith("_exact")), r,
               desc="the namespace's limits and usage read in the kernel "
               "at the moment the call failed")

p = envelope("watch_event")
del p["ipc_namespace"]
p["time"] = {"description": "when the call failed, RFC 3339 UTC with "
             "milliseconds", "type": "string",
             "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
             "[0-9]{2}\\.[0-9]{3}Z$"}
p["ipc_ns"] = {"description": "inode of the caller's IPC namespace",
               "type": "integer", "minimum": 1, "maximum": 4294967295}
p["process"] = obj({
    "pid": {"$ref": "#/$defs/pid", "description": "in the initial PID "
            "namespace"},
    "tid": {"$ref": "#/$defs/pid"},
    "ppid": {"$ref": "#/$defs/pid"},
    "nspid": {"description": "the PID in its own PID namespace, or null",
              "anyOf": [{"$ref": "#/$defs/pid"}, {"type": "null"}]},
    "comm": {"type": "string"},
    "uid": {"$ref": "#/$defs/xid"},
    "user": {"description": "the user name, or the uid as text",
             "type": "string"},
    "gid": {"$ref": "#/$defs/xid"},
    "cgroup": {"description": "its cgroup path (/proc/PID/cgroup), or null "
               "when it was gone before it could be read",
               "type": ["string", "null"]},
    "pid_ns": {"description": "inode of its PID namespace",
               "type": "integer", "minimum": 0, "maximum": 4294967295},
}, ["pid", "tid", "ppid", "nspid", "comm", "uid", "user", "gid", "cgroup",
    "pid_ns"], desc="the process that made the call")
p["call"] = {"enum": CALLS}
p["args"] = watch_args()
p["flags_text"] = {"description": "the flags argument in words "
                   "(IPC_CREAT|0600), for the calls that take one",
                   "type": "string"}
p["mq"] = obj({
    "attr": {"description": "mq_open's attr with O_CREAT, or null (none, "
             "or unreadable)", "anyOf": [obj({
                 "mq_maxmsg": {"type": "integer"},
                 "mq_msgsize": {"type": "integer"}},
                 ["mq_maxmsg", "mq_msgsize"]), {"type": "null"}]},
    "queue": {"description": "mq_timedsend's queue as the kernel held it, "
              "or null", "anyOf": [obj({
                  "mq_maxmsg": {"type": "integer"},
                  "mq_msgsize": {"type": "integer"},
                  "mq_curmsgs": {"type": "integer"}},
                  ["mq_maxmsg", "mq_msgsize", "mq_curmsgs"]),
                  {"type": "null"}]},
    "rlimit_msgqueue": {"description": "the caller's soft RLIMIT_MSGQUEUE "
                        "in bytes, null when unlimited",
                        "type": ["integer", "null"], "minimum": 0},
}, ["attr", "queue", "rlimit_msgqueue"], desc="the POSIX queue calls only: "
    "what their pointers and descriptor named")
p["errno"] = ERRNO
p["error"] = ERROR
p["cause"] = obj({
    "code": {"description": "fit's cause code (semmni, shmmax, ...) when "
             "a limit caused it, else what the errno means (permission, "
             "removed, memory, mismatch, ...)", "type": "string",
             "pattern": "^[a-z0-9_]+$"},
    "limit": {"description": "a limit (or a full queue) caused it",
              "type": "boolean"},
    "text": {"type": "string", "minLength": 1},
    "fix": {"type": ["string", "null"]},
}, ["code", "limit", "text", "fix"])
p["ns_state"] = watch_ns_state()
schema("watch_event", "ipctune watch event, schema version 1",
       "One line of 'ipctune watch --format json' (JSON Lines): one "
       "failing IPC call (System V, mq_open, mq_timedsend), its caller, the namespace's limits and "
       "usage at that moment, and the cause.", p,
       ["schema_version", "document", "tool", "generated_at", "time",
        "ipc_ns", "process", "call", "args", "errno", "error", "cause",
        "ns_state"])

p = envelope("watch_summary")
del p["ipc_namespace"]
p["duration_seconds"] = {"type": "number", "minimum": 0}
r = []
for k, d in (("failed", "failures that passed the filters"),
             ("sent", "events sent to user space"),
             ("dropped", "events lost because the ring buffer was full"),
             ("suppressed", "failures counted whose event the rate limit "
              "(--rate, per process, call and errno) held back"),
             ("masked", "failures counted whose errno was not asked for"),
             ("counter_full", "failures the per-call counter table had no "
              "room for")):
    u64(p, r, k, d)
p["attach"] = {"description": "how the program attached: exit (syscall "
               "exits only), enter-exit (entries and exits) or btf "
               "(tp_btf/sys_exit, every system call)",
               "enum": ["exit", "enter-exit", "btf"]}
p["counts"] = {"description": "exact failures per namespace, call and "
               "errno, counted in the kernel", "type": "array",
               "items": obj({"ipc_ns": {"type": "integer", "minimum": 1,
                                        "maximum": 4294967295},
                             "call": {"enum": CALLS},
                             "errno": ERRNO, "error": ERROR,
                             "count": {"type": "integer", "minimum": 1,
                                       "maximum": SAFE}},
                            ["ipc_ns", "call", "errno", "error", "count"])}
s_req = ["schema_version", "document", "tool", "generated_at",
         "duration_seconds", "failed", "sent", "dropped", "suppressed",
         "masked", "counter_full", "attach", "counts"]
schema("watch_summary", "ipctune watch summary, schema version 1",
       "The last line of 'ipctune watch --format json': the exact counts "
       "since it started.", p,
       s_req)
p = envelope("explain")
item = obj({
    "line": {"description": "its line in the input, or null when it was "
             "given as LINE or as options", "type": ["integer", "null"],
             "minimum": 1},
    "source": {"enum": ["strace", "perf", "options"]},
    "pid": {"description": "the PID strace or perf printed, or null",
            "anyOf": [{"$ref": "#/$defs/pid"}, {"type": "null"}]},
    "comm": {"description": "perf's command name, or null",
             "type": ["string", "null"]},
    "call": {"enum": CALLS},
    "args": watch_args(),
    "mq": {"description": "the POSIX queue calls only: mq_open's attr as "
           "the trace showed it (null when NULL, attr_null true, or a "
           "pointer not read), mq_timedsend's queue as strace -y named "
           "it and its attributes read now (null when unknown)",
           "type": "object", "additionalProperties": False,
           "properties": {
               "attr": {"anyOf": [obj({
                   "mq_maxmsg": {"type": "integer"},
                   "mq_msgsize": {"type": "integer"}},
                   ["mq_maxmsg", "mq_msgsize"]), {"type": "null"}]},
               "attr_null": {"type": "boolean"},
               "queue_name": {"type": ["string", "null"]},
               "queue": {"anyOf": [obj({
                   "mq_maxmsg": {"type": "integer"},
                   "mq_msgsize": {"type": "integer"},
                   "mq_curmsgs": {"type": "integer"}},
                   ["mq_maxmsg", "mq_msgsize", "mq_curmsgs"]),
                   {"type": "null"}]}}},
    "failed": {"description": "it returned -1", "type": "boolean"},
    "error": {"description": "the errno name printed, or null when it "
              "succeeded", "type": ["string", "null"],
              "pattern": "^E[A-Z0-9]+$"},
    "errno": {"description": "its value, or null when it succeeded or "
              "ipctune has no such name", "anyOf": [ERRNO,
              {"type": "null"}]},
    "verdict": {"description": "reproduced: the state fails it now with "
                "that errno; explained: an errno not replayed, said for "
                "what it is; succeeds_now: it would succeed now; "
                "fails_other: it would now fail with error_now; "
                "succeeded, fails_now: a call that succeeded, judged now",
                "enum": ["reproduced", "explained", "succeeds_now",
                         "fails_other", "succeeded", "fails_now"]},
    "error_now": {"description": "the errno fit predicts now, or null",
                  "type": ["string", "null"], "pattern": "^E[A-Z0-9]+$"},
    "cause": obj({
        "code": {"description": "fit's cause code (semmni, shmmax, ...), "
                 "what the errno means (permission, removed, ...), "
                 "not_reproduced or ok", "type": "string",
                 "pattern": "^[a-z0-9_]+$"},
        "limit": {"description": "a limit (or a full queue) causes it",
                  "type": "boolean"},
        "text": {"type": "string", "minLength": 1},
        "fix": {"type": ["string", "null"]},
    }, ["code", "limit", "text", "fix"]),
}, ["line", "source", "pid", "comm", "call", "args", "failed", "error",
    "errno", "verdict", "error_now", "cause"])
p["calls"] = {"description": "the calls read, in order", "type": "array",
              "items": item}
p["lines_refused"] = {"description": "lines that were not a call in a "
                      "format ipctune reads (each named on stderr)",
                      "type": "integer", "minimum": 0, "maximum": SAFE}
schema("explain", "ipctune explain, schema version 1",
       "'ipctune explain --format json': IPC calls (System V, mq_open and "
       "mq_timedsend) that strace or perf trace printed (or given as "
       "options), judged on the state now, with the cause and the fix.", p,
       ["schema_version", "document", "tool", "generated_at",
        "ipc_namespace", "calls", "lines_refused"])

with open(os.path.join(OUT, "facts-1.json"), "w") as f:
    json.dump(facts, f, indent=2)
    f.write("\n")
