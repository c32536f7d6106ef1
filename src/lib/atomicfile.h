/*
 * atomicfile.h: replace a file atomically.  Readers see the old file or
 * the whole new one, never a part: the data goes to a temporary file in
 * the same directory, is synced, and is renamed over the target.
 */
#ifndef ATOMICFILE_H
#define ATOMICFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Write LEN bytes of BUF to PATH atomically, the file getting exactly
 * MODE (umask does not apply).  0, or -1 with errno kept and a message
 * in ERR; on failure PATH is left as it was.
 */
int atomicfile_write(const char *path, const void *buf, size_t len,
    mode_t mode, char *err, size_t errlen);

/*
 * Write all LEN bytes of BUF to FD, going on after short writes and
 * EINTR; 0, or -1 with errno kept.
 */
int atomicfile_write_all(int fd, const void *buf, size_t len);

#endif
