#!/usr/bin/python
# Apply ipctune workload profiles (or roll the last apply back), with
# check mode, --diff and 'changed' from the tool's own JSON.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ipctune_profile
short_description: Apply IPC limits, System V and POSIX, from ipctune profiles
description:
  - C(state=applied) runs C(ipctune apply) with one or more workload
    profiles and C(--set) variables; it writes the running values in
    C(/proc/sys) and/or the sysctl.d drop-in.  Values are only raised
    unless I(exact) is set.
  - C(state=rolled_back) runs C(ipctune rollback), which puts back the
    running values and the drop-in of the last apply.
  - C(changed) comes from ipctune's own JSON.  Check mode runs the same
    command with C(--dry-run).  With C(--diff) the drop-in and the running
    values are shown before and after.
version_added: "0.1.0"
author: ipctune maintainers
options:
  profiles:
    description: Workload profiles (C(ipctune profiles) lists them); the
      larger value of each wins.  Required with C(state=applied).
    type: list
    elements: str
    aliases: [profile]
  sets:
    description: Profile variables to override, C(NAME=EXPR) each
      (C(--set)).
    type: dict
    default: {}
  state:
    description: C(applied) or C(rolled_back).
    type: str
    choices: [applied, rolled_back]
    default: applied
  runtime:
    description: Write the running values (C(/proc/sys)).
    type: bool
    default: true
  persist:
    description: Write the sysctl.d drop-in (read at the next boot).
    type: bool
    default: true
  dropin:
    description: The drop-in file (default
      C(/etc/sysctl.d/zz-ipctune.conf)).
    type: path
  exact:
    description: Use the profiles' values even where they are lower than
      the running ones.
    type: bool
    default: false
  force:
    description: Go below current usage, write an overridden drop-in, or
      roll back values changed by hand since the apply.
    type: bool
    default: false
  profile_dirs:
    description: More directories to look for profiles in.
    type: list
    elements: path
    default: []
  sysctl_root:
    description: Resolve sysctl.d files under this directory instead of
      C(/) (for tests and images).
    type: path
  bin:
    description: The ipctune program; by default found on C(PATH) or in
      C(/usr/sbin), C(/usr/local/sbin).
    type: path
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
notes:
  - C(ipctune verify) tells whether the host still complies; see the
    collection's playbook for failing a play on drift.
'''

EXAMPLES = r'''
- name: Oracle's limits for 500 processes, at runtime and at boot
  ipctune.ipctune.ipctune_profile:
    profiles: [oracle]
    sets:
      processes: 500

- name: Two workloads on one host, running values only
  ipctune.ipctune.ipctune_profile:
    profiles: [db2, ibm-mq]
    persist: false

- name: Undo the last apply
  ipctune.ipctune.ipctune_profile:
    state: rolled_back
'''

RETURN = r'''
document:
  description: The JSON document of C(ipctune apply) or C(ipctune
    rollback) (schemas C(apply-1.json), C(rollback-1.json)).
  returned: always
  type: dict
changed_sysctls:
  description: The sysctls whose running value was (would be) written.
  returned: always
  type: list
  elements: str
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ipctune.ipctune.plugins.module_utils.ipctune import (
    find_bin, run_json)

SEM = ("semmsl", "semmns", "semopm", "semmni")


def value_text(row, key):
    """A row's value as sysctl writes it: digits, or kernel.sem's four
    fields; the exact digits where the number is above 2^53-1."""
    v = row.get(key)
    if isinstance(v, dict):
        return " ".join(str(v.get(f + "_exact", v.get(f))) for f in SEM)
    if v is None:
        return row.get(key + "_exact", "(not read)")
    return str(v)


def read_text(path):
    try:
        with open(path) as f:
            return f.read()
    except (IOError, OSError):
        return ""


def apply(module, binary):
    p = module.params
    if not p["profiles"]:
        module.fail_json(msg="state=applied needs profiles")
    if not p["runtime"] and not p["persist"]:
        module.fail_json(msg="runtime and persist are both false: "
                         "nothing to write")
    argv = [binary, "apply", "--format", "json"]
    for name in p["profiles"]:
        argv += ["-p", name]
    for name in sorted(p["sets"]):
        argv += ["--set", "%s=%s" % (name, p["sets"][name])]
    if p["runtime"] and not p["persist"]:
        argv.append("--runtime")
    if p["persist"] and not p["runtime"]:
        argv.append("--persist")
    for opt in ("dropin", "sysctl_root"):
        if p[opt]:
            argv += ["--" + opt.replace("_", "-"), p[opt]]
    for d in p["profile_dirs"]:
        argv += ["--profile-dir", d]
    if p["exact"]:
        argv.append("--exact")
    if p["force"]:
        argv.append("--force")
    if module.check_mode:
        argv.append("--dry-run")
    dropin = {}
    if p["persist"]:
        # the drop-in before, for --diff (apply replaces it atomically)
        rc, dry = run_json(module, argv if module.check_mode else
                           argv + ["--dry-run"])
        dropin = dry.get("dropin") or {}
        before_dropin = read_text(dropin["path"]) if dropin.get(
            "existed") else ""
    rc, doc = run_json(module, argv)
    rows = doc.get("sysctls", [])
    changed_rows = [r for r in rows if r.get("changed")]
    before, after = "", ""
    for r in rows:
        before += "%s = %s\n" % (r["sysctl"], value_text(r, "current"))
        after += "%s = %s\n" % (r["sysctl"], value_text(
            r, "recommended" if r.get("changed") else "current"))
    diff = [{"before_header": "running values", "after_header":
             "running values", "before": before, "after": after}]
    if p["persist"]:
        d = doc.get("dropin") or {}
        diff.append({"before_header": d.get("path") or dropin.get("path"),
                     "after_header": d.get("path") or dropin.get("path"),
                     "before": before_dropin,
                     "after": d.get("content") or before_dropin})
    result = dict(changed=bool(doc.get("changed")), document=doc,
                  changed_sysctls=[r["sysctl"] for r in changed_rows])
    if module._diff:
        result["diff"] = diff
    for w in doc.get("warnings", []):
        module.warn(w)
    module.exit_json(**result)


def rollback(module, binary):
    argv = [binary, "rollback", "--format", "json"]
    if module.params["force"]:
        argv.append("--force")
    if module.check_mode:
        argv.append("--dry-run")
    rc, doc = run_json(module, argv, ok_rcs=(0, 1))
    if not doc.get("ok", False):
        refused = [r["sysctl"] + ": " + r["refused"]
                   for r in doc.get("runtime", []) if r.get("refused")]
        module.fail_json(msg="ipctune rollback refused: " + "; ".join(
            refused or ["see the document"]), document=doc)
    rows = doc.get("runtime", [])
    result = dict(changed=bool(doc.get("changed")) or (
        module.check_mode and doc.get("found") and any(
            value_text(r, "old") != value_text(r, "new") for r in rows)),
        document=doc, changed_sysctls=[r["sysctl"] for r in rows])
    if module._diff:
        result["diff"] = [{
            "before_header": "running values",
            "after_header": "running values",
            "before": "".join("%s = %s\n" % (r["sysctl"], value_text(r, "old"))
                              for r in rows),
            "after": "".join("%s = %s\n" % (r["sysctl"], value_text(r, "new"))
                             for r in rows)}]
    module.exit_json(**result)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            profiles=dict(type="list", elements="str", aliases=["profile"]),
            sets=dict(type="dict", default={}),
            state=dict(type="str", default="applied",
                       choices=["applied", "rolled_back"]),
            runtime=dict(type="bool", default=True),
            persist=dict(type="bool", default=True),
            dropin=dict(type="path"),
            exact=dict(type="bool", default=False),
            force=dict(type="bool", default=False),
            profile_dirs=dict(type="list", elements="path", default=[]),
            sysctl_root=dict(type="path"),
            bin=dict(type="path"),
        ),
        supports_check_mode=True)
    binary = find_bin(module)
    if module.params["state"] == "applied":
        apply(module, binary)
    else:
        rollback(module, binary)


if __name__ == "__main__":
    main()
