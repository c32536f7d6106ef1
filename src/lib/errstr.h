/*
 * errstr.h: errno as message text in the project's style: lower case,
 * no final full stop.  One buffer per thread: the text stays valid until
 * the same thread calls errstr() again.
 */
#ifndef ERRSTR_H
#define ERRSTR_H

/* The description of errno value E, starting with a lower-case letter. */
const char *errstr(int e);

#endif
