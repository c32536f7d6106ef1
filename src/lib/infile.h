/*
 * infile.h: the one way ipctune opens and reads a file.  Only a regular
 * file is read: the open cannot block on a FIFO (O_NONBLOCK until the
 * type is known) and a FIFO, socket, device or directory is refused
 * with a message that names the path and what it is.
 */
#ifndef INFILE_H
#define INFILE_H

#include <stddef.h>

enum infile_flags {
	/* refuse a symbolic link as the last component (O_NOFOLLOW) */
	INFILE_NOFOLLOW = 1 << 0,
	/*
	 * a character device reads as empty, never read: systemd counts
	 * a configuration file that is one (a link to /dev/null) as masked
	 */
	INFILE_DEVMASK = 1 << 1,
	/* "-" is standard input, read whatever it is (a pipe) */
	INFILE_STDIN = 1 << 2,
};

/*
 * Open PATH (relative to DIRFD, AT_FDCWD for the working directory)
 * for reading.  A regular file: its descriptor, blocking reads.  With
 * INFILE_DEVMASK a character device: -2 (read it as empty).  Otherwise
 * -1 with errno: EINVAL for a file that is not a regular one (EISDIR
 * for a directory, ELOOP for a link with INFILE_NOFOLLOW), and the
 * reason in ERR (which may be NULL), to follow "cannot read 'PATH': ",
 * for example "not a regular file (a FIFO)".
 */
int infile_openat(int dirfd, const char *path, unsigned flags, char *err,
    size_t errlen);

/*
 * Read all of PATH (at most MAXLEN bytes: EFBIG beyond) into a
 * NUL-terminated buffer for the caller to free.  0; 1 for a character
 * device with INFILE_DEVMASK (the buffer is empty); or -1 with errno as
 * infile_openat() and the reason in ERR.
 */
int infile_read(const char *path, unsigned flags, size_t maxlen,
    char **bufp, size_t *lenp, char *err, size_t errlen);

/* The same for NAME inside the directory DIRFD. */
int infile_readat(int dirfd, const char *name, unsigned flags,
    size_t maxlen, char **bufp, size_t *lenp, char *err, size_t errlen);

/* What kind of file MODE describes ("a FIFO", "a socket", ...). */
const char *infile_kind(unsigned mode);

#endif
