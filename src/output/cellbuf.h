/*
 * cellbuf.h: the cells of a table in one growing buffer, with the width
 * of each column kept as the cells arrive, and the aligned printing of
 * plain tables from it.  A table of 32,000 rows costs a few bytes per
 * cell here instead of an allocation per cell.  It knows nothing of
 * libsmartcols; render.c decides which tables it prints itself.
 */
#ifndef IPCTUNE_CELLBUF_H
#define IPCTUNE_CELLBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct cellbuf {
	size_t ncols;
	char *text;		/* the cells, each NUL-terminated */
	size_t len, cap;
	size_t *cell;		/* row * ncols + col -> offset in text + 1;
				   0: no text */
	size_t nrows, rowcap;
	size_t *width;		/* the longest cell of each column */
	unsigned char *level;	/* each row's colour level */
	bool plain;		/* every cell printable ASCII (0x20-0x7e) */
};

void cellbuf_init(struct cellbuf *b, size_t ncols);
void cellbuf_free(struct cellbuf *b);
/* Start a row; its cells are empty until set. */
void cellbuf_row(struct cellbuf *b);
/* Set cell COL of the last row to a copy of TEXT (the last one wins). */
void cellbuf_set(struct cellbuf *b, size_t col, const char *text);
void cellbuf_set_level(struct cellbuf *b, int level);
/* Cell COL of row ROW, or NULL when it was never set. */
const char *cellbuf_get(const struct cellbuf *b, size_t row, size_t col);
int cellbuf_level(const struct cellbuf *b, size_t row);
/*
 * Whether every one of the N strings in S is printable ASCII without a
 * backslash (libsmartcols prints one before an x as \x5c, so that its
 * escapes read back; such a cell is left to it).
 */
bool cellbuf_is_plain(const char *const *s, size_t n);

/*
 * Print the rows to FP as libsmartcols prints a table of plain cells to
 * a file that is not a terminal: HEADERS first if HEADINGS, each column
 * as wide as its widest cell or heading (printed or not), one space
 * between columns, RIGHT[c] columns right-aligned, and no blanks at the
 * end of a line: what libsmartcols prints, with trailing blanks cut.
 * 0, or -1 on a write error.
 */
int cellbuf_print(const struct cellbuf *b, FILE *fp,
    const char *const *headers, const bool *right, bool headings);

#endif
