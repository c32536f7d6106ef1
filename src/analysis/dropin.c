/*
 * dropin.c: what a sysctl.d drop-in holds and where one may live: the
 * text apply writes (only allowlisted IPC keys, text without control
 * characters, a header naming the profiles), the lines of a drop-in that
 * ipctune did not write, and the sysctl.d locations.  Pure: rootfile.c
 * reads and writes the files; whether to write is the commands' call.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "dropin.h"
#include "ipctune.h"
#include "numparse.h"
#include "profile.h"
#include "sysctld.h"
#include "textcheck.h"
#include "xmalloc.h"

#define DROPIN_HEADER "# Written by ipctune "

char *
dropin_render(const char *profiles, const char *variables, int64_t when,
    const struct dropin_line *lines, size_t n)
{
	char ts[32], *out, *p;
	time_t t = (time_t)when;
	struct tm tm;
	size_t cap = 1024;

	gmtime_r(&t, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
	for (size_t i = 0; i < n; i++)
		cap += strlen(lines[i].key) + strlen(lines[i].value) + 8;
	cap += strlen(profiles) + strlen(variables);
	out = p = xmalloc(cap);
	p += snprintf(p, cap - (size_t)(p - out),
	    "# Written by ipctune %s ('ipctune apply') at %s.\n"
	    "# Profiles: %s\n"
	    "# Variables: %s\n"
	    "# 'ipctune verify' reports drift; 'ipctune rollback' restores "
	    "the previous\n# content of this file.\n",
	    IPCTUNE_VERSION, ts, profiles, *variables ? variables : "(none)");
	for (size_t i = 0; i < n; i++)
		p += snprintf(p, cap - (size_t)(p - out), "%s = %s\n",
		    lines[i].key, lines[i].value);
	return out;
}

/*
 * LINE (a whole line, comments excluded) in ipctune's form into OUT as
 * "key = v1 v2": an allowlisted IPC key, then as many decimal numbers as
 * the key has fields.  False for anything else, "-key" lines included.
 */
static bool
canonical_line(const char *line, char *out, size_t outlen)
{
	char buf[256], *eq, *key, *val, *tok, *save = NULL, *e;
	enum sysctl_id id;
	char kerr[256];
	int n = 0, want;
	size_t o;

	if (strlen(line) >= sizeof(buf))
		return false;
	snprintf(buf, sizeof(buf), "%s", line);
	eq = strchr(buf, '=');
	if (eq == NULL)
		return false;
	*eq = '\0';
	key = buf;
	while (*key == ' ' || *key == '\t')
		key++;
	for (e = key + strlen(key); e > key && (e[-1] == ' ' ||
	    e[-1] == '\t'); e--)
		;
	*e = '\0';
	if (profile_check_key(key, &id, kerr, sizeof(kerr)) < 0)
		return false;
	want = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;
	o = (size_t)snprintf(out, outlen, "%s =", key);
	val = eq + 1;
	for (tok = strtok_r(val, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		uint64_t v;
		int64_t neg;

		if (n >= want || o >= outlen)
			return false;
		/*
		 * proc_dointvec takes a negative SEMMSL, SEMMNS or SEMOPM
		 * (only SEMMNI is checked, sem_check_semmni()): apply keeps
		 * one the kernel holds
		 */
		if (tok[0] == '-' && want > 1 && n != SEM_SEMMNI &&
		    num_parse_i64(tok, INT32_MIN, -1, &neg) == 0)
			o += (size_t)snprintf(out + o, outlen - o, " %" PRId64,
			    neg);
		else if (num_parse_u64(tok, 0, UINT64_MAX, &v) == 0)
			o += (size_t)snprintf(out + o, outlen - o, " %" PRIu64,
			    v);
		else
			return false;
		n++;
	}
	return n == want && o < outlen;
}

/* Call FN for each non-blank, non-comment line of TEXT with its number. */
static void
each_line(const char *text, void (*fn)(const char *, int, void *),
    void *ctx)
{
	const char *line = text;
	char buf[1024];
	int no = 0;

	while (*line) {
		const char *nl = strchr(line, '\n'), *s = line;
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		no++;
		while (s < line + n && (*s == ' ' || *s == '\t' ||
		    *s == '\r'))
			s++;
		if (s < line + n && *s != '#' && *s != ';') {
			snprintf(buf, sizeof(buf), "%.*s", (int)(line + n - s),
			    s);
			fn(buf, no, ctx);
		}
		line += n + (nl != NULL);
	}
}

struct foreign_ctx {
	const char *wrote;	/* canonical lines, one per line, or NULL */
	struct dropin_foreign *f;
	size_t n, cap;
};

/* The key of a canonical line "key = v...", as "key =". */
static void
key_part(char *c)
{
	char *eq = strchr(c, '=');

	if (eq != NULL)
		eq[1] = '\0';
}

static void
collect_keys(const char *line, int no, void *ctx)
{
	char **acc = ctx, c[256];

	(void)no;
	if (canonical_line(line, c, sizeof(c))) {
		char *old = *acc;

		key_part(c);
		*acc = xasprintf("%s%s\n", old, c);
		free(old);
	}
}

static bool
has_line(const char *lines, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = lines; (p = strstr(p, line)) != NULL; p++)
		if ((p == lines || p[-1] == '\n') && p[n] == '\n')
			return true;
	return false;
}

static void
check_foreign(const char *line, int no, void *ctx)
{
	struct foreign_ctx *fc = ctx;
	char c[256];

	if (canonical_line(line, c, sizeof(c))) {
		key_part(c);
		if (fc->wrote == NULL || has_line(fc->wrote, c))
			return;
	}
	xgrow(&fc->f, fc->n, &fc->cap, sizeof(*fc->f));
	fc->f[fc->n].line = no;
	fc->f[fc->n].text = xstrdup(line);
	fc->n++;
}

size_t
dropin_foreign_lines(const char *text, const char *wrote,
    struct dropin_foreign **out)
{
	struct foreign_ctx fc = { NULL, NULL, 0, 0 };
	char *canon = NULL;

	if (wrote != NULL) {
		canon = xstrdup("");
		each_line(wrote, collect_keys, &canon);
		fc.wrote = canon;
	}
	each_line(text, check_foreign, &fc);
	free(canon);
	*out = fc.f;
	return fc.n;
}

void
dropin_foreign_free(struct dropin_foreign *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i].text);
	free(f);
}

bool
dropin_has_header(const char *text)
{
	return strncmp(text, DROPIN_HEADER, strlen(DROPIN_HEADER)) == 0;
}

int
dropin_generate(const char *profiles, const char *variables, int64_t when,
    const struct dropin_line *lines, size_t n, char **text, char *err,
    size_t errlen)
{
	struct sysctld_plan plan;
	struct dropin_foreign *f;
	size_t nf;
	int ok = 0;

	*text = NULL;
	if (textcheck_field("the profile name", profiles, err, errlen) < 0 ||
	    textcheck_field("the variables", variables, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char line[256], c[256];

		snprintf(line, sizeof(line), "%s = %s", lines[i].key,
		    lines[i].value);
		if (textcheck_field("the sysctl line", line, err, errlen) < 0)
			return -1;
		if (!canonical_line(line, c, sizeof(c))) {
			snprintf(err, errlen, "refusing to write '%s': not an "
			    "IPC limit ipctune sets", line);
			errno = EINVAL;
			return -1;
		}
	}
	*text = dropin_render(profiles, variables, when, lines, n);
	/* read it back as the boot will: only the lines asked for */
	nf = dropin_foreign_lines(*text, NULL, &f);
	dropin_foreign_free(f, nf);
	sysctld_plan_init(&plan);
	plan.files = xcalloc(1, sizeof(*plan.files));
	plan.nfiles = plan.capfiles = 1;
	plan.files[0].path = xstrdup("drop-in");
	plan.files[0].basename = xstrdup("drop-in");
	sysctld_parse(&plan, 0, *text);
	for (size_t i = 0; i < plan.nassigns; i++) {
		const struct sysctld_assign *a = &plan.assigns[i];

		if (a->glob || a->exclude || a->ignore_failure ||
		    i >= n || strcmp(a->key, lines[i].key) != 0)
			ok = -1;
	}
	if (nf > 0 || plan.nassigns != n)
		ok = -1;
	sysctld_plan_release(&plan);
	if (ok < 0) {
		snprintf(err, errlen, "the drop-in would hold lines ipctune "
		    "did not ask for: refusing to write it");
		free(*text);
		*text = NULL;
		errno = EINVAL;
		return -1;
	}
	return 0;
}

char *
dropin_body(const char *text)
{
	size_t len = strlen(text);
	char *out = xmalloc(len + 1), *o = out;
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);
		const char *s = line;

		while (s < line + n && (*s == ' ' || *s == '\t'))
			s++;
		if (s < line + n && *s != '#' && *s != ';') {
			memcpy(o, line, n);
			o += n;
			*o++ = '\n';
		}
		line += n + (nl != NULL);
	}
	*o = '\0';
	return out;
}

/* The sysctl.d directories, strongest first (as sysctld.c reads them). */
static const char *const dropin_dirs[] = {
	"/etc/sysctl.d",
	"/run/sysctl.d",
	"/usr/local/lib/sysctl.d",
	"/usr/lib/sysctl.d",
	"/lib/sysctl.d",
};

bool
dropin_location_ok(const char *path, const char *root, bool *sysctld)
{
	size_t rn = root != NULL ? strlen(root) : 0, len;
	const char *rest, *base;

	*sysctld = false;
	/* "DIR/" and "DIR" name the same prefix */
	while (rn > 0 && root[rn - 1] == '/')
		rn--;
	if (path[0] != '/' || strncmp(path, root != NULL ? root : "", rn) !=
	    0 || strstr(path, "/./") != NULL || strstr(path, "/../") !=
	    NULL || strstr(path, "//") != NULL)
		return false;
	rest = path + rn;
	if (strcmp(rest, "/etc/sysctl.conf") == 0)
		return true;
	base = strrchr(rest, '/') + 1;
	len = strlen(base);
	if (len < 6 || base[0] == '.' || strcmp(base + len - 5, ".conf") != 0)
		return false;
	for (size_t i = 0; i < sizeof(dropin_dirs) / sizeof(*dropin_dirs);
	    i++) {
		size_t dn = strlen(dropin_dirs[i]);

		if (strncmp(rest, dropin_dirs[i], dn) == 0 &&
		    rest + dn + 1 == base) {
			*sysctld = true;
			return true;
		}
	}
	return false;
}

