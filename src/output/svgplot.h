/*
 * svgplot.h: the forecast as a picture.  One self-contained SVG document
 * (no scripts, no external fonts or images): per resource a chart of the
 * usage history, the limit, the trend and its band, with dated axes, a
 * title and a legend.  Writes to a stream; never opens files.
 */
#ifndef SVGPLOT_H
#define SVGPLOT_H

#include <stdint.h>
#include <stdio.h>

#include "forecast.h"
#include "history.h"

struct svgplot_opts {
	int64_t window_s;	/* history shown: this much before t_last */
	int64_t horizon_s;	/* projection shown at most this far */
	const char *subtitle;	/* e.g. the history file; may be NULL */
};

/* Write the SVG of the NRES forecasts RES over history H to FP; 0 or -1. */
int svgplot_write(FILE *fp, const struct history *h,
    const struct forecast_result *res, size_t nres,
    const struct svgplot_opts *o);

#endif
