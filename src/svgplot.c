/*
 * svgplot.c: stub
 */
#include "svgplot.h"

int
svgplot_write(FILE *fp, const struct history *h,
    const struct forecast_result *res, size_t nres,
    const struct svgplot_opts *o)
{
	(void)fp; (void)h; (void)res; (void)nres; (void)o;
	return 0;
}
