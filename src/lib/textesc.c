/*
 * textesc.c: the one escaping of untrusted text for terminal output.
 * The renderer and the error and warning printers pass every string
 * argument through here; it only rewrites bytes and never decides what
 * is printed or where.
 */
#include <inttypes.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "textesc.h"
#include "xmalloc.h"

size_t
textesc_char(const char *s, bool *unsafe)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	*unsafe = true;
	if (p[0] < 0x80) {
		*unsafe = p[0] < 0x20 || p[0] == 0x7f;
		return 1;
	}
	/* RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF */
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3;
		cp = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		cp = p[0] & 0x07;
	} else {
		return 1;
	}
	for (size_t i = 1; i < n; i++) {
		/* the terminating NUL is no continuation byte: no overread */
		if ((p[i] & 0xc0) != 0x80)
			return 1;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 1;
	/* U+0080..U+009F are the C1 controls (CSI is U+009B) */
	*unsafe = cp <= 0x9f;
	return n;
}

bool
textesc_is_safe(const char *s)
{
	bool unsafe;

	while (*s != '\0') {
		s += textesc_char(s, &unsafe);
		if (unsafe)
			return false;
	}
	return true;
}

/* Write S (up to its NUL) to FP escaped. */
void
textesc_fputs(const char *s, FILE *fp)
{
	static const char hex[] = "0123456789abcdef";

	while (*s != '\0') {
		bool unsafe;
		size_t n = textesc_char(s, &unsafe);

		if (!unsafe && !(s[0] == '\\' && s[1] == 'x')) {
			fwrite(s, 1, n, fp);
			s += n;
			continue;
		}
		for (size_t i = 0; i < n; i++, s++) {
			unsigned char c = (unsigned char)*s;
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };

			fwrite(e, 1, sizeof(e), fp);
		}
	}
}

/* An open_memstream(3) that never fails (like the x* wrappers). */
static FILE *
mem_open(char **bufp, size_t *lenp)
{
	FILE *fp = open_memstream(bufp, lenp);

	if (fp == NULL) {
		fprintf(stderr, "ipctune: out of memory\n");
		exit(1);
	}
	return fp;
}

char *
textesc_dup(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = mem_open(&buf, &len);

	textesc_fputs(s, fp);
	if (fclose(fp) != 0 || buf == NULL) {
		fprintf(stderr, "ipctune: out of memory\n");
		exit(1);
	}
	return buf;
}

/* Pad to WIDTH bytes on the left or the right of S, as %*s does. */
static void
put_padded(FILE *fp, const char *s, int width, bool left)
{
	size_t n = strlen(s);

	for (size_t i = n; !left && width > 0 && i < (size_t)width; i++)
		fputc(' ', fp);
	fputs(s, fp);
	for (size_t i = n; left && width > 0 && i < (size_t)width; i++)
		fputc(' ', fp);
}

/* One conversion, parsed from the format and with its '*' resolved. */
struct conv {
	char spec[48];		/* "%" flags width .prec length conv */
	char length[3];
	char conv;
	int width;
	bool left;
	bool has_prec;
	int prec;
};

/*
 * Parse the conversion at P (just past its '%'), taking any '*' width
 * and precision from AP.  The end of the conversion, or NULL if it is
 * not one this module prints (the caller then copies it as text).
 */
static const char *
conv_parse(const char *p, struct conv *c, va_list *ap)
{
	size_t fl = strspn(p, "-+ #0'");
	char flags[8];
	int n;

	memset(c, 0, sizeof(*c));
	if (fl >= sizeof(flags) - 1)
		return NULL;
	memcpy(flags, p, fl);
	flags[fl] = '\0';
	c->left = memchr(p, '-', fl) != NULL;
	p += fl;
	if (*p == '*') {
		c->width = va_arg(*ap, int);
		p++;
		if (c->width < 0) {
			/* printf: a negative '*' width is '-' and its size */
			c->left = true;
			c->width = c->width == INT_MIN ? 0 : -c->width;
			if (fl < sizeof(flags) - 1) {
				flags[fl++] = '-';
				flags[fl] = '\0';
			}
		}
	} else {
		for (; *p >= '0' && *p <= '9'; p++)
			c->width = c->width > 100000 ? c->width :
			    c->width * 10 + (*p - '0');
	}
	if (*p == '.') {
		p++;
		c->has_prec = true;
		if (*p == '*') {
			c->prec = va_arg(*ap, int);
			p++;
			if (c->prec < 0)
				c->has_prec = false;
		} else {
			for (; *p >= '0' && *p <= '9'; p++)
				c->prec = c->prec > 100000 ? c->prec :
				    c->prec * 10 + (*p - '0');
		}
	}
	n = 0;
	while (n < 2 && strchr("hljztLq", *p) != NULL && *p != '\0')
		c->length[n++] = *p++;
	c->length[n] = '\0';
	if (*p == '\0' || strchr("diouxXcspfFeEgGaA", *p) == NULL)
		return NULL;
	c->conv = *p++;
	if (c->has_prec)
		snprintf(c->spec, sizeof(c->spec), "%%%s%d.%d%s%c", flags,
		    c->width, c->prec, c->length, c->conv);
	else
		snprintf(c->spec, sizeof(c->spec), "%%%s%d%s%c", flags,
		    c->width, c->length, c->conv);
	return p;
}

/*
 * The conversions carry no text from outside: print them with printf
 * itself, through the specification rebuilt from the program's own
 * format literal (checked by the format attribute of every caller).
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void
conv_number(FILE *fp, const struct conv *c, va_list *ap)
{
	bool sign = c->conv == 'd' || c->conv == 'i';
	const char *l = c->length;

	if (strchr("fFeEgGaA", c->conv) != NULL) {
		if (strcmp(l, "L") == 0)
			fprintf(fp, c->spec, va_arg(*ap, long double));
		else
			fprintf(fp, c->spec, va_arg(*ap, double));
	} else if (c->conv == 'p') {
		fprintf(fp, c->spec, va_arg(*ap, void *));
	} else if (strcmp(l, "l") == 0) {
		if (sign)
			fprintf(fp, c->spec, va_arg(*ap, long));
		else
			fprintf(fp, c->spec, va_arg(*ap, unsigned long));
	} else if (strcmp(l, "ll") == 0 || strcmp(l, "q") == 0) {
		if (sign)
			fprintf(fp, c->spec, va_arg(*ap, long long));
		else
			fprintf(fp, c->spec, va_arg(*ap, unsigned long long));
	} else if (strcmp(l, "j") == 0) {
		if (sign)
			fprintf(fp, c->spec, va_arg(*ap, intmax_t));
		else
			fprintf(fp, c->spec, va_arg(*ap, uintmax_t));
	} else if (strcmp(l, "z") == 0) {
		fprintf(fp, c->spec, va_arg(*ap, size_t));
	} else if (strcmp(l, "t") == 0) {
		fprintf(fp, c->spec, va_arg(*ap, ptrdiff_t));
	} else {
		/* none, h or hh: promoted to int */
		if (sign)
			fprintf(fp, c->spec, va_arg(*ap, int));
		else
			fprintf(fp, c->spec, va_arg(*ap, unsigned int));
	}
}
#pragma GCC diagnostic pop

int
textesc_vfprintf(FILE *fp, const char *fmt, va_list ap0)
{
	va_list ap;

	va_copy(ap, ap0);
	for (const char *p = fmt; *p != '\0';) {
		const char *q = strchr(p, '%'), *end;
		struct conv c;

		if (q == NULL) {
			fputs(p, fp);
			break;
		}
		fwrite(p, 1, (size_t)(q - p), fp);
		if (q[1] == '%') {
			fputc('%', fp);
			p = q + 2;
			continue;
		}
		end = conv_parse(q + 1, &c, &ap);
		if (end == NULL) {
			/* not a conversion this module knows: print it as text */
			fputc('%', fp);
			p = q + 1;
			continue;
		}
		p = end;
		if (c.conv == 's' || c.conv == 'c') {
			char one[2] = { 0, 0 }, *raw, *e;
			const char *s;

			if (c.conv == 'c') {
				one[0] = (char)va_arg(ap, int);
				s = one;
			} else {
				s = va_arg(ap, const char *);
				if (s == NULL)
					s = "(null)";
			}
			/* the precision counts the bytes of the argument */
			raw = c.has_prec ? strndup(s, (size_t)c.prec) :
			    xstrdup(s);
			if (raw == NULL)
				raw = xstrdup("");
			e = textesc_dup(raw);
			put_padded(fp, e, c.width, c.left);
			free(e);
			free(raw);
		} else {
			conv_number(fp, &c, &ap);
		}
	}
	va_end(ap);
	return ferror(fp) ? -1 : 0;
}

int
textesc_fprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = textesc_vfprintf(fp, fmt, ap);
	va_end(ap);
	return r;
}

int
textesc_vsnprintf(char *buf, size_t len, const char *fmt, va_list ap)
{
	char *s = NULL;
	size_t n = 0;
	FILE *fp = mem_open(&s, &n);

	textesc_vfprintf(fp, fmt, ap);
	if (fclose(fp) != 0 || s == NULL) {
		fprintf(stderr, "ipctune: out of memory\n");
		exit(1);
	}
	if (len > 0) {
		size_t k = n < len - 1 ? n : len - 1;

		memcpy(buf, s, k);
		buf[k] = '\0';
	}
	free(s);
	return n > INT_MAX ? INT_MAX : (int)n;
}
