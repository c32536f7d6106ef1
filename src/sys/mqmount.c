/*
 * mqmount.c: mounts the IPC namespace's mqueue fs where only the calling
 * process sees it: it first moves into a mount namespace of its own with
 * every mount private, so nothing propagates back to the host.  Callers
 * are forked children; it lists no queue and prints nothing.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stddef.h>
#include <sys/mount.h>

#include "mqmount.h"

int
mqmount_private(const char **dir)
{
	/*
	 * mqueue_get_tree() takes the mounter's IPC namespace (ipc/mqueue.c);
	 * do_add_mount() refuses (EBUSY) the same superblock on top of
	 * itself: where the namespace's mqueue fs is mounted already, or
	 * there is no /dev/mqueue, the next directory serves
	 */
	static const char *const dirs[] = { "/dev/mqueue", "/tmp", "/" };

	if (unshare(CLONE_NEWNS) < 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (mount("mqueue", dirs[i], "mqueue", MS_NOSUID | MS_NODEV |
		    MS_NOEXEC, NULL) == 0) {
			*dir = dirs[i];
			return 0;
		}
	return -1;
}
