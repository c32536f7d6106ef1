/*
 * cellbuf.c: a table's cells in one buffer and the aligned printing of
 * plain ones (cellbuf.h).  Widths are byte counts, which is what a
 * terminal shows for printable ASCII; anything else is left to
 * libsmartcols by the caller.  Writes only to the stream it is given.
 */
#include <stdlib.h>
#include <string.h>

#include "cellbuf.h"
#include "xmalloc.h"

void
cellbuf_init(struct cellbuf *b, size_t ncols)
{
	memset(b, 0, sizeof(*b));
	b->ncols = ncols;
	b->width = xcalloc(ncols > 0 ? ncols : 1, sizeof(*b->width));
	b->plain = true;
}

void
cellbuf_free(struct cellbuf *b)
{
	free(b->text);
	free(b->cell);
	free(b->width);
	free(b->level);
	memset(b, 0, sizeof(*b));
}

void
cellbuf_row(struct cellbuf *b)
{
	if (b->nrows == b->rowcap) {
		b->rowcap = b->rowcap ? b->rowcap * 2 : 64;
		b->cell = xreallocarray(b->cell, b->rowcap * b->ncols + 1,
		    sizeof(*b->cell));
		b->level = xreallocarray(b->level, b->rowcap, 1);
	}
	memset(b->cell + b->nrows * b->ncols, 0, b->ncols * sizeof(*b->cell));
	b->level[b->nrows] = 0;
	b->nrows++;
}

bool
cellbuf_is_plain(const char *const *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (const unsigned char *p = (const void *)s[i]; *p; p++)
			if (*p < 0x20 || *p > 0x7e || *p == '\\')
				return false;
	return true;
}

void
cellbuf_set(struct cellbuf *b, size_t col, const char *text)
{
	size_t n = strlen(text);

	if (b->nrows == 0 || col >= b->ncols)
		return;
	if (b->plain && !cellbuf_is_plain(&text, 1))
		b->plain = false;
	if (b->len + n + 1 > b->cap) {
		while (b->len + n + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 4096;
		b->text = xreallocarray(b->text, b->cap, 1);
	}
	memcpy(b->text + b->len, text, n + 1);
	b->cell[(b->nrows - 1) * b->ncols + col] = b->len + 1;
	b->len += n + 1;
	if (n > b->width[col])
		b->width[col] = n;
}

void
cellbuf_set_level(struct cellbuf *b, int level)
{
	if (b->nrows > 0)
		b->level[b->nrows - 1] = (unsigned char)(level > 2 ? 2 :
		    level < 0 ? 0 : level);
}

const char *
cellbuf_get(const struct cellbuf *b, size_t row, size_t col)
{
	size_t off;

	if (row >= b->nrows || col >= b->ncols)
		return NULL;
	off = b->cell[row * b->ncols + col];
	return off == 0 ? NULL : b->text + off - 1;
}

int
cellbuf_level(const struct cellbuf *b, size_t row)
{
	return row < b->nrows ? b->level[row] : 0;
}

/*
 * One row into LINE (room for every width plus separators), as
 * libsmartcols aligns it, and out without the blanks before its newline.
 */
static void
print_line(FILE *fp, char *line, size_t ncols, const char *const *cells,
    const size_t *width, const bool *right)
{
	size_t len = 0;

	for (size_t c = 0; c < ncols; c++) {
		const char *s = cells[c] != NULL ? cells[c] : "";
		size_t n = strlen(s), gap = width[c] > n ? width[c] - n : 0;

		if (c > 0)
			line[len++] = ' ';
		if (right[c]) {
			memset(line + len, ' ', gap);
			len += gap;
		}
		memcpy(line + len, s, n);
		len += n;
		if (!right[c] && c + 1 < ncols) {
			memset(line + len, ' ', gap);
			len += gap;
		}
	}
	while (len > 0 && line[len - 1] == ' ')
		len--;
	line[len++] = '\n';
	fwrite(line, 1, len, fp);
}

int
cellbuf_print(const struct cellbuf *b, FILE *fp,
    const char *const *headers, const bool *right, bool headings)
{
	size_t *width = xcalloc(b->ncols + 1, sizeof(*width));
	const char **cells = xcalloc(b->ncols + 1, sizeof(*cells));
	size_t room = 2;
	char *line;

	/* the headings count even when they are not printed */
	for (size_t c = 0; c < b->ncols; c++) {
		width[c] = b->width[c];
		if (strlen(headers[c]) > width[c])
			width[c] = strlen(headers[c]);
		room += width[c] + 1;
	}
	line = xmalloc(room);
	/* libsmartcols prints nothing, not even headings, for no rows */
	if (headings && b->nrows > 0)
		print_line(fp, line, b->ncols, headers, width, right);
	for (size_t r = 0; r < b->nrows; r++) {
		for (size_t c = 0; c < b->ncols; c++)
			cells[c] = cellbuf_get(b, r, c);
		print_line(fp, line, b->ncols, cells, width, right);
	}
	free(line);
	free(cells);
	free(width);
	return ferror(fp) ? -1 : 0;
}
