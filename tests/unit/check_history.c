/*
 * check_history.c: unit tests of history.c: format and parse round trip,
 * a table of bad lines that must all be refused, chunked feeding, torn
 * and overlong lines, random garbage and mutated lines (never a crash),
 * stable sorting, retention and hourly compaction, and what counts as
 * the head of a history before an append (12.B10); a negative kernel.sem
 * field kept as held, earlier lines of applied values, hostile negatives.
 */
#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"

static struct hist_sample
sample(int64_t t, uint64_t semmni, uint64_t limit)
{
	struct hist_sample s;

	memset(&s, 0, sizeof(s));
	s.t = t;
	s.ns_inode = 4026531839u;
	s.has_used = 1u << R_SEMMNI | 1u << R_SHMALL | 1u << R_DEV_SHM;
	s.has_limit = 1u << R_SEMMNI | 1u << R_SHMALL;
	s.used[R_SEMMNI] = semmni;
	s.limit[R_SEMMNI] = limit;
	s.used[R_SHMALL] = 7;
	s.limit[R_SHMALL] = 18446744073692774399ull;
	s.used[R_DEV_SHM] = 4096;
	return s;
}

START_TEST(t_roundtrip)
{
	struct hist_sample a = sample(1700000000, 12, 32000), b;
	char line[HISTORY_LINE_MAX], why[96];
	int n = history_format(&a, line, sizeof(line));

	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(line[n - 1], '\n');
	ck_assert_int_eq(history_parse_line(line, (size_t)n - 1, &b, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(memcmp(&a, &b, sizeof(a)), 0);
	ck_assert_ptr_nonnull(strstr(line,
	    "\"shmall\":[7,18446744073692774399]"));
	ck_assert_ptr_nonnull(strstr(line, "\"dev_shm\":[4096,null]"));
	/* too small a buffer is refused, not truncated */
	ck_assert_int_eq(history_format(&a, line, 20), -1);
}
END_TEST

static const char *const bad_lines[] = {
	"",
	"{",
	"}",
	"{}",
	"[]",
	"null",
	"{\"v\":1}",
	"{\"t\":5}",
	"{\"v\":2,\"t\":5}",
	"{\"v\":1,\"t\":05}",
	"{\"v\":1,\"t\":-5}",
	"{\"v\":1,\"t\":5.5}",
	"{\"v\":1,\"t\":5e3}",
	"{\"v\":1,\"t\":null}",
	"{\"v\":1,\"t\":\"5\"}",
	"{\"v\":1,\"t\":99999999999999999999999}",
	"{\"v\":1,\"t\":253402300800}",
	"{\"v\":1,\"t\":5,\"t\":6}",
	"{\"v\":1,\"t\":5,\"semmni\":[1,2],\"semmni\":[1,2]}",
	"{\"v\":1,\"t\":5,\"semmni\":[1]}",
	"{\"v\":1,\"t\":5,\"semmni\":[1,2,3]}",
	"{\"v\":1,\"t\":5,\"semmni\":[null,2]}",
	"{\"v\":1,\"t\":5,\"semmni\":1}",
	"{\"v\":1,\"t\":5,\"semmni\":[1,[2]]}",
	"{\"v\":1,\"t\":5,\"semmni\":[18446744073709551616,1]}",
	"{\"v\":1,\"t\":5}x",
	"{\"v\":1,\"t\":5}}",
	"{\"v\":1,\"t\":5,}",
	"{\"v\":1 \"t\":5}",
	"{\"v\":1,\"t\":5,\"Semmni\":[1,2]}",
	"{\"v\":1,\"t\":5,\"x\\u0041\":1}",
	"{\"v\":1,\"t\":5,\"unknown\":\"text\"}",
	"{\"v\":1,\"t\":5,\"unknown\":{}}",
	"{\"v\":1,\"t\":5,\"unknown\":[1,2,3,4,5,6,7,8,9]}",
	"{\"v\":1,\"t\":5,\"semmni\":[1,2]",
	"{\"v\":1,\"t\":5,\"sem",
	"{\"v\":1,\"t\":1700000000,\"ns\":40265",
	"{\"v\":1,\"t\":5,\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\":1}",
	"\xef\xbb\xbf{\"v\":1,\"t\":5}",
	"{\"v\":true,\"t\":5}",
	"{\"v\":1,\"t\":5}\r",
	/* negatives: only a kernel.sem field's limit, within an int */
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-2147483649]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-4294967295]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-99999999999999999999999]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-18446744073709551616]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-0]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,--5]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,- 5]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-05]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-5.5]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,-5e1]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[0,+5]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[-1,5]}",
	"{\"v\":1,\"t\":5,\"semmsl\":[-0,5]}",
	"{\"v\":1,\"t\":5,\"shmmni\":[0,-5]}",
	"{\"v\":1,\"t\":5,\"mqueue_queues\":[0,-1]}",
	"{\"v\":1,\"t\":5,\"unknown\":[0,-1]}",
	"{\"v\":1,\"t\":5,\"unknown\":-1}",
	"{\"v\":-1,\"t\":5}",
	"{\"v\":1,\"t\":5,\"ns\":-9}",
};

START_TEST(t_bad_lines)
{
	const char *l = bad_lines[_i];
	struct hist_sample s;
	char why[96] = "";

	ck_assert_msg(history_parse_line(l, strlen(l), &s, why,
	    sizeof(why)) == -1, "accepted: %s", l);
	ck_assert(why[0] != '\0');
}
END_TEST

START_TEST(t_good_lines)
{
	static const char *const good[] = {
		"{\"v\":1,\"t\":0}",
		"{ \"t\" : 5 , \"v\" : 1 }",
		"{\"v\":1,\"t\":5,\"future\":3,\"other\":[1,null],\"e\":[]}",
		"{\"v\":1,\"t\":5,\"semmni\":[0,null]}",
		"{\"v\":1,\"t\":253402300799}",
		"{\"v\":1,\"t\":5,\"semmni\":[0,-2147483648]}",
		"{\"v\":1,\"t\":5,\"semmsl\":[0, -1 ],\"semopm\":[0,-1]}",
	};
	struct hist_sample s;
	char why[96];
	const char *l = "{\"v\":1,\"t\":5,\"semmni\":[3,128],\"ns\":9}";

	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(history_parse_line(good[i], strlen(good[i]), &s,
		    why, sizeof(why)) == 0, "refused: %s (%s)", good[i], why);
	ck_assert_int_eq(history_parse_line(l, strlen(l), &s, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(s.t, 5);
	ck_assert_int_eq(s.ns_inode, 9);
	ck_assert_uint_eq(s.has_used, 1u << R_SEMMNI);
	ck_assert_uint_eq(s.used[R_SEMMNI], 3);
	ck_assert_uint_eq(s.limit[R_SEMMNI], 128);
	/* a NUL inside the line is garbage, not an end */
	ck_assert_int_eq(history_parse_line("{\"v\":1,\0\"t\":5}", 15, &s,
	    why, sizeof(why)), -1);
}
END_TEST

/* A kernel.sem field held negative: kept as held, judged as applied. */
START_TEST(t_negative_sem)
{
	struct hist_sample a = sample(1700000000, 3, 128), b;
	char line[HISTORY_LINE_MAX], why[96];
	int n;

	a.has_used |= 1u << R_SEMMSL | 1u << R_SEMMNS | 1u << R_SEMOPM;
	history_set_limit(&a, R_SEMMSL, 0, true, -5);
	history_set_limit(&a, R_SEMMNS, 0, true, INT_MIN);
	history_set_limit(&a, R_SEMOPM, 4294967295u, true, -1);
	/* not kernel.sem, or not an int: written as applied */
	history_set_limit(&a, R_SEMMNI, 128, true, -3 - (int64_t)INT_MAX);
	history_set_limit(&a, R_MQUEUE_QUEUES, 4294967295u, true, -1);
	a.has_used |= 1u << R_MQUEUE_QUEUES;
	ck_assert_uint_eq(a.limit_signed, 1u << R_SEMMSL | 1u << R_SEMMNS |
	    1u << R_SEMOPM);
	/* SEMMSL, SEMMNS < 0 admit nothing; semop compares SEMOPM unsigned */
	ck_assert_uint_eq(a.limit[R_SEMMSL], 0);
	ck_assert_uint_eq(a.limit[R_SEMMNS], 0);
	ck_assert_uint_eq(a.limit[R_SEMOPM], 4294967295u);
	n = history_format(&a, line, sizeof(line));
	ck_assert_int_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(line, "\"semmsl\":[0,-5]"));
	ck_assert_ptr_nonnull(strstr(line, "\"semmns\":[0,-2147483648]"));
	ck_assert_ptr_nonnull(strstr(line, "\"semopm\":[0,-1]"));
	ck_assert_ptr_nonnull(strstr(line, "\"semmni\":[3,128]"));
	ck_assert_ptr_nonnull(strstr(line,
	    "\"mqueue_queues\":[0,4294967295]"));
	ck_assert_int_eq(history_parse_line(line, (size_t)n - 1, &b, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(memcmp(&a, &b, sizeof(a)), 0);
	/* hostile negatives are refused with the reason */
	ck_assert_int_eq(history_parse_line("{\"v\":1,\"t\":5,\"semmsl\":"
	    "[0,-0]}", 30, &b, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "negative zero at column 26");
	ck_assert_int_eq(history_parse_line("{\"v\":1,\"t\":5,\"semmsl\":"
	    "[0,--5]}", 31, &b, why, sizeof(why)), -1);
	ck_assert_str_eq(why, "expected a number at column 27");
	ck_assert_int_eq(history_parse_line("{\"v\":1,\"t\":5,\"shmmni\":"
	    "[0,-5]}", 30, &b, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "negative limit"));
	ck_assert_int_eq(history_parse_line("{\"v\":1,\"t\":5,\"semmsl\":"
	    "[0,-2147483649]}", 39, &b, why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "limit below the int range"));
	/* a signed limit set again unsigned loses its sign */
	history_set_limit(&b, R_SEMMSL, 250, false, 0);
	ck_assert_uint_eq(b.limit_signed & 1u << R_SEMMSL, 0);
	ck_assert_uint_eq(b.limit[R_SEMMSL], 250);
}
END_TEST

/* Lines of earlier versions held the applied value: read as before. */
START_TEST(t_applied_lines)
{
	static const char l[] = "{\"v\":1,\"t\":5,\"semmni\":[1,2147483648],"
	    "\"semmns\":[2,0],\"semmsl\":[0,0],"
	    "\"semopm\":[0,4294967295]}\n";
	struct hist_sample s;
	char line[HISTORY_LINE_MAX], why[96];
	int n;

	ck_assert_int_eq(history_parse_line(l, sizeof(l) - 2, &s, why,
	    sizeof(why)), 0);
	ck_assert_uint_eq(s.limit_signed, 0);
	ck_assert_uint_eq(s.limit[R_SEMMSL], 0);
	ck_assert_uint_eq(s.limit[R_SEMMNS], 0);
	ck_assert_uint_eq(s.limit[R_SEMOPM], 4294967295u);
	ck_assert_uint_eq(s.limit[R_SEMMNI], 2147483648u);
	/* and written back byte for byte */
	n = history_format(&s, line, sizeof(line));
	ck_assert_int_eq(n, (int)sizeof(l) - 1);
	ck_assert_str_eq(line, l);
}
END_TEST

/* Compaction keeps the last limit of the hour with its sign. */
START_TEST(t_compact_signed)
{
	struct history h;
	struct hist_sample s;
	const int64_t t0 = 1699999200;	/* 22:00 UTC */

	history_init(&h);
	for (int i = 0; i < 4; i++) {
		s = sample(t0 + i * 600, 1, 10);
		s.has_used |= 1u << R_SEMMSL | 1u << R_SEMMNS;
		/* SEMMSL -5 then 250; SEMMNS 32000 then -7 */
		history_set_limit(&s, R_SEMMSL, 250, i < 2, -5);
		history_set_limit(&s, R_SEMMNS, 32000, i >= 2, -7);
		history_add(&h, &s);
	}
	ck_assert_uint_eq(history_compact(&h, t0 + 40 * 86400, 400 * 86400,
	    86400), 3);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_uint_eq(h.s[0].limit_signed, 1u << R_SEMMNS);
	ck_assert_uint_eq(h.s[0].limit[R_SEMMSL], 250);
	ck_assert_int_eq(history_limit_held(&h.s[0], R_SEMMNS), -7);
	ck_assert_uint_eq(h.s[0].limit[R_SEMMNS], 0);
	history_release(&h);
}
END_TEST

/* Ten good lines with garbage at line 4 and a torn tail. */
static const char *
file_text(void)
{
	static char buf[8192];
	char line[HISTORY_LINE_MAX];
	size_t o = 0;

	for (int i = 0; i < 10; i++) {
		struct hist_sample s = sample(1000 + i * 300, (uint64_t)i, 99);
		int n = history_format(&s, line, sizeof(line));

		memcpy(buf + o, line, (size_t)n);
		o += (size_t)n;
		if (i == 2) {
			memcpy(buf + o, "garbage\n", 8);
			o += 8;
		}
	}
	memcpy(buf + o, "{\"v\":1,\"t\":99", 13);
	o += 13;
	buf[o] = '\0';
	return buf;
}

START_TEST(t_feed_chunks)
{
	const char *text = file_text();
	size_t len = strlen(text);
	size_t chunk[] = { 1, 2, 7, 64, 4096, 100000 };

	for (size_t c = 0; c < sizeof(chunk) / sizeof(chunk[0]); c++) {
		struct history h;

		history_init(&h);
		for (size_t o = 0; o < len; o += chunk[c])
			history_feed(&h, text + o, len - o < chunk[c] ?
			    len - o : chunk[c]);
		history_finish(&h);
		ck_assert_uint_eq(h.n, 10);
		ck_assert_uint_eq(h.nbad, 2);
		ck_assert_uint_eq(h.bad[0].line, 4);
		ck_assert_uint_eq(h.bad[1].line, 12);
		ck_assert(h.torn_tail);
		ck_assert_uint_eq(h.s[9].used[R_SEMMNI], 9);
		history_release(&h);
	}
}
END_TEST

START_TEST(t_overlong_and_valid_tail)
{
	struct history h;
	char *big = malloc(10000);
	const char *ok = "{\"v\":1,\"t\":7}\n";
	const char *tail = "{\"v\":1,\"t\":8}";

	memset(big, 'x', 9999);
	big[9999] = '\n';
	history_init(&h);
	history_feed(&h, big, 5000);
	history_feed(&h, big + 5000, 5000);
	history_feed(&h, ok, strlen(ok));
	/* a complete object without its newline still counts */
	history_feed(&h, tail, strlen(tail));
	history_finish(&h);
	ck_assert_uint_eq(h.n, 2);
	ck_assert_uint_eq(h.nbad, 1);
	ck_assert(!h.torn_tail);
	ck_assert_int_eq(h.s[1].t, 8);
	history_release(&h);
	/* an overlong unterminated tail is torn */
	history_init(&h);
	history_feed(&h, big, 9999);
	history_finish(&h);
	ck_assert(h.torn_tail);
	ck_assert_uint_eq(h.n, 0);
	history_release(&h);
	free(big);
}
END_TEST

static uint64_t rs = 88172645463325252ull;

static uint64_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

START_TEST(t_garbage_never_crashes)
{
	struct hist_sample a = sample(1700000000, 12, 32000), s;
	char line[HISTORY_LINE_MAX], m[HISTORY_LINE_MAX], why[96];
	int n = history_format(&a, line, sizeof(line));
	struct history h;
	size_t accepted = 0;

	/* random bytes */
	history_init(&h);
	for (int i = 0; i < 20000; i++) {
		size_t len = rnd() % 300;

		for (size_t k = 0; k < len; k++)
			m[k] = (char)(rnd() & 0xff);
		history_parse_line(m, len, &s, why, sizeof(why));
		history_feed(&h, m, len);
	}
	history_finish(&h);
	history_release(&h);
	/* valid lines with one to three bytes changed, or cut short */
	for (int i = 0; i < 50000; i++) {
		size_t len = (size_t)n - 1;

		memcpy(m, line, len);
		for (int k = 0, e = 1 + (int)(rnd() % 3); k < e; k++)
			m[rnd() % len] = "{}[],:\"0123456789nulx \t"[rnd() %
			    23];
		if (rnd() % 4 == 0)
			len = rnd() % len;
		if (history_parse_line(m, len, &s, why, sizeof(why)) == 0) {
			accepted++;
			ck_assert(s.t >= 0 && s.t <= 253402300799ll);
		}
	}
	/* most mutations break the line; some (digits) keep it valid */
	ck_assert_uint_gt(accepted, 0);
	ck_assert_uint_lt(accepted, 50000);
}
END_TEST

START_TEST(t_sort_stable)
{
	struct history h;
	int64_t ts[] = { 50, 10, 30, 10, 20, 50, 0 };

	history_init(&h);
	for (size_t i = 0; i < 7; i++) {
		struct hist_sample s = sample(ts[i], i, 9);

		history_add(&h, &s);
	}
	history_sort(&h);
	for (size_t i = 1; i < h.n; i++)
		ck_assert_int_le(h.s[i - 1].t, h.s[i].t);
	/* equal times keep their order: 10 (1) before 10 (3) */
	ck_assert_uint_eq(h.s[1].used[R_SEMMNI], 1);
	ck_assert_uint_eq(h.s[2].used[R_SEMMNI], 3);
	ck_assert_uint_eq(h.s[5].used[R_SEMMNI], 0);
	ck_assert_uint_eq(h.s[6].used[R_SEMMNI], 5);
	history_release(&h);
}
END_TEST

START_TEST(t_compact)
{
	struct history h;
	const int64_t day = 86400, t0 = 1700000400;	/* 22:20 UTC */
	int64_t now = t0 + 4 * day;
	size_t removed, before;

	history_init(&h);
	/* four days at five minutes, a peak at 12:00 of the second day */
	for (int64_t t = t0; t < now; t += 300) {
		struct hist_sample s = sample(t, 10 + (uint64_t)((t - t0) /
		    3600), 500);

		if (t == t0 + day + 300)
			s.used[R_SEMMNI] = 400;
		history_add(&h, &s);
	}
	before = h.n;
	/* keep 3.5 days, compact beyond 2 days */
	removed = history_compact(&h, now, 3 * day + day / 2, 2 * day);
	ck_assert_uint_eq(before - removed, h.n);
	for (size_t i = 1; i < h.n; i++)
		ck_assert_int_lt(h.s[i - 1].t, h.s[i].t);
	ck_assert_int_ge(h.s[0].t, now - 3 * day - day / 2);
	/* older than two days: at most one sample per clock hour */
	for (size_t i = 1; i < h.n && h.s[i].t < now - 2 * day; i++)
		ck_assert_int_ne(h.s[i - 1].t / 3600, h.s[i].t / 3600);
	/* newer: untouched, every five minutes */
	ck_assert_int_eq(h.s[h.n - 1].t - h.s[h.n - 2].t, 300);
	{
		bool peak = false;

		for (size_t i = 0; i < h.n; i++)
			if (h.s[i].used[R_SEMMNI] == 400)
				peak = true;
		ck_assert_msg(peak, "the peak was lost by compaction");
	}
	/* idempotent */
	before = h.n;
	ck_assert_uint_eq(history_compact(&h, now, 3 * day + day / 2,
	    2 * day), 0);
	ck_assert_uint_eq(h.n, before);
	history_release(&h);
}
END_TEST

/* TMPL with every "%s" replaced by LINE, into OUT; the length. */
static size_t
expand(const char *tmpl, const char *line, char *out, size_t outlen)
{
	size_t o = 0, l = strlen(line);

	for (const char *p = tmpl; *p != '\0'; p++) {
		if (p[0] == '%' && p[1] == 's') {
			ck_assert_uint_lt(o + l, outlen);
			memcpy(out + o, line, l);
			o += l;
			p++;
			continue;
		}
		ck_assert_uint_lt(o + 1, outlen);
		out[o++] = *p;
	}
	out[o] = '\0';
	return o;
}

/* 12.B10: only the head of a history may be appended to */
START_TEST(t_check_head)
{
	struct hist_sample a = sample(1700000000, 12, 32000);
	char line[HISTORY_LINE_MAX], buf[3 * HISTORY_LINE_MAX], why[96];
	uint64_t no = 0;
	int n = history_format(&a, line, sizeof(line));
	static const struct {
		const char *text;	/* %s: a sample line */
		bool whole;
		int ok;
		uint64_t line;		/* when refused */
	} cases[] = {
		{ "%s", true, 0, 0 },
		{ "%s%s", false, 0, 0 },
		{ "\n  \n%s", true, 0, 0 },
		{ "{\"v\":1,\"t\":17", true, 0, 0 },	/* first write cut */
		{ "{", true, 0, 0 },
		{ "{\"v\":1,\"t\":17\n%s", true, 0, 0 },	/* ... repaired */
		{ "root:x:0:0:root:/root:/bin/sh\n%s", true, -1, 1 },
		{ "hello", true, -1, 1 },
		{ "{\"v\":1,\"t\":17\nroot:x:0:0\n", true, -1, 2 },
		{ "{\"v\":1,\"t\":17\n{\"v\":1,\"t\":18\n%s", true, -1,
		    2 },
		{ "[1,2,3]\n", true, -1, 1 },
		{ "\n\nkey = value\n", true, -1, 3 },
	};

	ck_assert_int_gt(n, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len = expand(cases[i].text, line, buf, sizeof(buf));

		ck_assert_msg(history_check_head(buf, len,
		    cases[i].whole, &no, why, sizeof(why)) == cases[i].ok,
		    "case %zu", i);
		if (cases[i].ok < 0)
			ck_assert_msg(no == cases[i].line, "case %zu: line "
			    "%llu", i, (unsigned long long)no);
	}
	/* a head that ends inside its first line: that line is too long */
	memset(buf, 'x', sizeof(buf));
	ck_assert_int_eq(history_check_head(buf, sizeof(buf), false, &no,
	    why, sizeof(why)), -1);
	ck_assert_ptr_nonnull(strstr(why, "longer than"));
}
END_TEST

/*
 * 12.B10: a rewrite may drop only what a write cut short leaves: torn
 * sample prefixes (repaired or last); any other skipped line is foreign.
 */
START_TEST(t_foreign_lines)
{
	struct hist_sample a = sample(1700000000, 12, 32000);
	char line[HISTORY_LINE_MAX], buf[4 * HISTORY_LINE_MAX];
	struct history h;
	size_t len;

	ck_assert_int_gt(history_format(&a, line, sizeof(line)), 0);
	len = expand("%s{\"v\":1,\"t\":17\n%s{\"v\n%s{\"v\":1", line,
	    buf, sizeof(buf));
	history_init(&h);
	history_feed(&h, buf, len);
	history_finish(&h);
	ck_assert_uint_eq(h.n, 3);
	ck_assert_uint_eq(h.nbad, 3);
	ck_assert_uint_eq(h.nforeign, 0);
	history_release(&h);

	len = expand("%sadmin note\n%s%s{\"v\":1\n", line, buf,
	    sizeof(buf));
	history_init(&h);
	history_feed(&h, buf, len);
	history_finish(&h);
	ck_assert_uint_eq(h.n, 3);
	ck_assert_uint_eq(h.nforeign, 1);
	ck_assert_uint_eq(h.foreign.line, 2);
	history_release(&h);

	/* no write of ours is longer than a line */
	memset(buf, 'x', sizeof(buf));
	memcpy(buf, "{\"v\":1", 6);
	buf[sizeof(buf) - 1] = '\n';
	history_init(&h);
	history_feed(&h, buf, sizeof(buf));
	history_finish(&h);
	ck_assert_uint_eq(h.nforeign, 1);
	history_release(&h);
}
END_TEST

static Suite *
history_suite(void)
{
	Suite *s = suite_create("history");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, t_roundtrip);
	tcase_add_loop_test(tc, t_bad_lines, 0,
	    (int)(sizeof(bad_lines) / sizeof(bad_lines[0])));
	tcase_add_test(tc, t_good_lines);
	tcase_add_test(tc, t_negative_sem);
	tcase_add_test(tc, t_applied_lines);
	tcase_add_test(tc, t_compact_signed);
	tcase_add_test(tc, t_feed_chunks);
	tcase_add_test(tc, t_overlong_and_valid_tail);
	tcase_add_test(tc, t_garbage_never_crashes);
	tcase_add_test(tc, t_sort_stable);
	tcase_add_test(tc, t_compact);
	tcase_add_test(tc, t_check_head);
	tcase_add_test(tc, t_foreign_lines);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(history_suite());
	int nf;

	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf == 0 ? 0 : 1;
}
