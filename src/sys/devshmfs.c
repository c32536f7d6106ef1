/*
 * devshmfs.c: the /dev/shm facts apply needs (the fstab line, an explicit
 * mount unit) and the one runtime change it may make there: a remount
 * that makes the tmpfs larger, by mount(2) with MS_REMOUNT (never by
 * running mount(8)), keeping the mount's flags.  Files are read through
 * infile.c; nothing is written here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>

#include "devshmfs.h"
#include "errstr.h"
#include "infile.h"
#include "numparse.h"

#define DEVSHMFS_TMPFS_MAGIC 0x01021994

/* Is LINE an fstab entry whose mount point is /dev/shm? */
static bool
is_devshm_line(const char *line)
{
	const char *p = line + strspn(line, " \t");
	size_t n;

	if (*p == '#' || *p == '\0')
		return false;
	p += strcspn(p, " \t");
	p += strspn(p, " \t");
	n = strcspn(p, " \t");
	return (n == 8 && strncmp(p, "/dev/shm", 8) == 0) ||
	    (n == 9 && strncmp(p, "/dev/shm/", 9) == 0);
}

int
devshmfs_inspect(const char *root, struct devshm_host *h, char *err,
    size_t errlen)
{
	char path[4096], *buf = NULL, *line, *save = NULL;
	struct stat st;
	size_t len;

	memset(h, 0, sizeof(*h));
	snprintf(path, sizeof(path), "%s/etc/systemd/system/dev-shm.mount",
	    root != NULL ? root : "");
	h->has_mount_unit = lstat(path, &st) == 0;
	snprintf(path, sizeof(path), "%s/etc/fstab", root != NULL ? root : "");
	if (infile_read(path, 0, 1 << 20, &buf, &len, err, errlen) < 0)
		return errno == ENOENT ? 0 : -1;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save))
		if (is_devshm_line(line) && strlen(line) <
		    sizeof(h->fstab_line)) {
			snprintf(h->fstab_line, sizeof(h->fstab_line), "%s",
			    line);
			h->has_fstab_line = true;
		}
	free(buf);
	return 0;
}

/* statvfs's ST_* flags as the MS_* flags a remount must repeat. */
static unsigned long
mount_flags(unsigned long f)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID },
		{ ST_NODEV, MS_NODEV }, { ST_NOEXEC, MS_NOEXEC },
		{ ST_SYNCHRONOUS, MS_SYNCHRONOUS },
		{ ST_MANDLOCK, MS_MANDLOCK }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long ms = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (f & map[i].st)
			ms |= map[i].ms;
	return ms;
}

/* Remount the tmpfs at PATH (flags from SV) with size=SIZEK k. */
static int
remount_size(const char *path, const struct statvfs *sv, uint64_t sizek,
    char *err, size_t errlen)
{
	char data[64];

	snprintf(data, sizeof(data), "size=%" PRIu64 "k", sizek);
	/* shmem_reconfigure() changes only the options given in DATA */
	if (mount("tmpfs", path, NULL, MS_REMOUNT | mount_flags(sv->f_flag),
	    data) < 0) {
		int e = errno;

		snprintf(err, errlen, "remount %s with %s: %s", path, data,
		    errstr(e));
		errno = e;
		return -1;
	}
	return 0;
}

int
devshmfs_restore(const char *path, uint64_t old, char *err, size_t errlen)
{
	struct statvfs sv;

	if (statvfs(path, &sv) < 0) {
		snprintf(err, errlen, "%s: %s", path, errstr(errno));
		return -1;
	}
	return remount_size(path, &sv, num_div_ceil_u64(old, 1024), err,
	    errlen);
}

int
devshmfs_grow(const char *path, uint64_t size, uint64_t *old, char *err,
    size_t errlen)
{
	uint64_t sizek = num_div_ceil_u64(size, 1024);
	struct statvfs sv;
	struct statfs sfs;

	if (statfs(path, &sfs) < 0 || statvfs(path, &sv) < 0) {
		snprintf(err, errlen, "%s: %s", path, errstr(errno));
		return -1;
	}
	if ((unsigned long)sfs.f_type != DEVSHMFS_TMPFS_MAGIC) {
		snprintf(err, errlen, "%s is not a tmpfs", path);
		errno = EINVAL;
		return -1;
	}
	*old = (uint64_t)sv.f_blocks * (sv.f_frsize ? sv.f_frsize :
	    sv.f_bsize);
	if (sizek > UINT64_MAX / 1024 || sizek * 1024 <= *old) {
		snprintf(err, errlen, "%s is %" PRIu64 " bytes already; only a "
		    "larger size is set at runtime", path, *old);
		errno = ERANGE;
		return -1;
	}
	return remount_size(path, &sv, sizek, err, errlen);
}
