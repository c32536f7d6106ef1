#!/usr/bin/env python3
"""Write N snapshot documents for 'ipctune report' tests and benchmarks.

Each document is a copy of a real 'ipctune snapshot' (the template) with
its own host name, sysctl values, object subset, attach counts and usage
counters, so the fleet has spread to aggregate.  With --broken K the last
K files are damaged on purpose: truncated JSON, a future schema_version,
or a document that is not a snapshot.  Deterministic for a given --seed.

usage: gensnapshots.py TEMPLATE OUTDIR N [--broken K] [--seed S]
"""
import copy
import json
import os
import random
import sys

SHMMNI = ["4096", "4096", "4096", "8192", "32768"]
SEM = ["32000\t1024000000\t500\t32000", "250\t32000\t32\t128",
       "250\t256000\t32\t1024", "32000\t1024000000\t500\t32000"]
MSGMNI = ["32000", "32000", "16384", "1024"]


def vary(doc, i, rng):
    d = copy.deepcopy(doc)
    name = "host%05d" % i
    d["host"]["hostname"] = name
    d["ipc_namespace"]["hostname"] = name
    d["host"]["read_at_unix"] = 1795900000 + i
    sc = d["sysctls"]
    # the typed members must agree with raw, as the loader checks
    for key, choices in (("kernel.shmmni", SHMMNI), ("kernel.msgmni", MSGMNI)):
        raw = rng.choice(choices)
        sc[key]["raw"] = raw
        sc[key]["value"] = int(raw)
    raw = rng.choice(SEM)
    sc["kernel.sem"]["raw"] = raw
    for field, v in zip(("semmsl", "semmns", "semopm", "semmni"), raw.split()):
        sc["kernel.sem"][field] = int(v)
    objs = d["objects"]
    for kind in ("shm", "sem", "msg"):
        lst = objs.get(kind, [])
        keep = rng.randint(len(lst) // 2, len(lst)) if lst else 0
        objs[kind] = lst[:keep]
    for s in objs.get("shm", []):
        s["nattch"] = rng.choice([0, 1, 1, 2, 5])
    if "orphans" in d:
        # the verdicts a host would judge: its unattached segments
        lost = [s for s in objs.get("shm", []) if s["nattch"] == 0]
        d["orphans"] = {"shm": len(lost), "sem": 0, "msg": 0, "unknown": 0,
                        "objects": [{"type": "shm", "id": s["id"],
                                     "reasons": ["no_attach", "creator_dead"]}
                                    for s in lost]}
    u = d["usage"]
    pg = d["host"]["page_size_bytes"]
    shm = objs.get("shm", [])
    u["shm_segments"] = len(shm)
    u["shm_pages"] = sum((s["size_bytes"] + pg - 1) // pg for s in shm)
    u["sem_arrays"] = len(objs.get("sem", []))
    u["sem_semaphores"] = sum(s["nsems"] for s in objs.get("sem", []))
    u["msg_queues"] = len(objs.get("msg", []))
    return d


def dumps(doc):
    """The layout 'ipctune snapshot' writes: indented, one object a line."""
    objs = doc.get("objects")
    rest = dict(doc)
    rest.pop("objects", None)
    text = json.dumps(rest, indent=2)
    if objs is None:
        return text
    parts = []
    for kind, lst in objs.items():
        lines = ",\n".join("    " + json.dumps(o) for o in lst)
        parts.append('    "%s": [%s]' % (kind, "\n" + lines + "\n  " if lst
                                          else ""))
    return text[:-2] + ',\n  "objects": {\n' + ",\n".join(parts) + "\n  }\n}"


def broken(doc, i, kind):
    text = dumps(doc)
    if kind == 0:
        return text[: len(text) // 2]
    d = copy.deepcopy(doc)
    if kind == 1:
        d["schema_version"] = 2
    else:
        d["document"] = "status"
    return dumps(d)


def main(argv):
    args = list(argv[1:])
    nbroken, seed = 0, 1
    for opt in ("--broken", "--seed"):
        if opt in args:
            k = args.index(opt)
            val = int(args[k + 1])
            del args[k:k + 2]
            if opt == "--broken":
                nbroken = val
            else:
                seed = val
    if len(args) != 3:
        sys.stderr.write(__doc__)
        return 2
    template, outdir, n = args[0], args[1], int(args[2])
    with open(template) as f:
        doc = json.load(f)
    os.makedirs(outdir, exist_ok=True)
    rng = random.Random(seed)
    for i in range(n):
        path = os.path.join(outdir, "host%05d.json" % i)
        d = vary(doc, i, rng)
        if i >= n - nbroken:
            text = broken(d, i, i % 3)
        else:
            text = dumps(d)
        with open(path, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
