/*
 * profile.c: parsing and evaluating workload profiles.  The text of a
 * file is parsed with libinih through a line reader that counts lines and
 * refuses binary bytes and overlong lines; only the IPC allowlist may
 * appear in [sysctl].  Pure: finding and reading the files is
 * profstore.c's; this module never reads a file and never prints.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "expr.h"
#include "profile.h"
#include "xmalloc.h"

const char *const profile_demand_names[D_COUNT] = {
	[D_SHM_SEGMENTS] = "shm_segments",
	[D_SHM_BYTES] = "shm_bytes",
	[D_SEM_ARRAYS] = "sem_arrays",
	[D_SEMS_PER_ARRAY] = "sems_per_array",
	[D_SEMOP_OPS] = "semop_ops",
	[D_MSG_QUEUES] = "msg_queues",
	[D_MSG_BYTES] = "msg_bytes",
	[D_MQ_QUEUES] = "mq_queues",
};

const struct fact_desc profile_fact_table[F_COUNT] = {
	[F_RAM_BYTES] = { "ram_bytes", "MemTotal in bytes" },
	[F_RAM_GIB] = { "ram_gib", "MemTotal in GiB, rounded, at least 1" },
	[F_PAGE_SIZE] = { "page_size", "the kernel's page size in bytes" },
	[F_NCPU] = { "ncpu", "online CPUs" },
	[F_SWAP_BYTES] = { "swap_bytes", "SwapTotal in bytes (0 without "
	    "swap)" },
};

/* The families of IPC sysctls; nothing outside them is ever written. */
static const char *const ipc_prefixes[] = {
	"kernel.shm", "kernel.sem", "kernel.msg", "fs.mqueue.",
};

void
profile_init(struct profile *p)
{
	memset(p, 0, sizeof(*p));
}

static void
sysctl_entry_release(struct profile_sysctl *s)
{
	free(s->text);
	for (int i = 0; i < SEM_NFIELDS; i++)
		free(s->expr[i]);
	memset(s, 0, sizeof(*s));
}

static void
includes_release(struct profile *p)
{
	for (size_t i = 0; i < p->nincludes; i++)
		free(p->includes[i].name);
	free(p->includes);
	p->includes = NULL;
	p->nincludes = p->capincludes = 0;
}

void
profile_release(struct profile *p)
{
	free(p->name);
	free(p->path);
	free(p->summary);
	free(p->description);
	free(p->source);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	includes_release(p);
	for (size_t i = 0; i < p->nvars; i++) {
		free(p->vars[i].name);
		free(p->vars[i].expr);
	}
	free(p->vars);
	for (int i = 0; i < SC_COUNT; i++)
		sysctl_entry_release(&p->sysctl[i]);
	for (int i = 0; i < D_COUNT; i++)
		free(p->demand[i].expr);
	free(p->dev_shm.expr);
	profile_init(p);
}

void
profile_free(struct profile *p)
{
	if (p == NULL)
		return;
	profile_release(p);
	free(p);
}

uint64_t
profile_ram_gib(uint64_t ram_bytes)
{
	/* MemTotal omits firmware and kernel reservations: round to nearest */
	uint64_t g = ram_bytes / (1ull << 30) +
	    (ram_bytes % (1ull << 30) >= (1ull << 29));

	return g ? g : 1;
}

static bool
valid_sysctl_name(const char *s)
{
	if (*s == '\0' || *s == '.' || strstr(s, "..") != NULL ||
	    s[strlen(s) - 1] == '.')
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    *s == '_' || *s == '.'))
			return false;
	return true;
}

int
profile_check_key(const char *name, enum sysctl_id *idp, char *err,
    size_t errlen)
{
	if (!valid_sysctl_name(name)) {
		snprintf(err, errlen, "'%.64s' is not a valid sysctl name "
		    "(lower-case words separated by single dots)", name);
		return -1;
	}
	if (sysctl_lookup(name, idp) != NULL)
		return 0;
	for (size_t i = 0; i < sizeof(ipc_prefixes) / sizeof(*ipc_prefixes);
	    i++)
		if (strncmp(name, ipc_prefixes[i], strlen(ipc_prefixes[i]))
		    == 0) {
			snprintf(err, errlen, "'%s' is not an IPC limit "
			    "ipctune sets (see 'ipctune profiles -h')", name);
			return -1;
		}
	snprintf(err, errlen, "'%.64s' is not an IPC sysctl: a profile may "
	    "set only kernel.shm*, kernel.sem, kernel.msg* and fs.mqueue.*",
	    name);
	return -1;
}

bool
profile_valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64 || !isalnum((unsigned char)s[0]) ||
	    strstr(s, "..") != NULL)
		return false;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '-' || *s == '_' ||
		    *s == '.'))
			return false;
	return true;
}

static bool
valid_var_name(const char *s)
{
	if (!(islower((unsigned char)*s) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) ||
		    *s == '_'))
			return false;
	return true;
}

/* The line reader handed to inih: counts lines, refuses binary bytes. */
struct stream {
	const char *buf;
	size_t len, pos;
	int line;
	char raw[1024];		/* the current line, for columns */
	bool failed;
	char msg[256];
};

static char *
stream_reader(char *str, int num, void *arg)
{
	struct stream *st = arg;
	size_t n = 0, max;

	if (st->failed || st->pos >= st->len || num < 4)
		return NULL;
	st->line++;
	max = (size_t)num - 1;
	if (max > sizeof(st->raw) - 1)
		max = sizeof(st->raw) - 1;
	while (st->pos < st->len) {
		unsigned char c = (unsigned char)st->buf[st->pos];

		if (c == '\0') {
			snprintf(st->msg, sizeof(st->msg), "NUL byte: this is "
			    "not a text file");
			st->failed = true;
			return NULL;
		}
		if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') {
			snprintf(st->msg, sizeof(st->msg), "control character "
			    "0x%02x: this is not a text file", c);
			st->failed = true;
			return NULL;
		}
		if (n >= max - 1 && c != '\n') {
			snprintf(st->msg, sizeof(st->msg), "line too long (the "
			    "limit is %zu characters)", max - 1);
			st->failed = true;
			return NULL;
		}
		str[n++] = (char)c;
		st->pos++;
		if (c == '\n')
			break;
	}
	str[n] = '\0';
	memcpy(st->raw, str, n + 1);
	return str;
}

struct pctx {
	struct profile *p;
	const char *file;
	struct stream *st;
	bool failed;
	char err[512];
	int sysctl_line[SC_COUNT];
	int demand_line[D_COUNT];
	int posix_line;
	char prev[64];		/* the key of the previous line */
	int prev_line;
};

static int
perr(struct pctx *c, const char *fmt, ...)
{
	va_list ap;
	char msg[400];

	if (c->failed)
		return 0;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->err, sizeof(c->err), "%s:%d: %s", c->file, c->st->line,
	    msg);
	c->failed = true;
	return 0;
}

/* Column (1-based) where the value starts in the current raw line. */
static int
value_col(const struct stream *st)
{
	const char *eq = strpbrk(st->raw, "=:");
	const char *v;

	if (eq == NULL)
		return 1;
	for (v = eq + 1; *v == ' ' || *v == '\t'; v++)
		;
	return (int)(v - st->raw) + 1;
}

/* Copy VALUE without an inline " # comment" and trailing blanks. */
static char *
clean_value(const char *value)
{
	char *v = xstrdup(value), *h;
	size_t n;

	for (h = v; (h = strchr(h, '#')) != NULL; h++)
		if (h == v || h[-1] == ' ' || h[-1] == '\t') {
			*h = '\0';
			break;
		}
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		v[--n] = '\0';
	return v;
}

static void
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static int
handle_main(struct pctx *c, const char *name, const char *value)
{
	struct profile *p = c->p;

	if (strcmp(name, "summary") == 0)
		set_str(&p->summary, value);
	else if (strcmp(name, "description") == 0)
		set_str(&p->description, value);
	else if (strcmp(name, "source") == 0)
		set_str(&p->source, value);
	else if (strcmp(name, "include") == 0) {
		char *v = clean_value(value), *tok, *save = NULL;

		for (tok = strtok_r(v, ", \t", &save); tok != NULL;
		    tok = strtok_r(NULL, ", \t", &save)) {
			if (!profile_valid_name(tok)) {
				perr(c, "include: '%.64s' is not a profile "
				    "name", tok);
				free(v);
				return 0;
			}
			xgrow(&p->includes, p->nincludes, &p->capincludes,
			    sizeof(*p->includes));
			p->includes[p->nincludes].name = xstrdup(tok);
			p->includes[p->nincludes].loc.file = c->file;
			p->includes[p->nincludes].loc.line = c->st->line;
			p->nincludes++;
		}
		free(v);
	} else
		return perr(c, "unknown key '%.64s' in [main] (use summary, "
		    "description, source or include)", name);
	return 1;
}

static int
handle_var(struct pctx *c, const char *name, const char *value)
{
	struct profile *p = c->p;
	struct profile_var *v = NULL;
	char *val;

	if (!valid_var_name(name))
		return perr(c, "'%.64s' is not a valid variable name "
		    "(lower-case letters, digits and _)", name);
	for (int i = 0; i < F_COUNT; i++)
		if (strcmp(name, profile_fact_table[i].name) == 0)
			return perr(c, "variable '%s' would hide the fact of "
			    "the same name", name);
	for (size_t i = 0; i < p->nvars; i++)
		if (strcmp(p->vars[i].name, name) == 0) {
			if (p->vars[i].loc.file == c->file)
				return perr(c, "variable '%s' is set twice "
				    "(first at line %d)", name,
				    p->vars[i].loc.line);
			v = &p->vars[i];
		}
	val = clean_value(value);
	if (*val == '\0') {
		free(val);
		return perr(c, "variable '%s' has no value", name);
	}
	if (v == NULL) {
		xgrow(&p->vars, p->nvars, &p->capvars, sizeof(*p->vars));
		v = &p->vars[p->nvars++];
		memset(v, 0, sizeof(*v));
		v->name = xstrdup(name);
	}
	free(v->expr);
	v->expr = val;
	v->loc.file = c->file;
	v->loc.line = c->st->line;
	v->loc.col = value_col(c->st);
	return 1;
}

static int
handle_sysctl(struct pctx *c, const char *name, const char *value)
{
	struct profile_sysctl *s;
	enum sysctl_id id;
	size_t offs[SEM_NFIELDS], lens[SEM_NFIELDS];
	char msg[256], *val;
	int n, col, want;

	if (profile_check_key(name, &id, msg, sizeof(msg)) < 0)
		return perr(c, "%s", msg);
	if (c->sysctl_line[id])
		return perr(c, "'%s' is set twice (first at line %d)", name,
		    c->sysctl_line[id]);
	c->sysctl_line[id] = c->st->line;
	val = clean_value(value);
	want = sysctl_table[id].kind == SCK_SEM ? SEM_NFIELDS : 1;
	n = expr_split(val, offs, lens, want, &col, msg, sizeof(msg));
	if (n != want) {
		int vc = value_col(c->st);

		free(val);
		if (n < 0)
			return perr(c, "column %d: '%s': %s", vc + col - 1,
			    name, msg);
		if (want == 1)
			return perr(c, "'%s' has no value", name);
		return perr(c, "'%s' needs %d values (semmsl semmns semopm "
		    "semmni), found %d", name, want, n);
	}
	s = &c->p->sysctl[id];
	sysctl_entry_release(s);
	s->present = true;
	s->nfields = n;
	s->text = val;
	s->loc.file = c->file;
	s->loc.line = c->st->line;
	s->loc.col = value_col(c->st);
	for (int i = 0; i < n; i++) {
		s->expr[i] = xmalloc(lens[i] + 1);
		memcpy(s->expr[i], val + offs[i], lens[i]);
		s->expr[i][lens[i]] = '\0';
		s->expr_col[i] = s->loc.col + (int)offs[i];
	}
	return 1;
}

static int
handle_demand(struct pctx *c, const char *name, const char *value)
{
	struct profile_demand *d;
	int id = -1;

	for (int i = 0; i < D_COUNT; i++)
		if (strcmp(name, profile_demand_names[i]) == 0)
			id = i;
	if (id < 0)
		return perr(c, "unknown key '%.64s' in [demand] (use "
		    "shm_segments, shm_bytes, sem_arrays, sems_per_array, "
		    "semop_ops, msg_queues, msg_bytes or mq_queues)", name);
	if (c->demand_line[id])
		return perr(c, "'%s' is set twice (first at line %d)", name,
		    c->demand_line[id]);
	c->demand_line[id] = c->st->line;
	d = &c->p->demand[id];
	free(d->expr);
	d->expr = clean_value(value);
	if (*d->expr == '\0')
		return perr(c, "'%s' has no value", name);
	d->present = true;
	d->loc.file = c->file;
	d->loc.line = c->st->line;
	d->loc.col = value_col(c->st);
	return 1;
}

/*
 * [posix] dev_shm_size = EXPR: the size the /dev/shm tmpfs should have,
 * in bytes (recommend shows it, apply can persist it).
 */
static int
handle_posix(struct pctx *c, const char *name, const char *value)
{
	struct profile_demand *d = &c->p->dev_shm;

	if (strcmp(name, "dev_shm_size") != 0)
		return perr(c, "unknown key '%.64s' in [posix] (use "
		    "dev_shm_size)", name);
	if (c->posix_line)
		return perr(c, "'%s' is set twice (first at line %d)", name,
		    c->posix_line);
	c->posix_line = c->st->line;
	free(d->expr);
	d->expr = clean_value(value);
	if (*d->expr == '\0')
		return perr(c, "'%s' has no value", name);
	d->present = true;
	d->loc.file = c->file;
	d->loc.line = c->st->line;
	d->loc.col = value_col(c->st);
	return 1;
}

static int
ini_handler_fn(void *user, const char *section, const char *name,
    const char *value)
{
	struct pctx *c = user;

	if (c->failed)
		return 0;
	if (name == NULL || value == NULL)
		return 1;
	/*
	 * libinih (INI_ALLOW_MULTILINE) hands an indented line to the
	 * handler again under the key above it: say so, rather than
	 * "set twice" or a silently replaced value.
	 */
	if ((c->st->raw[0] == ' ' || c->st->raw[0] == '\t') &&
	    c->prev_line > 0 && strcmp(name, c->prev) == 0)
		return perr(c, "indented line is read as a continuation of "
		    "'%s' (line %d); remove the indentation", name,
		    c->prev_line);
	snprintf(c->prev, sizeof(c->prev), "%s", name);
	c->prev_line = c->st->line;
	if (strcmp(section, "main") == 0)
		return handle_main(c, name, value);
	if (strcmp(section, "variables") == 0)
		return handle_var(c, name, value);
	if (strcmp(section, "sysctl") == 0)
		return handle_sysctl(c, name, value);
	if (strcmp(section, "demand") == 0)
		return handle_demand(c, name, value);
	if (strcmp(section, "posix") == 0)
		return handle_posix(c, name, value);
	if (*section == '\0')
		return perr(c, "'%.64s' is outside a section (start with "
		    "[main])", name);
	return perr(c, "unknown section [%.64s] (use main, variables, "
	    "sysctl, demand or posix)", section);
}

static const char *
add_file(struct profile *p, const char *file)
{
	xgrow(&p->files, p->nfiles, &p->capfiles, sizeof(*p->files));
	p->files[p->nfiles] = xstrdup(file);
	return p->files[p->nfiles++];
}

int
profile_parse_string(struct profile *p, const char *text, size_t len,
    const char *file, char *err, size_t errlen)
{
	struct stream st = { .buf = text, .len = len };
	struct pctx c = { .p = p, .st = &st };
	int r;

	c.file = add_file(p, file);
	if (len > PROFILE_MAX_BYTES) {
		snprintf(err, errlen, "%s: file too large (%zu bytes; the "
		    "limit is %d)", file, len, PROFILE_MAX_BYTES);
		return -1;
	}
	r = ini_parse_stream(stream_reader, &st, ini_handler_fn, &c);
	if (st.failed) {
		snprintf(err, errlen, "%s:%d: %s", file, st.line, st.msg);
		return -1;
	}
	if (c.failed) {
		snprintf(err, errlen, "%s", c.err);
		return -1;
	}
	if (r != 0) {
		snprintf(err, errlen, "%s:%d: syntax error (expected "
		    "[section] or key = value)", file, r);
		return -1;
	}
	return 0;
}

void
profile_merge(struct profile *dst, struct profile *src)
{
	if (src->summary != NULL)
		set_str(&dst->summary, src->summary);
	if (src->description != NULL)
		set_str(&dst->description, src->description);
	if (src->source != NULL)
		set_str(&dst->source, src->source);
	/* move the file names: locations point at them */
	for (size_t i = 0; i < src->nfiles; i++) {
		xgrow(&dst->files, dst->nfiles, &dst->capfiles,
		    sizeof(*dst->files));
		dst->files[dst->nfiles++] = src->files[i];
	}
	src->nfiles = 0;
	for (size_t i = 0; i < src->nvars; i++) {
		struct profile_var *v = NULL;

		for (size_t j = 0; j < dst->nvars; j++)
			if (strcmp(dst->vars[j].name, src->vars[i].name) == 0)
				v = &dst->vars[j];
		if (v == NULL) {
			xgrow(&dst->vars, dst->nvars, &dst->capvars,
			    sizeof(*dst->vars));
			v = &dst->vars[dst->nvars++];
			*v = src->vars[i];
		} else {
			free(v->expr);
			free(src->vars[i].name);
			v->expr = src->vars[i].expr;
			v->loc = src->vars[i].loc;
		}
	}
	src->nvars = 0;
	for (int i = 0; i < SC_COUNT; i++)
		if (src->sysctl[i].present) {
			sysctl_entry_release(&dst->sysctl[i]);
			dst->sysctl[i] = src->sysctl[i];
			memset(&src->sysctl[i], 0, sizeof(src->sysctl[i]));
		}
	for (int i = 0; i < D_COUNT; i++)
		if (src->demand[i].present) {
			free(dst->demand[i].expr);
			dst->demand[i] = src->demand[i];
			memset(&src->demand[i], 0, sizeof(src->demand[i]));
		}
	if (src->dev_shm.present) {
		free(dst->dev_shm.expr);
		dst->dev_shm = src->dev_shm;
		memset(&src->dev_shm, 0, sizeof(src->dev_shm));
	}
}

/* Name resolution for expressions: variables, facts, current sysctls. */
struct evalctx {
	const struct profile *p;
	const struct profile_facts *f;
};

static bool
name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && memcmp(name, s, len) == 0;
}

static int
lookup(void *arg, const char *name, size_t len, uint64_t *out)
{
	const struct evalctx *c = arg;
	const struct profile_facts *f = c->f;
	char buf[64];

	for (size_t i = 0; i < c->p->nvars; i++)
		if (c->p->vars[i].evaluated &&
		    name_is(name, len, c->p->vars[i].name)) {
			*out = c->p->vars[i].value;
			return 0;
		}
	if (name_is(name, len, "ram_bytes") && f->ram_bytes) {
		*out = f->ram_bytes;
		return 0;
	}
	if (name_is(name, len, "ram_gib") && f->ram_bytes) {
		*out = profile_ram_gib(f->ram_bytes);
		return 0;
	}
	if (name_is(name, len, "page_size") && f->page_size) {
		*out = f->page_size;
		return 0;
	}
	if (name_is(name, len, "ncpu") && f->ncpu) {
		*out = f->ncpu;
		return 0;
	}
	if (name_is(name, len, "swap_bytes") && f->has_swap) {
		*out = f->swap_bytes;
		return 0;
	}
	if (f->sysctl == NULL)
		return -1;
	for (int i = 0; i < SC_COUNT; i++) {
		const struct sysctl_value *v = &f->sysctl[i];

		if (!v->present)
			continue;
		if (sysctl_table[i].kind != SCK_SEM) {
			if (name_is(name, len, sysctl_table[i].name)) {
				*out = v->v[0];
				return 0;
			}
			continue;
		}
		for (int k = 0; k < SEM_NFIELDS; k++) {
			snprintf(buf, sizeof(buf), "kernel.sem.%s",
			    sem_field_names[k]);
			if (name_is(name, len, buf)) {
				*out = v->v[k];
				return 0;
			}
		}
	}
	return -1;
}

int
profile_evaluate(struct profile *p, const struct profile_facts *f,
    struct profile_set *sets, size_t nsets, char *err, size_t errlen)
{
	struct evalctx c = { .p = p, .f = f };
	char msg[256];
	int col;

	for (size_t i = 0; i < p->nvars; i++)
		p->vars[i].evaluated = false;
	for (size_t i = 0; i < p->nvars; i++) {
		struct profile_var *v = &p->vars[i];
		const char *text = v->expr;

		v->from_set = false;
		for (size_t k = 0; k < nsets; k++)
			if (strcmp(sets[k].name, v->name) == 0) {
				text = sets[k].expr;
				v->from_set = true;
				sets[k].used = true;
			}
		if (expr_eval(text, lookup, &c, &v->value, v->subst,
		    sizeof(v->subst), &col, msg, sizeof(msg)) < 0) {
			if (v->from_set)
				snprintf(err, errlen, "--set %s=%s: column %d: "
				    "%s", v->name, text, col, msg);
			else
				snprintf(err, errlen, "%s:%d:%d: variable "
				    "'%s': %s", v->loc.file, v->loc.line,
				    v->loc.col + col - 1, v->name, msg);
			return -1;
		}
		v->evaluated = true;
	}
	for (int i = 0; i < SC_COUNT; i++) {
		struct profile_sysctl *s = &p->sysctl[i];

		for (int k = 0; s->present && k < s->nfields; k++) {
			if (expr_eval(s->expr[k], lookup, &c, &s->value[k],
			    s->subst[k], sizeof(s->subst[k]), &col, msg,
			    sizeof(msg)) == 0)
				continue;
			if (s->nfields > 1)
				snprintf(err, errlen, "%s:%d:%d: '%s' field %d "
				    "(%s): %s", s->loc.file, s->loc.line,
				    s->expr_col[k] + col - 1,
				    sysctl_table[i].name, k + 1,
				    sem_field_names[k], msg);
			else
				snprintf(err, errlen, "%s:%d:%d: '%s': %s",
				    s->loc.file, s->loc.line,
				    s->expr_col[k] + col - 1,
				    sysctl_table[i].name, msg);
			return -1;
		}
	}
	for (int i = 0; i < D_COUNT; i++) {
		struct profile_demand *d = &p->demand[i];

		if (d->present && expr_eval(d->expr, lookup, &c, &d->value,
		    d->subst, sizeof(d->subst), &col, msg, sizeof(msg)) < 0) {
			snprintf(err, errlen, "%s:%d:%d: demand '%s': %s",
			    d->loc.file, d->loc.line, d->loc.col + col - 1,
			    profile_demand_names[i], msg);
			return -1;
		}
	}
	if (p->dev_shm.present && expr_eval(p->dev_shm.expr, lookup, &c,
	    &p->dev_shm.value, p->dev_shm.subst, sizeof(p->dev_shm.subst),
	    &col, msg, sizeof(msg)) < 0) {
		snprintf(err, errlen, "%s:%d:%d: dev_shm_size: %s",
		    p->dev_shm.loc.file, p->dev_shm.loc.line,
		    p->dev_shm.loc.col + col - 1, msg);
		return -1;
	}
	p->evaluated = true;
	return 0;
}
