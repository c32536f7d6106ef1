/*
 * mqmount.h: mounts the current IPC namespace's mqueue fs in a private
 * mount namespace, for a forked child that lists the queues; the host's
 * mounts are never touched.  It opens no queue and decides nothing.
 */
#ifndef MQMOUNT_H
#define MQMOUNT_H

#define MQMOUNT_MAGIC 0x19800202	/* include/uapi/linux/magic.h */

/*
 * In a child about to exit: move into a private mount namespace and
 * mount this IPC namespace's mqueue fs on /dev/mqueue, /tmp or /, the
 * first that takes it, named in *DIR.  0, or -1 with errno (without
 * CAP_SYS_ADMIN: EPERM).
 */
int mqmount_private(const char **dir);

#endif
