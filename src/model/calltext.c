/*
 * calltext.c: the grammar of one System V IPC call, or POSIX mq_open and
 * mq_timedsend, as strace(1) (6.x, with or without -f, -t/-tt/-ttt/-r,
 * -T, -y and -X raw/verbose) and perf-trace(1) print it.
 * The calls and what their arguments mean are ipccall_table[]'s, in the
 * order strace prints them; only perf's names for them and strace's
 * extra flag words are kept here.  Nothing is read or printed here.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calltext.h"
#include "numparse.h"

/* the fifth is mq_timedsend's timeout: checked, not kept */
#define CT_MAXARGS 5

/*
 * perf's name of each argument, in the order of ipccall_table[] (the
 * prototypes of ipc/shm.c, ipc/sem.c and ipc/msg.c, which strace prints
 * by position).
 */
static const char *const perf_names[IPCCALL_COUNT][CT_MAXARGS] = {
	[IPCCALL_SHMGET] = { "key", "size", "shmflg" },
	[IPCCALL_SHMAT] = { "shmid", "shmaddr", "shmflg" },
	[IPCCALL_SEMGET] = { "key", "nsems", "semflg" },
	[IPCCALL_SEMOP] = { "semid", "tsops", "nsops" },
	[IPCCALL_SEMTIMEDOP] = { "semid", "tsops", "nsops", "timeout" },
	[IPCCALL_MSGGET] = { "key", "msgflg" },
	[IPCCALL_MSGSND] = { "msqid", "msgp", "msgsz", "msgflg" },
	/* ipc/mqueue.c SYSCALL_DEFINE4(mq_open), SYSCALL_DEFINE5(...) */
	[IPCCALL_MQ_OPEN] = { "u_name", "oflag", "mode", "u_attr" },
	[IPCCALL_MQ_TIMEDSEND] = { "mqdes", "u_msg_ptr", "msg_len",
	    "msg_prio", "u_abs_timeout" },
};

/* The arguments a trace prints beyond ipccall_table[]'s: the timeout. */
static unsigned
trace_nargs(enum ipc_call call)
{
	return (unsigned)ipccall_table[call].nargs +
	    (call == IPCCALL_MQ_TIMEDSEND);
}

/*
 * The words strace prints in a flag argument beyond ipccall_flags[]: the
 * msgrcv flags its msgsnd decoder shares, and the huge page size field
 * of shmget (include/uapi/linux/msg.h, include/uapi/asm-generic/
 * hugetlb_encode.h).
 */
static const struct {
	const char *name;
	unsigned value;
} flag_extra[] = {
	{ "MSG_NOERROR", 010000 }, { "MSG_EXCEPT", 020000 },
	{ "MSG_COPY", 040000 },
	{ "SHM_HUGE_64KB", 16u << 26 }, { "SHM_HUGE_2MB", 21u << 26 },
	{ "SHM_HUGE_1GB", 30u << 26 },
};

/*
 * The open flags strace may print in mq_open's oflag beyond
 * ipccall_flags[], which mq_open ignores (include/uapi/asm-generic/
 * fcntl.h); these and the O_ rows of ipccall_flags[] are the only words
 * an oflag may hold, and only an oflag may hold them.
 */
static const struct {
	const char *name;
	unsigned value;
} oflag_extra[] = {
	{ "O_RDONLY", 0 }, { "O_NOCTTY", 0400 }, { "O_TRUNC", 01000 },
	{ "O_APPEND", 02000 }, { "O_DSYNC", 010000 }, { "O_DIRECT", 040000 },
	{ "O_LARGEFILE", 0100000 }, { "O_DIRECTORY", 0200000 },
	{ "O_NOFOLLOW", 0400000 }, { "O_NOATIME", 01000000 },
	{ "O_SYNC", 04010000 }, { "O_PATH", 010000000 },
};

/* perf's words for a mode (tools/perf/trace/beauty/mode_t.c). */
static const struct {
	const char *name;
	unsigned value;
} perf_modes[] = {
	{ "ISUID", 04000 }, { "ISGID", 02000 }, { "ISVTX", 01000 },
	{ "IRWXU", 0700 }, { "IRUSR", 0400 }, { "IWUSR", 0200 },
	{ "IXUSR", 0100 }, { "IRWXG", 070 }, { "IRGRP", 040 },
	{ "IWGRP", 020 }, { "IXGRP", 010 }, { "IRWXO", 07 },
	{ "IROTH", 04 }, { "IWOTH", 02 }, { "IXOTH", 01 },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* The parse position, the line it is in, and where errors go. */
struct cur {
	const char *line;
	const char *p;
	char *err;
	size_t errlen;
};

static int
fail(struct cur *c, const char *fmt, ...)
{
	va_list ap;
	int n;

	n = snprintf(c->err, c->errlen, "column %zu: ",
	    (size_t)(c->p - c->line) + 1);
	if (n < 0 || (size_t)n >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	errno = EINVAL;
	return -1;
}

static void
skip_spaces(struct cur *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

/* Copy the token [S, S+N) into BUF (bounded); false when it is too long. */
static bool
token(const char *s, size_t n, char *buf, size_t len)
{
	if (n >= len)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return true;
}

/* A number as strace or perf prints one: decimal, or 0x hex. */
static int
parse_u64(const char *s, uint64_t *out)
{
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		uint64_t v = 0;

		if (s[2] == '\0' || strlen(s + 2) > 16)
			return -1;
		for (const char *q = s + 2; *q != '\0'; q++) {
			if (!isxdigit((unsigned char)*q))
				return -1;
			v = v * 16 + (uint64_t)(isdigit((unsigned char)*q) ?
			    *q - '0' : (tolower((unsigned char)*q) - 'a' + 10));
		}
		*out = v;
		return 0;
	}
	return num_parse_u64(s, 0, UINT64_MAX, out);
}

/*
 * One flag word of call CALL (-1: any): a flag name, or octal, hex or
 * decimal.  An open flag ("O_...") belongs to mq_open alone, and mq_open
 * takes no other word.
 */
static int
flag_word(int call, const char *s, unsigned *out)
{
	bool open_word = strncmp(s, "O_", 2) == 0;
	uint64_t v = 0;

	if (call >= 0 && open_word != (call == IPCCALL_MQ_OPEN) &&
	    !isdigit((unsigned char)s[0]))
		return -1;
	for (const struct ipccall_flag *f = ipccall_flags; f->name; f++)
		if (strcmp(f->name, s) == 0) {
			*out = f->value;
			return 0;
		}
	for (size_t i = 0; i < NELEM(flag_extra); i++)
		if (strcmp(flag_extra[i].name, s) == 0) {
			*out = flag_extra[i].value;
			return 0;
		}
	for (size_t i = 0; i < NELEM(oflag_extra); i++)
		if (strcmp(oflag_extra[i].name, s) == 0) {
			*out = oflag_extra[i].value;
			return 0;
		}
	if (s[0] == '0' && s[1] != 'x' && s[1] != 'X' && s[1] != '\0') {
		for (const char *q = s + 1; *q != '\0'; q++) {
			if (*q < '0' || *q > '7' || v > (UINT32_MAX >> 3))
				return -1;
			v = v * 8 + (uint64_t)(*q - '0');
		}
	} else if (parse_u64(s, &v) < 0 || v > UINT32_MAX) {
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* "A|B|0600" of call CALL (-1: any) into *OUT; 0 or -1. */
static int
flags_of(int call, const char *s, unsigned *out)
{
	char word[64];
	unsigned acc = 0;

	for (;;) {
		const char *bar = strchr(s, '|');
		size_t n = bar != NULL ? (size_t)(bar - s) : strlen(s);
		unsigned v;

		if (n == 0 || !token(s, n, word, sizeof(word)) ||
		    flag_word(call, word, &v) < 0) {
			errno = EINVAL;
			return -1;
		}
		acc |= v;
		if (bar == NULL)
			break;
		s = bar + 1;
	}
	*out = acc;
	return 0;
}

int
calltext_flags(const char *s, unsigned *out)
{
	return flags_of(-1, s, out);
}

/*
 * strace -X verbose: the number ("0xc2"), then its words in a C comment
 * ("O_RDWR|O_CREAT" between the comment marks), which must agree; or
 * the flags alone.
 */
static int
flags_verbose(int call, const char *s, unsigned *out)
{
	const char *open = strstr(s, " /* ");
	char num[32], words[256];
	size_t n;
	unsigned w;

	if (open == NULL)
		return flags_of(call, s, out);
	n = strlen(open + 4);
	if (n < 3 || strcmp(open + 4 + n - 3, " */") != 0 ||
	    !token(s, (size_t)(open - s), num, sizeof(num)) ||
	    !token(open + 4, n - 3, words, sizeof(words)) ||
	    flags_of(call, num, out) < 0 || flags_of(call, words, &w) < 0 ||
	    w != *out)
		return -1;
	return 0;
}

/* A mode: octal as strace prints it, or perf's words ("IRUSR|IWUSR"). */
static int
mode_of(const char *s, uint64_t *out)
{
	char word[16];
	unsigned acc = 0, v;

	if (isdigit((unsigned char)s[0])) {
		if (flag_word(-1, s, &v) < 0 || v > 07777)
			return -1;
		*out = v;
		return 0;
	}
	for (;;) {
		size_t n = strcspn(s, "|"), i;

		if (n == 0 || !token(s, n, word, sizeof(word)))
			return -1;
		for (i = 0; i < NELEM(perf_modes); i++)
			if (strcmp(perf_modes[i].name, word) == 0)
				break;
		if (i == NELEM(perf_modes))
			return -1;
		acc |= perf_modes[i].value;
		if (s[n] == '\0')
			break;
		s += n + 1;
	}
	*out = acc;
	return 0;
}

/* A pointer as strace and perf print one: NULL or 0x hex. */
static int
pointer_of(const char *s, uint64_t *out)
{
	if (strcmp(s, "NULL") == 0) {
		*out = 0;
		return 0;
	}
	if (s[0] != '0' || s[1] != 'x')
		return -1;
	return parse_u64(s, out);
}

/*
 * A string as strace quotes it (strace's string_quote(): \\, \", \f,
 * \n, \r, \t, \v, octal and, with -x, \xHH) from S to E, then "..."
 * when it was cut at -s bytes if MAY_CUT; decoded into BUF (LEN bytes,
 * NULL: only checked).  The decoded length, or -1.
 */
static long
string_of(const char *s, const char *e, bool may_cut, char *buf, size_t len)
{
	static const char esc[] = "\\\\\"\"f\fn\nr\rt\tv\v";
	size_t n = 0;
	unsigned v;

	if (s >= e || *s++ != '"')
		return -1;
	for (; s < e && *s != '"'; n++) {
		const char *q;

		v = (unsigned char)*s++;
		if (v < 0x20 || v == 0x7f)
			return -1;	/* strace escapes these */
		if (v == '\\' && s < e && *s == 'x' && s + 2 < e &&
		    isxdigit((unsigned char)s[1]) &&
		    isxdigit((unsigned char)s[2])) {
			char h[3] = { s[1], s[2], '\0' };

			v = (unsigned)strtoul(h, NULL, 16);
			s += 3;
		} else if (v == '\\' && s < e && *s >= '0' && *s <= '7') {
			v = 0;
			for (int k = 0; k < 3 && s < e && *s >= '0' &&
			    *s <= '7'; k++)
				v = v * 8 + (unsigned)(*s++ - '0');
			if (v > 0xff)
				return -1;
		} else if (v == '\\' && s < e && *s != '\0' &&
		    (q = strchr(esc, *s)) != NULL && (q - esc) % 2 == 0) {
			v = (unsigned char)q[1];
			s++;
		} else if (v == '\\') {
			return -1;
		}
		if (buf != NULL) {
			if (n + 1 >= len)
				return -1;
			buf[n] = (char)v;
		}
	}
	if (s >= e)
		return -1;
	s++;
	if (may_cut && e - s == 3 && strncmp(s, "...", 3) == 0)
		s += 3;
	if (s != e)
		return -1;
	if (buf != NULL)
		buf[n] = '\0';
	return (long)n;
}

/* mq_open's name: a string of at most NAME_MAX bytes, or a pointer. */
static int
name_of(struct cur *c, const char *v, const char *end, struct calltext *ct)
{
	struct ipccall_mq *m = &ct->args.mq;
	uint64_t u;
	long n;

	while (end > c->p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (*c->p != '"' || ct->source == CT_PERF) {	/* perf: a pointer */
		if (pointer_of(v, &u) < 0)
			return fail(c, "bad name: expected a string or a "
			    "pointer");
		m->name[0] = '\0';
		return 0;
	}
	n = string_of(c->p, end, false, m->name, sizeof(m->name));
	if (n < 0 || memchr(m->name, '\0', (size_t)n) != NULL) {
		m->name[0] = '\0';
		return fail(c, "bad name: a string as strace quotes it, of at "
		    "most 255 bytes");
	}
	return 0;
}

/* A signed decimal field "NAME=N" at *P, then SEP; false when not. */
static bool
field_of(const char **p, const char *name, const char *sep, int64_t *out)
{
	size_t n = strlen(name), d;
	char num[24];

	if (strncmp(*p, name, n) != 0 || (*p)[n] != '=')
		return false;
	*p += n + 1;
	d = strspn(*p + (**p == '-'), "0123456789") + (**p == '-');
	if (!token(*p, d, num, sizeof(num)) ||
	    num_parse_i64(num, INT64_MIN, INT64_MAX, out) < 0)
		return false;
	*p += d;
	n = strlen(sep);
	if (strncmp(*p, sep, n) != 0)
		return false;
	*p += n;
	return true;
}

/*
 * mq_open's attr as strace prints a struct mq_attr (strace's
 * printmqattr()): "{mq_flags=F, mq_maxmsg=N, mq_msgsize=N,
 * mq_curmsgs=N}", or NULL, or a pointer it could not read.
 */
static int
attr_of(struct cur *c, const char *v, struct calltext *ct)
{
	struct ipccall_mq *m = &ct->args.mq;
	const char *p = v, *comma;
	char fl[64];
	unsigned f;
	int64_t cur;

	if (*v != '{') {
		if (pointer_of(v, &ct->args.a[3]) < 0)
			return fail(c, "bad attr '%s'", v);
		return 0;
	}
	p += strlen("{");
	if (strncmp(p, "mq_flags=", 9) != 0 ||
	    (comma = strchr(p + 9, ',')) == NULL ||
	    !token(p + 9, (size_t)(comma - p - 9), fl, sizeof(fl)) ||
	    flags_verbose(IPCCALL_MQ_OPEN, fl, &f) < 0)
		return fail(c, "bad attr: expected '{mq_flags=...'");
	p = comma + 2;
	if (comma[1] != ' ' || !field_of(&p, "mq_maxmsg", ", ", &m->maxmsg) ||
	    !field_of(&p, "mq_msgsize", ", ", &m->msgsize) ||
	    !field_of(&p, "mq_curmsgs", "}", &cur) || *p != '\0')
		return fail(c, "bad attr: expected '{mq_flags=F, "
		    "mq_maxmsg=N, mq_msgsize=N, mq_curmsgs=N}'");
	m->has_attr = true;
	return 0;
}

/* A timeout: NULL, a pointer, or "{tv_sec=N, tv_nsec=N}". */
static int
timeout_of(struct cur *c, const char *v)
{
	const char *p = v;
	int64_t sec, nsec;
	uint64_t u;

	if (*v != '{')
		return pointer_of(v, &u) < 0 ? fail(c, "bad timeout '%s'", v) :
		    0;
	p++;
	if (!field_of(&p, "tv_sec", ", ", &sec) ||
	    !field_of(&p, "tv_nsec", "}", &nsec) || *p != '\0')
		return fail(c, "bad timeout: expected '{tv_sec=N, "
		    "tv_nsec=N}'");
	return 0;
}

/*
 * mq_timedsend's mqdes: "3", or with strace -y "3</name>", whose name,
 * a queue's, is kept.
 */
static int
mqdes_of(struct cur *c, const char *v, struct calltext *ct)
{
	const char *lt = strchr(v, '<');
	size_t n = lt != NULL ? (size_t)(lt - v) : strlen(v);
	char num[16];
	int64_t d;

	if (!token(v, n, num, sizeof(num)) ||
	    num_parse_i64(num, INT32_MIN, INT32_MAX, &d) < 0)
		return fail(c, "bad descriptor '%s'", v);
	ct->args.a[0] = (uint64_t)d;
	if (lt == NULL)
		return 0;
	n = strlen(lt);
	if (n < 3 || lt[n - 1] != '>' || strcspn(lt + 1, "<>") != n - 2)
		return fail(c, "bad descriptor '%s': expected N or N<PATH>",
		    v);
	for (size_t i = 1; i + 1 < n; i++)
		if ((unsigned char)lt[i] < 0x20 || lt[i] == 0x7f)
			return fail(c, "bad descriptor path");
	/* a queue's path in the mqueue fs: "/name" */
	if (lt[1] == '/' && n - 3 > 0 && n - 3 < sizeof(ct->args.mq.name) &&
	    memchr(lt + 2, '/', n - 3) == NULL &&
	    memchr(lt + 2, '\\', n - 3) == NULL)
		(void)token(lt + 2, n - 3, ct->args.mq.name,
		    sizeof(ct->args.mq.name));
	return 0;
}

/* The arguments of the POSIX queue calls (ipc/mqueue.c). */
static int
put_mq_arg(struct cur *c, unsigned i, const char *v, const char *end,
    struct calltext *ct)
{
	enum ipc_call call = ct->args.call;
	unsigned f;

	if (call == IPCCALL_MQ_OPEN && i == 0)
		return name_of(c, v, end, ct);
	if (call == IPCCALL_MQ_OPEN && i == 1) {
		if (flags_verbose(IPCCALL_MQ_OPEN, v, &f) < 0)
			return fail(c, "bad oflag '%s'", v);
		ct->args.a[1] = f;
		return 0;
	}
	if (call == IPCCALL_MQ_OPEN && i == 2)
		return mode_of(v, &ct->args.a[2]) < 0 ?
		    fail(c, "bad mode '%s'", v) : 0;
	if (call == IPCCALL_MQ_OPEN)
		return attr_of(c, v, ct);
	if (i == 0)
		return mqdes_of(c, v, ct);
	if (i == 1) {	/* the message, as a string or a pointer */
		uint64_t u;

		while (end > c->p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (*c->p == '"' && ct->source == CT_STRACE ?
		    string_of(c->p, end, true, NULL, 0) < 0 :
		    pointer_of(v, &u) < 0)
			return fail(c, "bad msg_ptr");
		return 0;
	}
	if (i == 4)
		return timeout_of(c, v);
	return -2;	/* msg_len and msg_prio: plain numbers */
}

/* Store V, the text of argument I of CT's call, into CT. */
static int
put_arg(struct cur *c, unsigned i, const char *v, const char *end,
    struct calltext *ct)
{
	uint64_t *dst = &ct->args.a[i < 4 ? i : 0];
	uint32_t key;
	unsigned f;
	int64_t n;
	int r;

	if (ipccall_table[ct->args.call].type == IPC_PMQ &&
	    (r = put_mq_arg(c, i, v, end, ct)) != -2)
		return r;
	switch (ipccall_table[ct->args.call].arg[i]) {
	case IPCARG_NONE:
	case IPCARG_ADDR:
		return 0;
	case IPCARG_KEY:
		if (strcmp(v, "IPC_PRIVATE") == 0)
			key = 0;
		else if (num_parse_key(v, &key) < 0)
			return fail(c, "bad key '%s'", v);
		*dst = key;
		return 0;
	case IPCARG_ID:
		if (num_parse_i64(v, INT32_MIN, INT32_MAX, &n) < 0)
			return fail(c, "bad identifier '%s'", v);
		*dst = (uint64_t)n;
		return 0;
	case IPCARG_FLAGS:
		if (flags_verbose((int)ct->args.call, v, &f) < 0)
			return fail(c, "bad flags '%s'", v);
		*dst = f;
		return 0;
	case IPCARG_SIZE:
	case IPCARG_NSEMS:
	case IPCARG_NSOPS:
	case IPCARG_NUM:
		if (v[0] == '-')
			return fail(c, "negative count '%s': the kernel "
			    "refuses it with EINVAL", v);
		if (parse_u64(v, dst) < 0)
			return fail(c, "bad number '%s'", v);
		return 0;
	case IPCARG_NAME:	/* put_mq_arg()'s */
	case IPCARG_MODE:
	case IPCARG_ATTR:
		break;
	}
	return fail(c, "internal: unknown argument kind");
}

/*
 * Whether argument I of call C may be longer than the value buffer: a
 * pointer only skipped, or mq_timedsend's message, checked in place.
 */
static bool
arg_skipped(enum ipc_call call, unsigned i)
{
	enum ipccall_arg k = i < 4 ? ipccall_table[call].arg[i] : IPCARG_NONE;

	if (call == IPCCALL_MQ_TIMEDSEND)
		return i == 1;
	return k == IPCARG_NONE || k == IPCARG_ADDR;
}

/* How many arguments strace prints: mq_open's mode and attr need O_CREAT
   (strace's SYS_FUNC(mq_open)), read once its oflag is. */
static unsigned
strace_nargs(const struct calltext *ct, unsigned parsed)
{
	if (ct->args.call == IPCCALL_MQ_OPEN && parsed >= 2 &&
	    !(ct->args.a[1] & 0100))
		return 2;
	return trace_nargs(ct->args.call);
}

/*
 * The end of the argument at C->p: the next comma or closing parenthesis
 * at depth 0, outside strings.  NULL (with the error set) when the line
 * ends first.
 */
static const char *
arg_end(struct cur *c)
{
	char stack[64];
	size_t depth = 0;
	const char *q = c->p;

	for (; *q != '\0'; q++) {
		if (*q == '"') {
			for (q++; *q != '"'; q++) {
				if (*q == '\\' && q[1] != '\0')
					q++;
				else if (*q == '\0')
					break;
			}
			if (*q == '\0')
				break;
		} else if (*q == '[' || *q == '{' || *q == '(') {
			if (depth == sizeof(stack))
				break;
			stack[depth++] = *q == '[' ? ']' : *q == '{' ? '}' :
			    ')';
		} else if (*q == ']' || *q == '}' || *q == ')') {
			if (depth == 0 && *q == ')')
				return q;
			if (depth == 0 || stack[--depth] != *q) {
				c->p = q;
				fail(c, "unbalanced '%c'", *q);
				return NULL;
			}
		} else if (*q == ',' && depth == 0) {
			return q;
		}
	}
	c->p = q;
	if (strstr(c->line, "<unfinished ...>") != NULL)
		fail(c, "the call is unfinished: strace -f printed it in two "
		    "parts; join the '<unfinished ...>' line with its "
		    "'resumed>' line");
	else
		fail(c, "the argument list does not end");
	return NULL;
}

/* The value of one argument with trailing blanks cut, into BUF. */
static int
arg_text(struct cur *c, const char *end, char *buf, size_t len)
{
	const char *e = end;

	while (e > c->p && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e == c->p)
		return fail(c, "empty argument");
	if (!token(c->p, (size_t)(e - c->p), buf, len)) {
		buf[0] = '\0';	/* a structure or string: only skipped */
		return 1;
	}
	return 0;
}

/* Room for a quoted name of NAME_MAX bytes, each as "\xHH". */
#define CT_VALUE 1100

static int
args_strace(struct cur *c, struct calltext *ct)
{
	char v[CT_VALUE];

	for (unsigned i = 0; i < strace_nargs(ct, i); i++) {
		const char *end;
		int long_arg;

		skip_spaces(c);
		if ((end = arg_end(c)) == NULL)
			return -1;
		if ((long_arg = arg_text(c, end, v, sizeof(v))) < 0)
			return -1;
		if (long_arg && !arg_skipped(ct->args.call, i))
			return fail(c, "argument %u is too long", i + 1);
		if (put_arg(c, i, v, end, ct) < 0)
			return -1;
		if ((*end == ')') != (i + 1 == strace_nargs(ct, i + 1)))
			return fail(c, "%s takes %u arguments here",
			    ipccall_table[ct->args.call].name,
			    strace_nargs(ct, i + 1));
		c->p = end + 1;
	}
	return 0;
}

/* perf prints "name: value" pairs and leaves out arguments that are 0. */
static int
args_perf(struct cur *c, struct calltext *ct)
{
	const char *const *names = perf_names[ct->args.call];
	unsigned nargs = trace_nargs(ct->args.call);
	char name[32], v[CT_VALUE];
	unsigned seen = 0;

	skip_spaces(c);
	if (*c->p == ')') {
		c->p++;
		return 0;
	}
	for (;;) {
		const char *colon, *end;
		unsigned i;

		skip_spaces(c);
		colon = strchr(c->p, ':');
		if (colon == NULL || !token(c->p, (size_t)(colon - c->p),
		    name, sizeof(name)))
			return fail(c, "expected 'name: value'");
		for (i = 0; i < nargs; i++)
			if (strcmp(names[i], name) == 0)
				break;
		if (i == nargs || (seen & (1u << i)))
			return fail(c, "%s has no argument '%s' here",
			    ipccall_table[ct->args.call].name, name);
		seen |= 1u << i;
		c->p = colon + 1;
		skip_spaces(c);
		if ((end = arg_end(c)) == NULL ||
		    arg_text(c, end, v, sizeof(v)) != 0 ||
		    put_arg(c, i, v, end, ct) < 0)
			return c->err[0] != '\0' ? -1 :
			    fail(c, "bad value of '%s'", name);
		c->p = end + 1;
		if (*end == ')')
			return 0;
	}
}

/* A run of digits with at most one '.', or a clock time with colons. */
static bool
time_word(const char *s, size_t n)
{
	size_t digits = 0, dots = 0, colons = 0;

	for (size_t i = 0; i < n; i++) {
		if (isdigit((unsigned char)s[i]))
			digits++;
		else if (s[i] == '.')
			dots++;
		else if (s[i] == ':')
			colons++;
		else
			return false;
	}
	return digits > 0 && dots <= 1 && (colons == 0 || colons == 2);
}

/* "= -1 ENAME (text)" or "= VALUE", then an optional " <seconds>". */
static int
result(struct cur *c, struct calltext *ct)
{
	const char *s;
	char num[32];
	uint64_t u;

	skip_spaces(c);
	if (*c->p != '=')
		return fail(c, "expected '=' and the result");
	c->p++;
	skip_spaces(c);
	if (*c->p == '?')
		return fail(c, "the call never returned (the process ended "
		    "in it)");
	s = c->p;
	while (*c->p != '\0' && *c->p != ' ' && *c->p != '<')
		c->p++;
	if (!token(s, (size_t)(c->p - s), num, sizeof(num)))
		return fail(c, "bad result");
	/* strace -y: mq_open's descriptor and its path, "3</name>" */
	if (*c->p == '<') {
		const char *gt = strchr(c->p, '>');

		if (ct->args.call != IPCCALL_MQ_OPEN || gt == NULL ||
		    strcspn(c->p + 1, "<> ") != (size_t)(gt - c->p - 1))
			return fail(c, "bad result");
		c->p = gt + 1;
	}
	if (strcmp(num, "-1") == 0) {
		skip_spaces(c);
		s = c->p;
		if (*s != 'E')
			return fail(c, "expected an errno name after -1");
		while (isupper((unsigned char)*c->p) ||
		    isdigit((unsigned char)*c->p))
			c->p++;
		if (!token(s, (size_t)(c->p - s), ct->errname,
		    sizeof(ct->errname)) || c->p - s < 2)
			return fail(c, "bad errno name");
		ct->failed = true;
		ct->err = ipccall_errno_lookup(ct->errname);
		if (ct->err < 0)
			ct->err = 0;
		skip_spaces(c);
		if (*c->p == '(') {
			const char *close = strrchr(c->p, ')');

			if (close == NULL)
				return fail(c, "the errno text does not end");
			c->p = close + 1;
		}
	} else {
		if (num[0] == '-' || parse_u64(num, &u) < 0 || u > INT64_MAX)
			return fail(c, "bad result '%s'", num);
		ct->ret = (int64_t)u;
	}
	skip_spaces(c);
	if (*c->p == '<') {	/* -T: the time spent in the call */
		size_t n = strspn(c->p + 1, "0123456789.");

		if (n == 0 || c->p[1 + n] != '>' ||
		    !time_word(c->p + 1, n))
			return fail(c, "bad '<seconds>'");
		c->p += n + 2;
		skip_spaces(c);
	}
	if (*c->p != '\0')
		return fail(c, "unexpected text after the result");
	return 0;
}

/* strace's prefixes: "[pid N]" or "N " (-o with -f), then a time. */
static int
prefix_strace(struct cur *c, struct calltext *ct)
{
	skip_spaces(c);
	if (strncmp(c->p, "[pid", 4) == 0) {
		const char *close = strchr(c->p, ']');
		char num[24];
		uint64_t u;

		c->p += 4;
		skip_spaces(c);
		if (close == NULL || !token(c->p, strspn(c->p, "0123456789"),
		    num, sizeof(num)) || num_parse_u64(num, 1, INT32_MAX,
		    &u) < 0)
			return fail(c, "bad '[pid N]' prefix");
		ct->pid = (int64_t)u;
		c->p = close + 1;
		skip_spaces(c);
	}
	for (int k = 0; k < 2; k++) {
		size_t n = strcspn(c->p, " \t");
		char num[24];
		uint64_t u;

		if (!time_word(c->p, n))
			break;
		if (k == 0 && ct->pid < 0 && strspn(c->p, "0123456789") == n &&
		    token(c->p, n, num, sizeof(num)) &&
		    num_parse_u64(num, 1, INT32_MAX, &u) == 0)
			ct->pid = (int64_t)u;
		c->p += n;
		skip_spaces(c);
	}
	return 0;
}

/* perf's prefix: "TIME ( DURATION ms): COMM/PID ". */
static int
prefix_perf(struct cur *c, struct calltext *ct)
{
	const char *sp, *slash;
	char num[24];
	uint64_t u;

	skip_spaces(c);
	c->p += strcspn(c->p, " ");
	skip_spaces(c);
	if (*c->p == '(') {
		const char *close = strstr(c->p, "ms)");

		if (close == NULL)
			return fail(c, "bad '( N ms)' duration");
		c->p = close + 3;
	}
	if (*c->p != ':')
		return fail(c, "expected ':' after perf's time");
	c->p++;
	skip_spaces(c);
	/* the command may hold spaces and slashes: the call ends it */
	sp = strchr(c->p, '(');
	while (sp != NULL && sp > c->p && (islower((unsigned char)sp[-1]) ||
	    isdigit((unsigned char)sp[-1]) || sp[-1] == '_'))
		sp--;
	if (sp == NULL || sp == c->p || sp[-1] != ' ')
		return fail(c, "expected 'COMMAND/PID' and the call");
	while (sp > c->p && sp[-1] == ' ')
		sp--;
	slash = sp;
	while (slash > c->p && slash[-1] != '/')
		slash--;
	if (slash == c->p || !token(slash, (size_t)(sp - slash), num,
	    sizeof(num)) || num_parse_u64(num, 1, INT32_MAX, &u) < 0 ||
	    !token(c->p, (size_t)(slash - 1 - c->p), ct->comm,
	    sizeof(ct->comm)))
		return fail(c, "bad 'COMMAND/PID'");
	ct->pid = (int64_t)u;
	c->p = sp;
	skip_spaces(c);
	return 0;
}

/* perf lines open with "TIME (" or "TIME:"; strace's never do. */
static bool
is_perf(const char *p)
{
	size_t n;

	while (*p == ' ')
		p++;
	n = strspn(p, "0123456789.");
	if (n == 0 || memchr(p, '.', n) == NULL)
		return false;
	p += n;
	while (*p == ' ')
		p++;
	return *p == '(' || *p == ':';
}

static int
check_line(struct cur *c)
{
	size_t n = strlen(c->line);

	if (n >= CALLTEXT_MAX_LINE)
		return fail(c, "the line is longer than %d bytes",
		    CALLTEXT_MAX_LINE);
	for (size_t i = 0; i < n; i++) {
		c->p = c->line + i;
		if (c->line[i] == '\n' && i + 1 != n)
			return fail(c, "one line only");
		/* only a line end of "\r\n" or "\r" may hold one */
		if (c->line[i] == '\r' && i + 1 != n &&
		    !(c->line[i + 1] == '\n' && i + 2 == n))
			return fail(c, "a carriage return inside the line");
	}
	c->p = c->line;
	return 0;
}

/* The PID of strace's "[pid N]" or "N " (-f with -o) prefix, or 0. */
static int64_t
part_pid(const char *p)
{
	uint64_t u;
	size_t n;
	char num[16];

	p += strspn(p, " ");
	if (strncmp(p, "[pid", 4) == 0)
		p += 4 + strspn(p + 4, " ");
	n = strspn(p, "0123456789");
	if (n == 0 || (p[n] != ' ' && p[n] != ']') || !token(p, n, num,
	    sizeof(num)) || num_parse_u64(num, 1, INT32_MAX, &u) < 0)
		return 0;
	return (int64_t)u;
}

enum calltext_part
calltext_part(const char *line, int64_t *pid, size_t *cut)
{
	static const char unf[] = "<unfinished ...>";
	size_t n = strcspn(line, "\r\n");
	const char *r;

	*pid = part_pid(line);
	*cut = 0;
	while (n > 0 && line[n - 1] == ' ')
		n--;
	if (n >= sizeof(unf) - 1 && strncmp(line + n - (sizeof(unf) - 1),
	    unf, sizeof(unf) - 1) == 0) {
		n -= sizeof(unf) - 1;
		while (n > 0 && line[n - 1] == ' ')
			n--;
		*cut = n;
		return CALLTEXT_UNFINISHED;
	}
	if ((r = strstr(line, "<... ")) != NULL &&
	    (r = strstr(r, " resumed>")) != NULL) {
		*cut = (size_t)(r - line) + 9;
		return CALLTEXT_RESUMED;
	}
	return CALLTEXT_WHOLE;
}

int
calltext_parse(const char *line, struct calltext *ct, char *err,
    size_t errlen)
{
	char buf[CALLTEXT_MAX_LINE];
	struct cur c = { line, line, err, errlen };
	char name[32];
	size_t n;
	int i;

	memset(ct, 0, sizeof(*ct));
	ct->pid = -1;
	if (errlen > 0)
		err[0] = '\0';
	if (check_line(&c) < 0)
		return -1;
	n = strcspn(line, "\r\n");	/* a trailing newline is no part */
	memcpy(buf, line, n);
	buf[n] = '\0';
	c.line = c.p = buf;
	ct->source = is_perf(buf) ? CT_PERF : CT_STRACE;
	if (strncmp(buf + strspn(buf, " "), "<...", 4) == 0 ||
	    strstr(buf, " resumed>") != NULL)
		return fail(&c, "a 'resumed>' line has no arguments: give the "
		    "call's '<unfinished ...>' line joined with it");
	if ((ct->source == CT_PERF ? prefix_perf(&c, ct) :
	    prefix_strace(&c, ct)) < 0)
		return -1;
	n = strspn(c.p, "abcdefghijklmnopqrstuvwxyz_0123456789");
	if (n == 0 || c.p[n] != '(' || !token(c.p, n, name, sizeof(name))) {
		fail(&c, "expected a system call");
		errno = ENOMSG;
		return -1;
	}
	if ((i = ipccall_lookup(name)) < 0) {
		fail(&c, "'%s' is not an IPC call ipctune explains "
		    "(shmget, shmat, semget, semop, semtimedop, msgget, "
		    "msgsnd, mq_open, mq_timedsend)", name);
		errno = ENOMSG;
		return -1;
	}
	ct->args.call = (enum ipc_call)i;
	c.p += n + 1;
	if ((ct->source == CT_PERF ? args_perf(&c, ct) :
	    args_strace(&c, ct)) < 0)
		return -1;
	return result(&c, ct);
}
