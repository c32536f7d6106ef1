# Shared by the ipctune modules: run the installed ipctune with
# --format json and parse its one document.
from __future__ import absolute_import, division, print_function
__metaclass__ = type

import json


def run_json(module, argv, ok_rcs=(0,)):
    """Run ARGV; return (rc, document).  A run whose exit status is not
    in OK_RCS or whose stdout is not one JSON object fails the task with
    ipctune's own message (its error document or stderr)."""
    rc, out, err = module.run_command(argv)
    doc = None
    try:
        doc = json.loads(out)
    except ValueError:
        pass
    if rc not in ok_rcs or not isinstance(doc, dict):
        msg = err.strip() or out.strip() or "ipctune exited %d" % rc
        if isinstance(doc, dict) and isinstance(doc.get("error"), dict):
            msg = doc["error"].get("message", msg)
        module.fail_json(msg=msg, rc=rc, cmd=argv, stdout=out, stderr=err,
                         document=doc)
    return rc, doc


def find_bin(module):
    """The ipctune program: the option 'bin', else from PATH (sbin
    directories included)."""
    b = module.params.get("bin")
    if b:
        return b
    return module.get_bin_path("ipctune", required=True,
                               opt_dirs=["/usr/sbin", "/usr/local/sbin"])
