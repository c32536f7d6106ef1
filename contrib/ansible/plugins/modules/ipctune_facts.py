#!/usr/bin/python
# Gather the typed IPC facts of 'ipctune facts' into ansible_facts.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

DOCUMENTATION = r'''
---
module: ipctune_facts
short_description: Gather the IPC limits and usage (System V, POSIX) as facts
description:
  - Runs C(ipctune facts) on the host and sets its flat object of
    C(ipctune_*) keys as the fact C(ipctune) (C(ansible_facts.ipctune)).
  - Values are typed (integers, ratios, booleans, null); a value that can
    pass 2^53 (shmmax, shmall) has a C(_exact) string twin and is null when
    it is above 2^53-1.  A C(used_ratio) is null where a resource has no
    usage or limit, so filters must allow for null (see the examples).
  - Read-only; supports check mode.
version_added: "0.1.0"
author: ipctune maintainers
options:
  bin:
    description: The ipctune program; by default found on C(PATH) or in
      C(/usr/sbin), C(/usr/local/sbin).
    type: path
  pid:
    description: Report the IPC namespace of this process (a container)
      instead of the module's own.
    type: int
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
notes:
  - Needs ipctune on the host (the Debian package, or C(make install)).
'''

EXAMPLES = r'''
- name: Gather the IPC facts
  ipctune.ipctune.ipctune_facts:

- name: Fail when semaphore arrays run short
  ansible.builtin.assert:
    that: (ansible_facts.ipctune.ipctune_semmni_used_ratio | default(0, true)) < 0.9

# used_ratio is null for a resource without usage or limit: Jinja's
# comparison with null fails ("'>' not supported between NoneType and
# float"), the way jq's 'select(.used_ratio > 0.8)' does not.  Drop the
# nulls first, or give them a default:
- name: Resources above 80%, nulls left out
  ansible.builtin.debug:
    msg: >-
      {{ ansible_facts.ipctune | dict2items
         | selectattr('key', 'match', '^ipctune_.*_used_ratio$')
         | rejectattr('value', 'none')
         | selectattr('value', 'gt', 0.8)
         | map(attribute='key') | list }}
'''

RETURN = r'''
ansible_facts:
  description: The facts.
  returned: always
  type: dict
  contains:
    ipctune:
      description: The object C(ipctune facts) prints (schema
        C(share/ipctune/schema/facts-1.json)), for example
        C(ipctune_status), C(ipctune_semmni_used_ratio),
        C(ipctune_shmmax_bytes_exact).
      type: dict
      returned: always
'''

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.ipctune.ipctune.plugins.module_utils.ipctune import (
    find_bin, run_json)


def main():
    module = AnsibleModule(
        argument_spec=dict(bin=dict(type="path"), pid=dict(type="int")),
        supports_check_mode=True)
    argv = [find_bin(module), "facts"]
    if module.params["pid"] is not None:
        argv += ["--pid", str(module.params["pid"])]
    dummy, facts = run_json(module, argv)
    module.exit_json(changed=False, ansible_facts={"ipctune": facts})


if __name__ == "__main__":
    main()
