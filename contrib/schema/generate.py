#!/usr/bin/python3
"""Write the JSON Schemas of ipctune's documents (draft 2020-12) into
the directory given: status-1.json, list-1.json, owners-1.json,
snapshot-1.json and error-1.json.  The .json files are committed; tests/sys/t_schema.sh
checks that they match this generator, so edit here and rerun:
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

def u64(props, rules, name, desc, nullable=False):
    props[name] = {"$ref": "#/$defs/u64", "description": desc}
    props[name + "_exact"] = {"$ref": "#/$defs/exact"}
    rules.append({"if": {"required": [name + "_exact"]},
                  "then": {"properties": {name: {"type": "null"}}}})
    if not nullable:
        rules.append({"if": {"properties": {name: {"type": "null"}},
                             "required": [name]},
                      "then": {"required": [name + "_exact"]}})

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
    "fs.mqueue.queues_max": ("queues", INT_MAX),
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
    semf = {"type": "integer", "minimum": 0, "maximum": INT_MAX}
    p["kernel.sem"] = obj({
        "raw": {"type": "string", "maxLength": 95},
        "semmsl": dict(semf, description="max semaphores per array"),
        "semmns": dict(semf, description="max semaphores in all arrays"),
        "semopm": dict(semf, description="max operations per semop call"),
        "semmni": dict(semf, maximum=16777216,
                       description="max arrays (bounded by IPCMNI)"),
        "unit": {"const": ""},
    }, ["raw", "semmsl", "semmns", "semopm", "semmni", "unit"],
        desc="kernel.sem as named fields (a negative field reads as 0 and "
        "is reported as a finding)")
    return obj(p, [], desc="the IPC sysctls as read; absent ones (no "
               "CONFIG_POSIX_MQUEUE, old kernels) are left out")

RES = ["shmmni", "shmall", "shmmax", "semmni", "semmns", "semmsl", "semopm",
       "msgmni", "msgmnb", "msgmax", "mqueue_queues", "dev_shm"]
UNITS = ["segments", "pages", "bytes", "arrays", "semaphores", "operations",
         "queues"]

def resources():
    p, r = {}, []
    p["name"] = {"enum": RES}
    p["description"] = {"type": "string"}
    p["unit"] = {"enum": UNITS}
    p["sysctl"] = {"description": "the sysctl that sets the limit, or null",
                   "type": ["string", "null"]}
    u64(p, r, "limit", "the limit, or null when unknown", True)
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
    p["cgid"] = {"$ref": "#/$defs/xid"}
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
    u64(p, r, "nsems", "semaphores in the array")
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

def objects_props():
    return {
        "shm": {"type": "array", "items": {"$ref": "#/$defs/shm_object"}},
        "sem": {"type": "array", "items": {"$ref": "#/$defs/sem_object"}},
        "msg": {"type": "array", "items": {"$ref": "#/$defs/msg_object"}},
    }

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
    req = ["uid", "user", "shm_segments", "shmmni_ratio", "shm_pages",
           "shmall_ratio", "shm_bytes", "sem_arrays", "semmni_ratio",
           "sem_semaphores", "semmns_ratio", "msg_queues", "msgmni_ratio",
           "msg_bytes", "msg_messages"]
    return {"type": "array", "items": obj(p, req, r)}

def schema(doc, title, desc, props, req, extra_defs=None):
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
    with open(os.path.join(OUT, doc + "-1.json"), "w") as f:
        json.dump(s, f, indent=2)
        f.write("\n")

objdefs = {"shm_object": shm_obj(), "sem_object": sem_obj(),
           "msg_object": msg_obj()}
p = envelope("status")
p.update({"host": host(), "sysctls": sysctls(), "resources": resources(),
          "findings": findings()})
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
p = envelope("list")
p.update(objects_props())
schema("list", "ipctune list, schema version 1",
       "Output of 'ipctune list [shm|sem|msg] --format json': every "
       "object of the types asked for (a type not asked for is absent).",
       p, ENV_REQ, objdefs)
p = envelope("owners")
p["owners"] = owners()
schema("owners", "ipctune owners, schema version 1",
       "Output of 'ipctune owners --format json': IPC usage summed per "
       "owning uid, with the share of each namespace-wide limit.", p,
       ENV_REQ + ["owners"])
p = envelope("snapshot")
p.update({"host": host(), "sysctls": sysctls(), "usage": usage(),
          "resources": resources(), "findings": findings(),
          "objects": obj(objects_props(), ["shm", "sem", "msg"])})
schema("snapshot", "ipctune snapshot, schema version 1",
       "Output of 'ipctune snapshot': the whole IPC state of one namespace, "
       "the input of --from.  Loaders check every member's type and range.",
       p, ENV_REQ + ["host", "sysctls", "usage", "resources", "findings",
                     "objects"], objdefs)
