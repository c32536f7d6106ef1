/*
 * sysctld.c: the boot-time view of sysctl.d.  Both rule sets collect
 * *.conf from /etc, /run, /usr/local/lib, /usr/lib and /lib (a file in a
 * stronger directory hides one of the same name in a weaker one), sort by
 * basename across directories, and let the last assignment win, an
 * explicit key beating any glob; procps then reads /etc/sysctl.conf last.
 * Pure: it works on directory listings and file texts it is given, and
 * sysctld_load.c does the reading.
 */
#include <errno.h>
#include <fnmatch.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sysctld.h"
#include "xmalloc.h"

const char *const sysctld_rules_names[SYSCTLD_NRULES] = {
	[SYSCTLD_SYSTEMD] = "systemd-sysctl",
	[SYSCTLD_PROCPS] = "sysctl --system",
};

const char *const sysctld_dirs[SYSCTLD_NDIRS] = {
	"/etc/sysctl.d",
	"/run/sysctl.d",
	"/usr/local/lib/sysctl.d",
	"/usr/lib/sysctl.d",
	"/lib/sysctl.d",
};

void
sysctld_plan_init(struct sysctld_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

void
sysctld_plan_release(struct sysctld_plan *plan)
{
	for (size_t i = 0; i < plan->nfiles; i++) {
		free(plan->files[i].path);
		free(plan->files[i].basename);
	}
	free(plan->files);
	for (size_t i = 0; i < plan->nassigns; i++) {
		free(plan->assigns[i].key);
		free(plan->assigns[i].value);
	}
	free(plan->assigns);
	free(plan->extra_shadowed_by);
	sysctld_plan_init(plan);
}

void
sysctld_normalize_value(char *s)
{
	char *w = s;
	bool space = false;

	for (char *r = s; *r; r++) {
		if (*r == ' ' || *r == '\t') {
			space = w != s;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = false;
		*w++ = *r;
	}
	*w = '\0';
}

static char *
trim(char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

static void
add_assign(struct sysctld_plan *plan, size_t file, int line, char *key,
    const char *value, bool ign, bool exclude)
{
	struct sysctld_assign *a;

	/* sysctl.d(5): '/' and '.' both separate the parts of a key */
	for (char *p = key; *p; p++)
		if (*p == '/')
			*p = '.';
	xgrow(&plan->assigns, plan->nassigns, &plan->capassigns,
	    sizeof(*plan->assigns));
	a = &plan->assigns[plan->nassigns++];
	memset(a, 0, sizeof(*a));
	a->key = xstrdup(key);
	a->value = xstrdup(value ? value : "");
	sysctld_normalize_value(a->value);
	a->file = file;
	a->line = line;
	a->glob = strpbrk(key, "*?[") != NULL;
	a->exclude = exclude;
	a->ignore_failure = ign;
}

void
sysctld_parse(struct sysctld_plan *plan, size_t file, const char *text)
{
	char *copy = xstrdup(text), *raw;
	int line = 0;

	for (raw = copy; raw != NULL; ) {
		char *nl = strchr(raw, '\n'), *s, *eq;
		bool ign = false;

		if (nl != NULL)
			*nl = '\0';
		line++;
		s = trim(raw);
		raw = nl != NULL ? nl + 1 : NULL;
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (*s == '-') {
			ign = true;
			s++;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			/* "-key" alone keeps a glob away from key */
			if (ign)
				add_assign(plan, file, line, trim(s), NULL,
				    false, true);
			continue;
		}
		*eq = '\0';
		add_assign(plan, file, line, trim(s), trim(eq + 1), ign,
		    false);
	}
	free(copy);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct sysctld_file *)a)->basename,
	    ((const struct sysctld_file *)b)->basename);
}

static void
add_file(struct sysctld_plan *plan, const char *path, const char *base,
    bool is_extra)
{
	struct sysctld_file *f;

	xgrow(&plan->files, plan->nfiles, &plan->capfiles,
	    sizeof(*plan->files));
	f = &plan->files[plan->nfiles++];
	memset(f, 0, sizeof(*f));
	f->path = xstrdup(path);
	f->basename = xstrdup(base);
	f->is_extra = is_extra;
}

static bool
listed(const struct sysctld_plan *plan, const char *base, size_t *at)
{
	for (size_t i = 0; i < plan->nfiles; i++)
		if (strcmp(plan->files[i].basename, base) == 0) {
			*at = i;
			return true;
		}
	return false;
}

/*
 * The file about to be written, named EXTRA_BASE, in directory D: read
 * at boot unless a stronger directory has a file of the same name.
 */
static void
add_extra(struct sysctld_plan *plan, size_t d, const char *extra_base)
{
	char shown[PATH_MAX];
	size_t at;

	if (strstr(extra_base, ".conf") == NULL ||
	    strcmp(extra_base + strlen(extra_base) - 5, ".conf") != 0)
		return;
	if (listed(plan, extra_base, &at)) {
		free(plan->extra_shadowed_by);
		plan->extra_shadowed_by = xstrdup(plan->files[at].path);
		return;
	}
	snprintf(shown, sizeof(shown), "%s/%s", sysctld_dirs[d], extra_base);
	add_file(plan, shown, extra_base, true);
	plan->extra_read = true;
}

void
sysctld_plan_files(struct sysctld_plan *plan, enum sysctld_rules rules,
    const struct sysctld_dirlist *dirs, const char *extra_base,
    bool extra_in_etc)
{
	sysctld_plan_init(plan);
	plan->rules = rules;
	for (size_t d = 0; d < SYSCTLD_NDIRS; d++) {
		if (dirs[d].holds_extra && extra_base != NULL)
			add_extra(plan, d, extra_base);
		for (size_t i = 0; i < dirs[d].nnames; i++) {
			const char *name = dirs[d].names[i];
			size_t len = strlen(name), at;
			char shown[PATH_MAX];

			if (len < 6 || name[0] == '.' ||
			    strcmp(name + len - 5, ".conf") != 0 ||
			    listed(plan, name, &at))
				continue;
			snprintf(shown, sizeof(shown), "%s/%s",
			    sysctld_dirs[d], name);
			add_file(plan, shown, name, false);
		}
	}
	/* no files at all leaves files NULL, which qsort may not get */
	if (plan->nfiles > 1)
		qsort(plan->files, plan->nfiles, sizeof(*plan->files),
		    name_cmp);
	/* procps reads /etc/sysctl.conf last: it may be the extra */
	if (rules == SYSCTLD_PROCPS) {
		extra_in_etc = extra_in_etc && extra_base != NULL &&
		    strcmp(extra_base, "sysctl.conf") == 0;
		add_file(plan, "/etc/sysctl.conf", "sysctl.conf",
		    extra_in_etc);
		if (extra_in_etc)
			plan->extra_read = true;
	}
}

void
sysctld_winner(const struct sysctld_plan *plan, const char *key,
    struct sysctld_winner *w)
{
	const struct sysctld_assign *best = NULL, *best_glob = NULL;
	const struct sysctld_assign *cancel = NULL;
	bool excluded = false;

	memset(w, 0, sizeof(*w));
	for (size_t i = 0; i < plan->nassigns; i++) {
		const struct sysctld_assign *a = &plan->assigns[i];

		if (a->exclude) {
			if (strcmp(a->key, key) != 0)
				continue;
			excluded = true;
			/*
			 * systemd-sysctl keeps one entry per key, so "-key"
			 * replaces an earlier "key = value": nothing is set.
			 * procps only keeps globs away from the key.
			 */
			if (plan->rules == SYSCTLD_SYSTEMD && best != NULL) {
				best = NULL;
				cancel = a;
			}
			continue;
		}
		if (!a->glob) {
			if (strcmp(a->key, key) == 0) {
				best = a;
				cancel = NULL;
			}
			continue;
		}
		if (fnmatch(a->key, key, 0) == 0)
			best_glob = a;
	}
	/*
	 * Both systemd-sysctl and procps 4 'sysctl --system' let an explicit
	 * key beat every glob, whatever the file order, and apply no glob
	 * to a "-key" (verified with both tools in a private IPC namespace)
	 */
	if (best == NULL && best_glob != NULL && !excluded)
		best = best_glob;
	if (best == NULL && cancel != NULL) {
		w->cancelled = true;
		w->file = plan->files[cancel->file].path;
		w->line = cancel->line;
		return;
	}
	if (best == NULL)
		return;
	w->set = true;
	w->file = plan->files[best->file].path;
	w->line = best->line;
	w->value = best->value;
	w->is_extra = plan->files[best->file].is_extra;
}

/* kernel/sysctl.c: TMPBUFLEN, proc_wspace_sep */
#define KV_TMPBUFLEN 22
static const char kv_wspace[] = { ' ', '\t', '\n' };

/*
 * kernel/sysctl.c proc_get_long(): an optional '-', a digit, then
 * strtoul with base 0 (0x hex, 0 octal); at most TMPBUFLEN - 2
 * characters, and the next one, if any, must be a blank.  Returns the
 * characters used, or -1 (EINVAL).
 */
static int
kv_get_long(const char *p, uint64_t *val, bool *neg)
{
	char tmp[KV_TMPBUFLEN], *end;
	size_t len = strlen(p);
	const char *q;

	if (len > KV_TMPBUFLEN - 1)
		len = KV_TMPBUFLEN - 1;
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	q = tmp;
	*neg = *q == '-' && strlen(p) > 1;
	if (*neg)
		q++;
	if (*q < '0' || *q > '9')
		return -1;
	errno = 0;
	*val = strtoull(q, &end, 0);
	if (errno == ERANGE)
		return -1;
	len = (size_t)(end - tmp);
	if (len == KV_TMPBUFLEN - 1)
		return -1;
	if (p[len] != '\0' && memchr(kv_wspace, p[len], sizeof(kv_wspace)) ==
	    NULL)
		return -1;
	return (int)len;
}

/* kernel/sysctl.c proc_skip_spaces(): isspace() */
static const char *
kv_skip(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\v' ||
	    *p == '\f' || *p == '\r')
		p++;
	return p;
}

/*
 * Field K of sysctl ID (N fields) as the kernel takes the number VAL
 * (negative when NEG) into KV; false, with the reason, when it refuses.
 */
static bool
kv_store(enum sysctl_id id, int k, int n, uint64_t val, bool neg,
    uint64_t ipc_mni, struct sysctld_kvalue *kv)
{
	const struct sysctl_desc *d = &sysctl_table[id];
	uint64_t min, max;

	if (d->kind == SCK_ULONG) {
		if (neg) {
			kv->rejected = true;
			snprintf(kv->why, sizeof(kv->why), "a negative value");
			return false;
		}
		kv->v[k] = val;
		kv->nset = k + 1;
		return true;
	}
	/* do_proc_dointvec_conv(): it must fit an int */
	if (neg ? val > (uint64_t)INT_MAX + 1 : val > INT_MAX) {
		kv->rejected = true;
		snprintf(kv->why, sizeof(kv->why), "%s%s%s%" PRIu64
		    " does not fit an int", n > 1 ? sem_field_names[k] :
		    "", n > 1 ? " " : "", neg ? "-" : "", val);
		return false;
	}
	/* ipc/mq_sysctl.c: queues_max takes any int, as unsigned */
	if (d->kind == SCK_UINT_AS_INT) {
		kv->v[k] = neg ? (uint32_t)-(int64_t)val : val;
		kv->nset = k + 1;
		return true;
	}
	/* proc_dointvec takes any int for SEMMSL, SEMMNS, SEMOPM */
	if (n > 1 && k != SEM_SEMMNI) {
		kv->v[k] = neg ? (uint64_t)-(int64_t)val : val;
		kv->nset = k + 1;
		return true;
	}
	min = n > 1 ? 0 : sysctl_min(id);
	max = sysctl_max(id, k, ipc_mni);
	if (neg ? val > 0 || min > 0 : val < min || val > max) {
		if (n > 1)
			/* sem_check_semmni() runs after the write */
			kv->v[k] = neg ? (uint64_t)-(int64_t)val : val;
		kv->rejected = true;
		snprintf(kv->why, sizeof(kv->why), "%s%s%s%" PRIu64
		    " is outside [%" PRIu64 ", %" PRIu64 "]%s",
		    n > 1 ? sem_field_names[k] : "", n > 1 ? " " : "",
		    neg ? "-" : "", val, min, max,
		    d->max_is_ipc_mni || n > 1 ? ipc_mni ==
		    IPC_MNI_DEFAULT ? " (IPCMNI; boot with "
		    "ipcmni_extend for more)" : " (IPCMNI)" : "");
		return false;
	}
	kv->v[k] = val;
	kv->nset = k + 1;
	return true;
}

void
sysctld_kernel_value(enum sysctl_id id, const char *text, uint64_t ipc_mni,
    const uint64_t *before, struct sysctld_kvalue *kv)
{
	const struct sysctl_desc *d = &sysctl_table[id];
	int n = d->kind == SCK_SEM ? SEM_NFIELDS : 1;
	const char *p = text;
	uint64_t semmni = before[n > 1 ? SEM_SEMMNI : 0];

	memset(kv, 0, sizeof(*kv));
	memcpy(kv->v, before, sizeof(kv->v));
	/*
	 * __do_proc_dointvec() and __do_proc_doulongvec_minmax(): each
	 * field is stored as soon as it parses; what follows the last
	 * field the sysctl has is not looked at
	 */
	for (int k = 0; k < n; k++) {
		uint64_t val;
		bool neg;
		int used;

		p = kv_skip(p);
		if (*p == '\0') {
			if (k == 0) {
				kv->rejected = true;
				snprintf(kv->why, sizeof(kv->why),
				    "the value is empty");
			}
			break;
		}
		used = kv_get_long(p, &val, &neg);
		if (used < 0) {
			kv->rejected = true;
			snprintf(kv->why, sizeof(kv->why), "'%.40s' is not a "
			    "number the kernel reads", p);
			break;
		}
		p += used;
		if (!kv_store(id, k, n, val, neg, ipc_mni, kv))
			break;
	}
	/* ipc/ipc_sysctl.c proc_ipc_sem_dointvec(): SEMMNI is put back */
	if (n > 1 && kv->rejected)
		kv->v[SEM_SEMMNI] = semmni;
}

void
sysctld_boot_value(const struct sysctld_plan *plan, enum sysctl_id id,
    const struct sysctld_winner *w, uint64_t ipc_mni, const uint64_t *before,
    struct sysctld_kvalue *kv)
{
	uint64_t held[SEM_NFIELDS];

	memcpy(held, before, sizeof(held));
	/*
	 * procps sysctl.c Preload(): each "key = value" line is written as
	 * it is read; systemd-sysctl keeps one entry per key, the last
	 */
	if (plan->rules == SYSCTLD_PROCPS)
		for (size_t i = 0; i < plan->nassigns; i++) {
			const struct sysctld_assign *a = &plan->assigns[i];

			if (a->value == w->value)
				break;
			if (a->exclude || a->glob ||
			    strcmp(a->key, sysctl_table[id].name) != 0)
				continue;
			sysctld_kernel_value(id, a->value, ipc_mni, held, kv);
			memcpy(held, kv->v, sizeof(held));
		}
	sysctld_kernel_value(id, w->value, ipc_mni, held, kv);
}

bool
sysctld_next_boot(const struct sysctld_plan *plan, enum sysctl_id id,
    uint64_t ipc_mni, struct sysctld_winner *w, struct sysctld_kvalue *kv,
    char *text, size_t textlen)
{
	uint64_t def[SEM_NFIELDS] = { 0 };
	char b[128];

	sysctl_kernel_default(id, def);
	sysctld_winner(plan, sysctl_table[id].name, w);
	if (!w->set) {
		memset(kv, 0, sizeof(*kv));
		memcpy(kv->v, def, sizeof(kv->v));
		return false;
	}
	sysctld_boot_value(plan, id, w, ipc_mni, def, kv);
	if (!kv->rejected)
		return false;
	sysctl_format(id, kv->v, b, sizeof(b));
	snprintf(text, textlen, "%s: this line will be rejected at boot; "
	    "the kernel keeps %s", kv->why, b);
	return true;
}
