#!/usr/bin/python
# Remove orphaned IPC objects with ipctune's safeguards.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ipctune_clean
short_description: Remove orphaned (leaked) IPC objects, System V and POSIX
description:
  - Runs C(ipctune clean --all-orphans); each object C(ipctune orphans)
    judges orphaned is checked again just before it is removed; attached
    segments, queues holding messages and arrays that may be locks are
    kept unless asked for.
  - Check mode is ipctune's own dry run (no C(--yes)), and C(changed) says
    whether anything would be removed.
version_added: "0.1.0"
author: ipctune maintainers
options:
  types:
    description: Only objects of these types.
    type: list
    elements: str
    choices: [shm, sem, msg, pshm, psem, pmq]
  owner:
    description: Only objects owned by this user (name or uid).
    type: str
  min_age:
    description: Semaphore arrays and unused queues count as orphaned only
      after this age (C(1h) by default in ipctune).
    type: str
  older_than:
    description: Only objects unused for at least this age.
    type: str
  include_nonempty:
    description: Also remove message queues that hold messages.
    type: bool
    default: false
  include_locked:
    description: Also remove semaphore arrays that may be SEM_UNDO locks.
    type: bool
    default: false
  backup_dir:
    description: Save each segment's and POSIX file's contents (a POSIX
      queue's attributes) and a manifest here first.
    type: path
  pid:
    description: Clean the IPC namespace of this process (a container).
    type: int
  bin:
    description: The ipctune program; by default found on C(PATH) or in
      C(/usr/sbin), C(/usr/local/sbin).
    type: path
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
'''

EXAMPLES = r'''
- name: Remove leaked semaphore arrays of apache older than a day
  ipctune.ipctune.ipctune_clean:
    types: [sem]
    owner: apache
    min_age: 1d
'''

RETURN = r'''
counts:
  description: would_remove, removed, skipped and failed.
  returned: always
  type: dict
document:
  description: The JSON document of C(ipctune clean) (schema
    C(clean-1.json)).
  returned: always
  type: dict
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ipctune.ipctune.plugins.module_utils.ipctune import (
    find_bin, run_json)


def main():
    module = AnsibleModule(
        argument_spec=dict(
            types=dict(type="list", elements="str",
                       choices=["shm", "sem", "msg", "pshm", "psem",
                                "pmq"]),
            owner=dict(type="str"),
            min_age=dict(type="str"),
            older_than=dict(type="str"),
            include_nonempty=dict(type="bool", default=False),
            include_locked=dict(type="bool", default=False),
            backup_dir=dict(type="path"),
            pid=dict(type="int"),
            bin=dict(type="path"),
        ),
        supports_check_mode=True)
    p = module.params
    argv = [find_bin(module), "clean", "--all-orphans", "--format", "json"]
    for t in p["types"] or []:
        argv += ["--type", t]
    for opt in ("owner", "min_age", "older_than", "backup_dir"):
        if p[opt]:
            argv += ["--" + opt.replace("_", "-"), p[opt]]
    if p["pid"] is not None:
        argv += ["--pid", str(p["pid"])]
    if p["include_nonempty"]:
        argv.append("--include-nonempty")
    if p["include_locked"]:
        argv.append("--include-locked")
    if not module.check_mode:
        argv.append("--yes")
    rc, doc = run_json(module, argv)
    counts = doc.get("counts", {})
    changed = counts.get("would_remove" if module.check_mode else
                         "removed", 0) > 0
    if counts.get("failed", 0) > 0:
        module.fail_json(msg="%d objects could not be removed" %
                         counts["failed"], counts=counts, document=doc)
    module.exit_json(changed=changed, counts=counts, document=doc)


if __name__ == "__main__":
    main()
