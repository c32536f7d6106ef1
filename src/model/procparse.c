/*
 * procparse.c: parsers for /proc/sys IPC values and /proc/sysvipc tables.
 * Columns are runs of spaces (ipc/util.c prints with printf widths), keys
 * are signed decimal, perms octal.  The shm table has 14 columns on old
 * kernels and 16 (rss, swap) since 2.6.37.  A value no kernel can hold
 * (beyond the type or the bound the kernel keeps it in) is refused with
 * its field named; /proc/PID/task/TID/syscall only as the kernel prints
 * it.  Pure: buffers in, structs out.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "numparse.h"
#include "procparse.h"
#include "xmalloc.h"

#define MAXCOLS 20

static void
trim_copy(char *dst, size_t dstlen, const char *src)
{
	size_t len;

	while (*src == ' ' || *src == '\t' || *src == '\n')
		src++;
	len = strlen(src);
	while (len > 0 && (src[len - 1] == ' ' || src[len - 1] == '\t' ||
	    src[len - 1] == '\n'))
		len--;
	if (len >= dstlen)
		len = dstlen - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

int
procparse_sysctl(enum sysctl_id id, const char *text,
    struct sysctl_value *val, char *err, size_t errlen)
{
	const struct sysctl_desc *d = &sysctl_table[id];
	char buf[96], *tok, *save = NULL;
	const char *what = "number";
	int64_t iv;
	int n = 0;

	memset(val, 0, sizeof(*val));
	if (strlen(text) >= sizeof(buf) || memchr(text, '\0', 1) == text) {
		snprintf(err, errlen, "'%s': %s", d->name,
		    *text ? "value too long" : "empty value");
		return -1;
	}
	trim_copy(val->raw, sizeof(val->raw), text);
	memcpy(buf, val->raw, sizeof(buf));
	for (tok = strtok_r(buf, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (n >= (d->kind == SCK_SEM ? SEM_NFIELDS : 1)) {
			snprintf(err, errlen, "'%s': too many fields in '%s'",
			    d->name, val->raw);
			return -1;
		}
		switch (d->kind) {
		case SCK_ULONG:
			if (num_parse_u64(tok, 0, UINT64_MAX, &val->v[n]) < 0)
				goto bad;
			break;
		case SCK_UINT_AS_INT:
			/* proc_dointvec prints the unsigned as an int */
			if (num_parse_i64(tok, INT32_MIN, INT32_MAX, &iv) < 0)
				goto bad;
			val->v[n] = (uint64_t)(uint32_t)iv;
			break;
		case SCK_INT:
		case SCK_SEM:
			/*
			 * Bounded by the type only: before Linux 5.1
			 * (ipcmni_extend) shmmni, msgmni and SEMMNI went
			 * through plain proc_dointvec and could hold any int,
			 * so a tree or snapshot of an older host may show one
			 */
			if (d->kind == SCK_SEM)
				what = sem_field_names[n];
			if (num_parse_i64(tok, INT32_MIN, INT32_MAX, &iv) < 0)
				goto bad;
			if (iv < 0) {
				/* kernel.sem: read back by sysctl_sem_fields() */
				val->negative = true;
				iv = 0;
			}
			val->v[n] = (uint64_t)iv;
			break;
		}
		n++;
	}
	if (n != (d->kind == SCK_SEM ? SEM_NFIELDS : 1)) {
		snprintf(err, errlen, "'%s': expected %d field%s, got %d",
		    d->name, d->kind == SCK_SEM ? SEM_NFIELDS : 1,
		    d->kind == SCK_SEM ? "s" : "", n);
		return -1;
	}
	val->present = true;
	return 0;
bad:
	snprintf(err, errlen, "'%s': bad %s '%s': %s", d->name, what, tok,
	    errno == ERANGE ? "out of range" : "not a number");
	return -1;
}

/* Split one line into whitespace-separated fields (in place). */
static int
split_fields(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		if (n == max)
			return max + 1;
		f[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
}

struct lineiter {
	const char *buf, *end;
	size_t lineno;
	char line[1024];
};

/* Next line into it->line; 1 if a line, 0 at end, -1 if too long or NUL. */
static int
next_line(struct lineiter *it)
{
	const char *nl;
	size_t len;

	if (it->buf >= it->end)
		return 0;
	nl = memchr(it->buf, '\n', (size_t)(it->end - it->buf));
	len = nl ? (size_t)(nl - it->buf) : (size_t)(it->end - it->buf);
	it->lineno++;
	if (len >= sizeof(it->line) || memchr(it->buf, '\0', len) != NULL) {
		it->buf = nl ? nl + 1 : it->end;
		return -1;
	}
	memcpy(it->line, it->buf, len);
	it->line[len] = '\0';
	it->buf = nl ? nl + 1 : it->end;
	return 1;
}

struct colspec {
	const char *name;
	int64_t min;
	uint64_t max;
	bool octal;
};

/*
 * Parse fields F[0..n) by SPEC into OUT (as u64 bit patterns; signed
 * columns are returned sign-extended into int64 and cast).
 */
static int
parse_row(char **f, int n, const struct colspec *spec, uint64_t *out,
    size_t lineno, char *err, size_t errlen)
{
	for (int i = 0; i < n; i++) {
		int64_t iv;
		uint64_t uv;
		char *end;

		if (spec[i].octal) {
			errno = 0;
			uv = strtoull(f[i], &end, 8);
			if (*f[i] < '0' || *f[i] > '7' || *end != '\0' ||
			    errno != 0 || uv > spec[i].max) {
				snprintf(err, errlen, "line %zu: bad %s '%s'",
				    lineno, spec[i].name, f[i]);
				return -1;
			}
			out[i] = uv;
		} else if (spec[i].min < 0) {
			if (num_parse_i64(f[i], spec[i].min,
			    (int64_t)spec[i].max, &iv) < 0) {
				snprintf(err, errlen, "line %zu: bad %s '%s': "
				    "%s", lineno, spec[i].name, f[i],
				    errno == ERANGE ? "out of range" :
				    "not a number");
				return -1;
			}
			out[i] = (uint64_t)iv;
		} else {
			if (num_parse_u64(f[i], (uint64_t)spec[i].min,
			    spec[i].max, &uv) < 0) {
				snprintf(err, errlen, "line %zu: bad %s '%s': "
				    "%s", lineno, spec[i].name, f[i],
				    errno == ERANGE ? "out of range" :
				    "not a number");
				return -1;
			}
			out[i] = uv;
		}
	}
	return 0;
}

/*
 * Each column is bounded by what the kernel can hold there: key and id
 * are ints (key_t), a mode is the 9 permission bits (ipc_update_perm())
 * plus SHM_DEST and SHM_LOCKED for a segment, a PID at most PID_MAX_LIMIT
 * (include/linux/threads.h), uid and gid 32 bits, times time64_t printed
 * with %llu, sizes and counts unsigned long; nsems is an int (below).
 */
#define KEYCOL { "key", INT32_MIN, INT32_MAX, false }
#define IDCOL(n) { n, 0, INT32_MAX, false }
#define PERMCOL { "perms", 0, 0777, true }
#define SHMPERMCOL { "perms", 0, 0777 | IPC_SHM_DEST | IPC_SHM_LOCKED, true }
#define U32COL(n) { n, 0, UINT32_MAX, false }
#define PIDCOL(n) { n, 0, IPC_PID_MAX, false }
#define TIMECOL(n) { n, 0, INT64_MAX, false }
#define U64COL(n) { n, 0, UINT64_MAX, false }

static const struct colspec shm_cols[16] = {
	KEYCOL, IDCOL("shmid"), SHMPERMCOL, U64COL("size"), PIDCOL("cpid"),
	PIDCOL("lpid"), U64COL("nattch"), U32COL("uid"), U32COL("gid"),
	U32COL("cuid"), U32COL("cgid"), TIMECOL("atime"), TIMECOL("dtime"),
	TIMECOL("ctime"), U64COL("rss"), U64COL("swap"),
};

static const struct colspec sem_cols[10] = {
	/* ksys_semget(): 0 < nsems <= SEMMSL, an int */
	KEYCOL, IDCOL("semid"), PERMCOL, { "nsems", 1, INT32_MAX, false },
	U32COL("uid"),
	U32COL("gid"), U32COL("cuid"), U32COL("cgid"), TIMECOL("otime"),
	TIMECOL("ctime"),
};

static const struct colspec msg_cols[14] = {
	KEYCOL, IDCOL("msqid"), PERMCOL, U64COL("cbytes"), U64COL("qnum"),
	PIDCOL("lspid"), PIDCOL("lrpid"), U32COL("uid"), U32COL("gid"),
	U32COL("cuid"), U32COL("cgid"), TIMECOL("stime"), TIMECOL("rtime"),
	TIMECOL("ctime"),
};

/*
 * The common driver: check the header names the expected first columns,
 * accept rows of NMIN or NMAX fields, call FILL for each row.
 */
typedef void (*fill_fn)(void *objs, size_t i, const uint64_t *v, int n);

static int
parse_table(const char *buf, size_t len, const char *idname,
    const struct colspec *cols, int nmin, int nmax, void **objsp, size_t *np,
    size_t objsize, fill_fn fill, char *err, size_t errlen)
{
	struct lineiter it = { buf, buf + len, 0, "" };
	char *f[MAXCOLS];
	uint64_t v[MAXCOLS];
	void *objs = NULL;
	size_t n = 0, cap = 0;
	int r, nf, hdr_cols = 0;

	*objsp = NULL;
	*np = 0;
	r = next_line(&it);
	if (r <= 0) {
		snprintf(err, errlen, r == 0 ? "empty file, no header line" :
		    "line 1: header too long or holds a NUL byte");
		return -1;
	}
	nf = split_fields(it.line, f, MAXCOLS);
	if (nf < 2 || nf > MAXCOLS || strcmp(f[0], "key") != 0 ||
	    strcmp(f[1], idname) != 0) {
		snprintf(err, errlen, "line 1: not a /proc/sysvipc header "
		    "(expected 'key %s ...')", idname);
		return -1;
	}
	if (nf != nmin && nf != nmax) {
		snprintf(err, errlen, "line 1: header has %d columns, "
		    "expected %d or %d", nf, nmin, nmax);
		return -1;
	}
	hdr_cols = nf;
	for (;;) {
		r = next_line(&it);
		if (r == 0)
			break;
		if (r < 0) {
			snprintf(err, errlen, "line %zu: too long or holds a "
			    "NUL byte", it.lineno);
			goto fail;
		}
		nf = split_fields(it.line, f, MAXCOLS);
		if (nf == 0)
			continue;
		if (nf != hdr_cols) {
			snprintf(err, errlen, "line %zu: %d columns, the "
			    "header has %d (truncated line?)", it.lineno,
			    nf > MAXCOLS ? MAXCOLS : nf, hdr_cols);
			goto fail;
		}
		if (parse_row(f, nf, cols, v, it.lineno, err, errlen) < 0)
			goto fail;
		xgrow(&objs, n, &cap, objsize);
		memset((char *)objs + n * objsize, 0, objsize);
		fill(objs, n, v, nf);
		n++;
	}
	*objsp = objs;
	*np = n;
	return 0;
fail:
	free(objs);
	return -1;
}

static void
fill_shm(void *objs, size_t i, const uint64_t *v, int n)
{
	struct shm_obj *o = (struct shm_obj *)objs + i;

	o->perm.key = (uint32_t)(int32_t)(int64_t)v[0];
	o->perm.id = (int)v[1];
	o->perm.mode = (uint32_t)v[2];
	o->size_bytes = v[3];
	o->cpid = (pid_t)v[4];
	o->lpid = (pid_t)v[5];
	o->nattch = v[6];
	o->perm.uid = (uid_t)v[7];
	o->perm.gid = (gid_t)v[8];
	o->perm.cuid = (uid_t)v[9];
	o->perm.cgid = (gid_t)v[10];
	o->atime = (int64_t)v[11];
	o->dtime = (int64_t)v[12];
	o->ctime = (int64_t)v[13];
	if (n >= 16) {
		o->has_rss = true;
		o->rss_bytes = v[14];
		o->swap_bytes = v[15];
	}
}

static void
fill_sem(void *objs, size_t i, const uint64_t *v, int n)
{
	struct sem_obj *o = (struct sem_obj *)objs + i;

	(void)n;
	o->perm.key = (uint32_t)(int32_t)(int64_t)v[0];
	o->perm.id = (int)v[1];
	o->perm.mode = (uint32_t)v[2];
	o->nsems = v[3];
	o->perm.uid = (uid_t)v[4];
	o->perm.gid = (gid_t)v[5];
	o->perm.cuid = (uid_t)v[6];
	o->perm.cgid = (gid_t)v[7];
	o->otime = (int64_t)v[8];
	o->ctime = (int64_t)v[9];
}

static void
fill_msg(void *objs, size_t i, const uint64_t *v, int n)
{
	struct msg_obj *o = (struct msg_obj *)objs + i;

	(void)n;
	o->perm.key = (uint32_t)(int32_t)(int64_t)v[0];
	o->perm.id = (int)v[1];
	o->perm.mode = (uint32_t)v[2];
	o->cbytes = v[3];
	o->qnum = v[4];
	o->lspid = (pid_t)v[5];
	o->lrpid = (pid_t)v[6];
	o->perm.uid = (uid_t)v[7];
	o->perm.gid = (gid_t)v[8];
	o->perm.cuid = (uid_t)v[9];
	o->perm.cgid = (gid_t)v[10];
	o->stime = (int64_t)v[11];
	o->rtime = (int64_t)v[12];
	o->ctime = (int64_t)v[13];
}

int
procparse_shm(const char *buf, size_t len, struct shm_obj **objs,
    size_t *n, char *err, size_t errlen)
{
	return parse_table(buf, len, "shmid", shm_cols, 14, 16,
	    (void **)objs, n, sizeof(**objs), fill_shm, err, errlen);
}

int
procparse_sem(const char *buf, size_t len, struct sem_obj **objs,
    size_t *n, char *err, size_t errlen)
{
	uint64_t total = 0;

	if (parse_table(buf, len, "semid", sem_cols, 10, 10,
	    (void **)objs, n, sizeof(**objs), fill_sem, err, errlen) < 0)
		return -1;
	/*
	 * newary() admits an array only while used_sems + nsems <= SEMMNS,
	 * and both are ints: no namespace holds more semaphores than that
	 */
	for (size_t i = 0; i < *n; i++) {
		total += (*objs)[i].nsems;
		if (total > INT32_MAX) {
			snprintf(err, errlen, "semid %d: bad nsems '%" PRIu64
			    "': out of range (the arrays hold more than %d "
			    "semaphores in all)", (*objs)[i].perm.id,
			    (*objs)[i].nsems, INT32_MAX);
			free(*objs);
			*objs = NULL;
			*n = 0;
			return -1;
		}
	}
	return 0;
}

int
procparse_msg(const char *buf, size_t len, struct msg_obj **objs,
    size_t *n, char *err, size_t errlen)
{
	return parse_table(buf, len, "msqid", msg_cols, 14, 14,
	    (void **)objs, n, sizeof(**objs), fill_msg, err, errlen);
}

/*
 * The IPC system calls by number: the id is their first argument, and
 * ARG the index of the one that says what they ask for: semop(semid,
 * sops, nsops), msgsnd(msqid, msgp, msgsz, msgflg), msgrcv(msqid, msgp,
 * msgsz, msgtyp, msgflg).
 */
static const struct {
	long nr;
	enum objdetail_call call;
	enum ipc_type type;
	int arg;
} ipc_calls[] = {
#ifdef SYS_semop
	{ SYS_semop, ODC_SEMOP, IPC_SEM, 2 },
#endif
#ifdef SYS_semtimedop
	{ SYS_semtimedop, ODC_SEMTIMEDOP, IPC_SEM, 2 },
#endif
#ifdef SYS_semtimedop_time64
	{ SYS_semtimedop_time64, ODC_SEMTIMEDOP, IPC_SEM, 2 },
#endif
#ifdef SYS_msgsnd
	{ SYS_msgsnd, ODC_MSGSND, IPC_MSG, 2 },
#endif
#ifdef SYS_msgrcv
	{ SYS_msgrcv, ODC_MSGRCV, IPC_MSG, 3 },
#endif
};

/*
 * The calls of ipc(2) by its first argument (include/uapi/linux/ipc.h);
 * ipc(CALL, FIRST, SECOND, THIRD, PTR, FIFTH): nsops and msgsz are
 * SECOND; msgrcv's msgtyp is FIFTH, except in version 0 of the call
 * (CALL >> 16), which passes it in memory (ipc/syscall.c): -1.
 */
static const struct {
	unsigned op;
	enum objdetail_call call;
	enum ipc_type type;
	int arg;
} ipc_mux[] = {
	{ 1, ODC_SEMOP, IPC_SEM, 2 },		/* SEMOP */
	{ 4, ODC_SEMTIMEDOP, IPC_SEM, 2 },	/* SEMTIMEDOP */
	{ 11, ODC_MSGSND, IPC_MSG, 2 },		/* MSGSND */
	{ 12, ODC_MSGRCV, IPC_MSG, 5 },		/* MSGRCV */
};

/*
 * The next word of *P into OUT, then past SEP (one space) unless LAST;
 * -1 if the word is empty or longer than OUT holds, or if the separator
 * is not there: a space between words, a newline or the end after the
 * last.
 */
static int
next_word(const char **p, char *out, size_t len, bool last)
{
	size_t n = strcspn(*p, " \n");

	if (n == 0 || n >= len)
		return -1;
	memcpy(out, *p, n);
	out[n] = '\0';
	*p += n;
	if (last)
		return strcmp(*p, "") == 0 || strcmp(*p, "\n") == 0 ? 0 : -1;
	if (**p != ' ')
		return -1;
	(*p)++;
	return 0;
}

/* "0x" and 1 to 16 lower-case hex digits, as the kernel's %lx. */
static int
parse_hex(const char *w, uint64_t *v)
{
	size_t n;

	if (w[0] != '0' || w[1] != 'x')
		return -1;
	n = strspn(w + 2, "0123456789abcdef");
	if (n == 0 || n > 16 || w[2 + n] != '\0')
		return -1;
	*v = 0;
	for (size_t i = 2; i < 2 + n; i++)
		*v = *v << 4 | (uint64_t)(isdigit((unsigned char)w[i]) ?
		    w[i] - '0' : w[i] - 'a' + 10);
	return 0;
}

/*
 * What register ARG of call C asks for: nsops and msgsz are size_t,
 * msgtyp a long; a value beyond 2^53 is left unknown, as JSON cannot
 * carry it exactly.
 */
static void
set_arg(struct procparse_call *c, const uint64_t *args, int arg)
{
	int64_t v;

	c->has_arg = false;
	if (arg < 0 || arg > 5)
		return;
	v = (int64_t)args[arg];
	if (c->call != ODC_MSGRCV && args[arg] > 9007199254740991ull)
		return;
	if (v > 9007199254740991ll || v < -9007199254740991ll)
		return;
	c->arg = v;
	c->has_arg = true;
}

/* The number of ipc(2), or -1 where it does not exist. */
static long
ipc_mux_nr(void)
{
#ifdef SYS_ipc
	return SYS_ipc;
#else
	return -1;
#endif
}

/* Fill C from system call NR with ARGS; 0, or -1 if not an IPC wait. */
static int
classify(long nr, const uint64_t *args, struct procparse_call *c)
{
	uint64_t idarg = args[0];
	int arg = -1;
	size_t i;
	bool found = false;

	for (i = 0; i < sizeof(ipc_calls) / sizeof(ipc_calls[0]); i++)
		if (ipc_calls[i].nr == nr) {
			c->call = ipc_calls[i].call;
			c->type = ipc_calls[i].type;
			arg = ipc_calls[i].arg;
			found = true;
			break;
		}
#ifdef SYS_ipc
	/* ipc(CALL, FIRST, ...): the version is in CALL's high 16 bits */
	for (i = 0; !found && nr == SYS_ipc &&
	    i < sizeof(ipc_mux) / sizeof(ipc_mux[0]); i++)
		if (ipc_mux[i].op == (args[0] & 0xffff)) {
			c->call = ipc_mux[i].call;
			c->type = ipc_mux[i].type;
			arg = ipc_mux[i].arg;
			if (c->call == ODC_MSGRCV && (args[0] >> 16) == 0)
				arg = -1;
			idarg = args[1];
			found = true;
		}
#else
	(void)ipc_mux;
#endif
	if (!found)
		return -1;
	/* the id is an int argument: the low 32 bits of the register */
	c->id = (int)(uint32_t)idarg;
	if (c->id < 0)
		return -1;
	set_arg(c, args, arg);
	/* semop(semid, sops, ...); ipc(SEMOP, semid, nsops, 0, sops) */
	c->sops = c->type != IPC_SEM ? 0 : nr == ipc_mux_nr() ? args[4] :
	    args[1];
	return 0;
}

int
procparse_syscall(const char *buf, struct procparse_call *c)
{
	const char *p = buf;
	char w[32];
	uint64_t v[8];
	int64_t nr;

	/* proc_pid_syscall(): "%d 0x%lx x6 0x%lx 0x%lx\n" in a call */
	if (next_word(&p, w, sizeof(w), false) < 0 ||
	    num_parse_i64(w, -1, INT32_MAX, &nr) < 0 || nr < 0)
		return -1;
	for (int i = 0; i < 8; i++)
		if (next_word(&p, w, sizeof(w), i == 7) < 0 ||
		    parse_hex(w, &v[i]) < 0)
			return -1;
	memcpy(c->args, v, sizeof(c->args));
	return classify((long)nr, v, c);
}

/* The start of the line of BUF that begins with WORD, or NULL. */
static const char *
find_line(const char *buf, const char *word)
{
	size_t n = strlen(word);

	for (const char *l = buf; l != NULL; l = strchr(l, '\n')) {
		if (*l == '\n')
			l++;
		if (strncmp(l, word, n) == 0)
			return l;
	}
	return NULL;
}

int
procparse_status_ids(const char *buf, const char *field, uint32_t *ids,
    size_t n)
{
	const char *l = find_line(buf, field);
	size_t got = 0;

	if (l == NULL)
		return -1;
	/* proc_pid_status(): "Uid:\t%u\t%u\t%u\t%u\n" */
	l += strlen(field);
	while (got < n) {
		char tok[16];
		uint64_t v;
		size_t k;

		l += strspn(l, " \t");
		if (*l == '\n' || *l == '\0')
			break;
		k = strspn(l, "0123456789");
		if (k == 0 || k >= sizeof(tok) || (l[k] != '\t' &&
		    l[k] != ' ' && l[k] != '\n' && l[k] != '\0'))
			return -1;
		memcpy(tok, l, k);
		tok[k] = '\0';
		if (num_parse_u64(tok, 0, UINT32_MAX - 1, &v) < 0)
			return -1;
		ids[got++] = (uint32_t)v;
		l += k;
	}
	return got == 0 ? -1 : (int)got;
}

int
procparse_limit(const char *buf, const char *name, uint64_t *soft)
{
	const char *l = find_line(buf, name);
	char tok[24];
	size_t k;

	/* proc_pid_limits(): "%-25s %-20s " or "%-20lu ", name padded */
	if (l == NULL || (l[strlen(name)] != ' ' && l[strlen(name)] != '\t'))
		return -1;
	l += strlen(name);
	l += strspn(l, " \t");
	k = strcspn(l, " \t\n");
	if (k == 0 || k >= sizeof(tok))
		return -1;
	memcpy(tok, l, k);
	tok[k] = '\0';
	if (strcmp(tok, "unlimited") == 0) {
		*soft = UINT64_MAX;
		return 0;
	}
	return num_parse_u64(tok, 0, UINT64_MAX - 1, soft);
}
