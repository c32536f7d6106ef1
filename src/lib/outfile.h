/*
 * outfile.h: the one writer behind every --output-style option
 * (--output, forecast --plot).  It replaces a regular file atomically,
 * writes through the nodes whose meaning is to receive a stream
 * (character devices, FIFOs, standard output) and refuses the rest, so
 * that no device, pipe or link is ever turned into a regular file.
 */
#ifndef OUTFILE_H
#define OUTFILE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Write LEN bytes of BUF to PATH:
 *  - "-", /dev/stdout, /dev/fd/1 and /proc/self/fd/1 (and the same
 *    names for 2): the standard stream ipctune was given, as it is;
 *  - a character device or a FIFO: written through, opened without
 *    creating or truncating anything (a FIFO waits for its reader);
 *  - a regular file, or nothing yet: replaced or created atomically
 *    with mode MODE (atomicfile_write());
 *  - a symbolic link (not followed), a directory, a socket or a block
 *    device: refused.
 * 0, or -1 with errno and a message naming PATH in ERR.
 */
int outfile_write(const char *path, const void *buf, size_t len,
    mode_t mode, char *err, size_t errlen);

#endif
