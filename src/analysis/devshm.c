/*
 * devshm.c: the text that makes the /dev/shm tmpfs a given size at the
 * next boot, chosen by how the host mounts it.  systemd mounts /dev/shm
 * itself (an API file system) and systemd-remount-fs applies an
 * /etc/fstab line for it at boot; an explicit dev-shm.mount unit gets a
 * drop-in.  Pure: it reads no file and writes none.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devshm.h"
#include "numparse.h"
#include "xmalloc.h"

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
		snprintf(text, textlen, DEVSHM_MARKER "[Mount]\nOptions="
		    DEVSHM_DEFAULT_OPTS ",size=%" PRIu64 "k\n", sizek);
		return DEVSHM_MOUNT_DROPIN;
	}
	snprintf(file, filelen, "/etc/fstab");
	snprintf(text, textlen, "tmpfs /dev/shm tmpfs " DEVSHM_DEFAULT_OPTS
	    ",size=%" PRIu64 "k 0 0", sizek);
	return DEVSHM_FSTAB_ADD;
}

/* The LEN bytes at P as a string. */
static char *
dupn(const char *p, size_t len)
{
	char *s = xmalloc(len + 1);

	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

bool
devshm_fstab_is_shm(const char *line, size_t len)
{
	char *l = dupn(line, len);
	const char *f;
	size_t n;
	bool r;

	/* fstab(5): '#' starts a comment line; the mount point is field 2 */
	f = l + strspn(l, " \t");
	r = *f != '#' && field(l, 1, &f, &n) &&
	    ((n == 8 && strncmp(f, "/dev/shm", 8) == 0) ||
	    (n == 9 && strncmp(f, "/dev/shm/", 9) == 0));
	free(l);
	return r;
}

/* The /dev/shm line of TEXT: its offset and length; 0, 1 or 2 (more). */
static int
find_shm(const char *text, size_t *off, size_t *len)
{
	const char *p = text;
	int found = 0;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");

		if (devshm_fstab_is_shm(p, n)) {
			if (found++ == 0) {
				*off = (size_t)(p - text);
				*len = n;
			} else
				return 2;
		}
		p += n + (p[n] == '\n');
	}
	return found;
}

/* LINE with its options field replaced for SIZEK KiB, into *OUT. */
static int
edit_line(const char *line, uint64_t sizek, char **out, char *err,
    size_t errlen)
{
	const char *type, *o;
	size_t typelen, olen;
	char opts[1100];

	if (!field(line, 2, &type, &typelen) || typelen != 5 ||
	    strncmp(type, "tmpfs", 5) != 0) {
		snprintf(err, errlen, "the /dev/shm line of fstab is not a "
		    "tmpfs: not ours to change");
		return -1;
	}
	if (!field(line, 3, &o, &olen) ||
	    devshm_fstab_options(line, sizek, opts, sizeof(opts)) < 0) {
		snprintf(err, errlen, "the /dev/shm line of fstab has no "
		    "options field (or one over 1023 bytes)");
		return -1;
	}
	*out = xasprintf("%.*s%s%s", (int)(o - line), line, opts, o + olen);
	return 0;
}

int
devshm_fstab_set(const char *text, uint64_t sizek, char **out, char *err,
    size_t errlen)
{
	size_t off = 0, len = 0, tl = strlen(text);
	char *line, *nl;
	int n = find_shm(text, &off, &len);

	*out = NULL;
	if (n > 1) {
		snprintf(err, errlen, "fstab has more than one /dev/shm line: "
		    "which one the boot uses is not ours to guess");
		return -1;
	}
	if (n == 0) {
		*out = xasprintf("%s%stmpfs /dev/shm tmpfs "
		    DEVSHM_DEFAULT_OPTS ",size=%" PRIu64 "k 0 0\n", text,
		    tl > 0 && text[tl - 1] != '\n' ? "\n" : "", sizek);
		return 0;
	}
	line = dupn(text + off, len);
	if (edit_line(line, sizek, &nl, err, errlen) < 0) {
		free(line);
		return -1;
	}
	*out = xasprintf("%.*s%s%s", (int)off, text, nl, text + off + len);
	free(nl);
	free(line);
	return 0;
}

/* The last size= of the comma-separated options O (LEN bytes). */
static int
opts_size(const char *o, size_t len, uint64_t *bytes)
{
	static const struct { char c; unsigned shift; } unit[] = {
		{ 'k', 10 }, { 'm', 20 }, { 'g', 30 },
	};
	const char *p, *v = NULL, *end = o + len;
	uint64_t n = 0;

	for (p = o; p < end; p++)
		if ((p == o || p[-1] == ',') && end - p > 5 &&
		    strncmp(p, "size=", 5) == 0)
			v = p + 5;
	if (v == NULL || v >= end || *v < '0' || *v > '9')
		return -1;
	for (; v < end && *v >= '0' && *v <= '9'; v++) {
		if (n > (UINT64_MAX - 9) / 10)
			return -1;
		n = n * 10 + (uint64_t)(*v - '0');
	}
	for (size_t i = 0; v < end && *v != ',' &&
	    i < sizeof(unit) / sizeof(unit[0]); i++)
		if ((*v | 0x20) == unit[i].c) {
			if (n > UINT64_MAX >> unit[i].shift)
				return -1;
			n <<= unit[i].shift;
			v++;
			break;
		}
	if (v < end && *v != ',')
		return -1;
	*bytes = n;
	return 0;
}

int
devshm_boot_size(const char *text, bool dropin, uint64_t *bytes)
{
	const char *p = text, *o;
	size_t off, len, olen;
	char *line;
	int r;

	if (dropin) {
		/* systemd.mount(5): [Mount] Options=, the last one given */
		int found = -1;

		while (*p != '\0') {
			size_t n = strcspn(p, "\n");

			if (n > 8 && strncmp(p, "Options=", 8) == 0)
				found = opts_size(p + 8, n - 8, bytes);
			p += n + (p[n] == '\n');
		}
		return found;
	}
	if (find_shm(text, &off, &len) != 1)
		return -1;
	line = dupn(text + off, len);
	r = field(line, 3, &o, &olen) ? opts_size(o, olen, bytes) : -1;
	free(line);
	return r;
}
