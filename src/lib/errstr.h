/*
 * errstr.h: errno as message text in the project's style: lower case,
 * no final full stop.  Thread-unsafe by design (one static buffer).
 */
#ifndef ERRSTR_H
#define ERRSTR_H

/* The description of errno value E, starting with a lower-case letter. */
const char *errstr(int e);

#endif
