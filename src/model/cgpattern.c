/*
 * cgpattern.c: the cgroup layouts of container runtimes and systemd
 * units, as rows, and the matcher over a cgroup path.  It only reads the
 * text it is given; the paths come from /proc/PID/cgroup through sys/.
 * A layout not in the table is not guessed at: the caller shows the raw
 * path.
 */
#include <string.h>

#include "cgpattern.h"

/*
 * Observed and documented layouts (man/ipctune.8, 'namespaces'):
 * podman with cgroupfs '/libpod_parent/libpod-<id>',
 * pods '/libpod_parent/<pod>/libpod-<id>', with systemd
 * '/machine.slice/libpod-<id>.scope'; docker '/docker/<id>' and
 * '/system.slice/docker-<id>.scope'; containerd under the kubelet
 * '.../cri-containerd-<id>.scope' or, with a driver mismatch,
 * '...slice:cri-containerd:<id>'; CRI-O '.../crio-<id>.scope'; the
 * kubelet's cgroupfs driver '/kubepods/<qos>/pod<uid>/<id>'; LXC
 * '/lxc.payload.<name>' and '/lxc/<name>'; systemd-nspawn
 * '/machine.slice/machine-<name>.scope'.  A parent ending in '*' is a
 * prefix.
 */
const struct cgpattern cgpattern_table[] = {
	{ "podman", "libpod-", "", CGP_HEX64, NULL, true },
	{ "podman", "libpod-", ".scope", CGP_HEX64, NULL, true },
	{ "docker", "docker-", ".scope", CGP_HEX64, NULL, true },
	{ "docker", "", "", CGP_HEX64, "docker", true },
	{ "containerd", "cri-containerd-", ".scope", CGP_HEX64, NULL, true },
	{ "containerd", ":cri-containerd:", "", CGP_HEX64, NULL, true },
	{ "cri-o", "crio-", ".scope", CGP_HEX64, NULL, true },
	{ "kubernetes", "", "", CGP_HEX64, "pod*", true },
	{ "lxc", "lxc.payload.", "", CGP_NAME, NULL, true },
	{ "lxc", "", "", CGP_NAME, "lxc", true },
	{ "nspawn", "machine-", ".scope", CGP_NAME, "machine.slice", true },
	{ "systemd", "", ".service", CGP_NAME, NULL, false },
	{ "session", "session-", ".scope", CGP_NAME, NULL, false },
};
const size_t cgpattern_count = sizeof(cgpattern_table) /
    sizeof(cgpattern_table[0]);

bool
cgpattern_is_hex64(const char *text, size_t len)
{
	if (len != 64)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!((text[i] >= '0' && text[i] <= '9') ||
		    (text[i] >= 'a' && text[i] <= 'f')))
			return false;
	return true;
}

/* Does component PARENT (LEN bytes) satisfy the row's WANT? */
static bool
parent_ok(const char *want, const char *parent, size_t len)
{
	size_t wl;

	if (want == NULL)
		return true;
	if (parent == NULL)
		return false;
	wl = strlen(want);
	if (wl > 0 && want[wl - 1] == '*')
		return len >= wl - 1 && memcmp(parent, want, wl - 1) == 0;
	return len == wl && memcmp(parent, want, wl) == 0;
}

/*
 * Does component C (LEN bytes) match row P?  The id's offset and length
 * in *OFF and *IDLEN.  A prefix starting with ':' may sit anywhere in
 * the component (the kubelet's "slice:runtime:id" form).
 */
static bool
component_ok(const struct cgpattern *p, const char *c, size_t len,
    size_t *off, size_t *idlen)
{
	size_t pl = strlen(p->prefix), sl = strlen(p->suffix), start = 0;

	if (pl > 0 && p->prefix[0] == ':') {
		const char *hit = NULL;

		for (size_t i = 0; i + pl <= len; i++)
			if (memcmp(c + i, p->prefix, pl) == 0)
				hit = c + i;
		if (hit == NULL)
			return false;
		start = (size_t)(hit - c);
	} else if (len < pl || memcmp(c, p->prefix, pl) != 0) {
		return false;
	}
	if (len < start + pl + sl || memcmp(c + len - sl, p->suffix, sl) != 0)
		return false;
	*off = start + pl;
	*idlen = len - start - pl - sl;
	if (*idlen == 0)
		return false;
	if (p->id == CGP_HEX64)
		return cgpattern_is_hex64(c + *off, *idlen);
	return true;
}

static void
copy_text(char *dst, size_t dstlen, const char *src, size_t len)
{
	if (len >= dstlen)
		len = dstlen - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

/*
 * The pod of a container whose parent component is PARENT (LEN bytes):
 * a podman pod id, the kubelet's 'pod<uid>' (cgroupfs) or
 * '...-pod<uid with _>.slice' (systemd, the '_' given back as '-').
 */
static void
find_pod(const char *parent, size_t len, char *pod, size_t podlen)
{
	const char *p = NULL;
	size_t n = 0;

	pod[0] = '\0';
	if (parent == NULL)
		return;
	if (cgpattern_is_hex64(parent, len)) {
		copy_text(pod, podlen, parent, len);
		return;
	}
	if (len > 3 && memcmp(parent, "pod", 3) == 0) {
		p = parent + 3;
		n = len - 3;
	} else if (len > 6 && memcmp(parent + len - 6, ".slice", 6) == 0) {
		for (size_t i = 0; i + 4 <= len - 6; i++)
			if (memcmp(parent + i, "-pod", 4) == 0) {
				p = parent + i + 4;
				n = len - 6 - i - 4;
			}
	}
	if (p == NULL || n == 0)
		return;
	copy_text(pod, podlen, p, n);
	for (char *q = pod; *q; q++)
		if (*q == '_')
			*q = '-';
}

/* One pass over the components of PATH, deepest first, rows of KIND. */
static bool
match_pass(const char *path, bool containers, struct cgpattern_match *m)
{
	size_t end = strlen(path);

	while (end > 0) {
		size_t start = end, off, idlen, plen = 0;
		const char *parent = NULL;

		while (start > 0 && path[start - 1] != '/')
			start--;
		if (start > 1) {
			size_t ps = start - 1;

			while (ps > 0 && path[ps - 1] != '/')
				ps--;
			parent = path + ps;
			plen = start - 1 - ps;
		}
		for (size_t i = 0; i < cgpattern_count; i++) {
			const struct cgpattern *p = &cgpattern_table[i];

			if (p->container != containers ||
			    !parent_ok(p->parent, parent, plen) ||
			    !component_ok(p, path + start, end - start, &off,
			    &idlen))
				continue;
			m->pat = p;
			copy_text(m->id, sizeof(m->id), path + start + off,
			    idlen);
			if (p->container)
				find_pod(parent, plen, m->pod, sizeof(m->pod));
			return true;
		}
		end = start > 0 ? start - 1 : 0;
	}
	return false;
}

bool
cgpattern_match(const char *path, struct cgpattern_match *m)
{
	memset(m, 0, sizeof(*m));
	/* a container's own units (systemd inside it) do not name it */
	if (match_pass(path, true, m) || match_pass(path, false, m))
		return true;
	m->pat = NULL;
	return false;
}

int
cgpattern_pick_path(const char *buf, size_t len, char *out, size_t outlen)
{
	const char *v1 = NULL, *unified = NULL;
	size_t v1len = 0, ulen = 0;

	for (size_t i = 0; i < len;) {
		const char *line = buf + i, *nl = memchr(line, '\n', len - i);
		size_t ll = nl != NULL ? (size_t)(nl - line) : len - i;
		const char *c1 = memchr(line, ':', ll), *c2;

		i += ll + 1;
		if (c1 == NULL)
			continue;
		c2 = memchr(c1 + 1, ':', ll - (size_t)(c1 + 1 - line));
		if (c2 == NULL || c2 + 1 >= line + ll || c2[1] != '/')
			continue;
		if (c1 == line + 1 && line[0] == '0' && c2 == c1 + 1) {
			unified = c2 + 1;
			ulen = ll - (size_t)(c2 + 1 - line);
		} else if (v1 == NULL || (v1len == 1 && ll -
		    (size_t)(c2 + 1 - line) > 1)) {
			v1 = c2 + 1;
			v1len = ll - (size_t)(c2 + 1 - line);
		}
	}
	if (unified != NULL && (ulen > 1 || v1 == NULL)) {
		copy_text(out, outlen, unified, ulen);
		return 0;
	}
	if (v1 == NULL)
		return -1;
	copy_text(out, outlen, v1, v1len);
	return 0;
}
