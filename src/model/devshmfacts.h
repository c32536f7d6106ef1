/*
 * devshmfacts.h: how the host mounts /dev/shm, as devshmfs.c reads it and
 * devshm.c turns it into boot-time text.  Data only; nothing here reads
 * or decides anything.
 */
#ifndef DEVSHMFACTS_H
#define DEVSHMFACTS_H

#include <stdbool.h>

struct devshm_host {
	bool has_fstab_line;
	char fstab_line[512];	/* the /dev/shm line, without newline */
	bool has_mount_unit;	/* /etc/systemd/system/dev-shm.mount */
};

#endif
