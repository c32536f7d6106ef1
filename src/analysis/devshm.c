/*
 * devshm.c: the text that makes the /dev/shm tmpfs a given size at the
 * next boot, chosen by how the host mounts it.  systemd mounts /dev/shm
 * itself (an API file system) and systemd-remount-fs applies an
 * /etc/fstab line for it at boot; an explicit dev-shm.mount unit gets a
 * drop-in.  Pure: it reads no file and writes none.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "devshm.h"
#include "numparse.h"

#define DEVSHM_DEFAULT_OPTS "rw,nosuid,nodev"

/* The WANT-th whitespace-separated field of LINE: start and length. */
static bool
field(const char *line, int want, const char **start, size_t *len)
{
	const char *p = line;

	for (int i = 0; ; i++) {
		p += strspn(p, " \t");
		if (*p == '\0')
			return false;
		*len = strcspn(p, " \t");
		if (i == want) {
			*start = p;
			return true;
		}
		p += *len;
	}
}

int
devshm_fstab_options(const char *line, uint64_t sizek, char *out,
    size_t outlen)
{
	const char *o, *p;
	size_t olen, off = 0;
	int n;

	if (!field(line, 3, &o, &olen) || olen >= 1024)
		return -1;
	out[0] = '\0';
	for (p = o; p < o + olen; ) {
		size_t l = strcspn(p, ",");

		if (l > (size_t)(o + olen - p))
			l = (size_t)(o + olen - p);
		/* drop size= and empty options; keep the rest in order */
		if (l > 0 && !(l >= 5 && strncmp(p, "size=", 5) == 0)) {
			n = snprintf(out + off, outlen - off, "%s%.*s",
			    off ? "," : "", (int)l, p);
			if (n < 0 || (size_t)n >= outlen - off)
				return -1;
			off += (size_t)n;
		}
		p += l + 1;
	}
	n = snprintf(out + off, outlen - off, "%ssize=%" PRIu64 "k",
	    off ? "," : "", sizek);
	return n < 0 || (size_t)n >= outlen - off ? -1 : 0;
}

enum devshm_persist
devshm_persist_text(const struct devshm_host *h, uint64_t size, char *file,
    size_t filelen, char *text, size_t textlen)
{
	uint64_t sizek = num_div_ceil_u64(size, 1024);
	char opts[1100];
	const char *spec, *type, *rest;
	size_t speclen, typelen, restlen;

	/* only a tmpfs line is edited: anything else is not ours to fix */
	if (h->has_fstab_line &&
	    devshm_fstab_options(h->fstab_line, sizek, opts,
	    sizeof(opts)) == 0 && field(h->fstab_line, 0, &spec, &speclen) &&
	    field(h->fstab_line, 2, &type, &typelen) && typelen == 5 &&
	    strncmp(type, "tmpfs", 5) == 0) {
		snprintf(file, filelen, "/etc/fstab");
		if (!field(h->fstab_line, 4, &rest, &restlen))
			rest = "0 0";
		snprintf(text, textlen, "%.*s /dev/shm %.*s %s %s",
		    (int)speclen, spec, (int)typelen, type, opts, rest);
		return DEVSHM_FSTAB_EDIT;
	}
	if (h->has_mount_unit) {
		snprintf(file, filelen, "/etc/systemd/system/dev-shm.mount.d/"
		    "ipctune.conf");
		snprintf(text, textlen, "[Mount]\nOptions=" DEVSHM_DEFAULT_OPTS
		    ",size=%" PRIu64 "k\n", sizek);
		return DEVSHM_MOUNT_DROPIN;
	}
	snprintf(file, filelen, "/etc/fstab");
	snprintf(text, textlen, "tmpfs /dev/shm tmpfs " DEVSHM_DEFAULT_OPTS
	    ",size=%" PRIu64 "k 0 0", sizek);
	return DEVSHM_FSTAB_ADD;
}
