/*
 * posixname.c: the table of naming conventions that carry a creator's
 * PID in a POSIX object's name, and the one parser of them.  A new
 * convention is a row; the parser is strict (digits only, no sign, no
 * leading zero, within pid_max's range) so a name never lends a PID it
 * does not spell exactly.
 */
#include <string.h>

#include "numparse.h"
#include "posixname.h"

const struct posixname_conv posixname_table[] = {
	/* torch/lib/libshm: "/torch_" + getpid() + "_" + a random number */
	{ IPC_PSHM, "torch_", '_', "PyTorch (libshm)",
	    "torch/lib/libshm/core.cpp", false },
	/* joblib/loky: "/loky-%i-%s" % (os.getpid(), random) */
	{ IPC_PSEM, "sem.loky-", '-', "joblib loky",
	    "loky/backend/synchronize.py", false },
	/* liboauth2 (mod_auth_openidc): "/zzo-sema-%d.%p", getpid() */
	{ IPC_PSEM, "sem.zzo-sema-", '.', "liboauth2",
	    "src/ipc.c", false },
	/*
	 * ipctune clean's own private name for a file it is removing
	 * (".ipctune-clean.PID.INODE", src/ops/pcleantx.c): in use while
	 * that clean runs, and left by one that was killed
	 */
	{ IPC_PSHM, ".ipctune-clean.", '.', "ipctune clean",
	    "src/ops/pcleantx.c", true },
};

const size_t posixname_count = sizeof(posixname_table) /
    sizeof(posixname_table[0]);

/* The PID spelled by the LEN digits at S, or -1 if they are not one. */
static int
parse_pid(const char *s, size_t len, pid_t *pid)
{
	char buf[16];
	uint64_t v;

	if (len == 0 || len >= sizeof(buf) || s[0] == '0')
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* PID_MAX_LIMIT is 4194304 (include/linux/threads.h) */
	if (num_parse_u64(buf, 1, 4194304, &v) < 0)
		return -1;
	*pid = (pid_t)v;
	return 0;
}

const struct posixname_conv *
posixname_pid(enum ipc_type type, const char *name, pid_t *pid)
{
	for (size_t i = 0; i < posixname_count; i++) {
		const struct posixname_conv *c = &posixname_table[i];
		size_t pl = strlen(c->prefix), n;
		const char *d;

		if (c->type != type || strncmp(name, c->prefix, pl) != 0)
			continue;
		d = name + pl;
		n = strspn(d, "0123456789");
		if (d[n] != c->end || parse_pid(d, n, pid) < 0)
			continue;
		return c;
	}
	return NULL;
}
