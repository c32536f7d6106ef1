/*
 * rootfile.h: reading, atomically replacing and removing the files root
 * writes where another user must not steer it (sysctl.d drop-ins, the
 * rollback record), and removing the temporary files a killed writer
 * left.
 */
#ifndef ROOTFILE_H
#define ROOTFILE_H

#include <stddef.h>

/* Largest file rootfile_read() takes, in bytes. */
#define ROOTFILE_MAX_BYTES (1u << 20)

/*
 * Read PATH into *TEXT, or set *TEXT to NULL if it does not exist.
 * Refuses a symlink or a non-regular file.  0, or -1 with ERR.
 */
int rootfile_read(const char *path, char **text, char *err, size_t errlen);

/*
 * Replace PATH with TEXT atomically, with MODE.  Refuses to replace a
 * symlink.  0, or -1 with ERR (nothing changed).
 */
int rootfile_write(const char *path, const char *text, unsigned mode,
    char *err, size_t errlen);

/* Remove PATH (not a symlink) and fsync its directory; 0 or -1. */
int rootfile_remove(const char *path, char *err, size_t errlen);

/*
 * Remove the temporary files a killed writer left next to PATH
 * ("BASENAME.tmp.PID"): only regular files owned by root or the
 * effective uid, whose PID is not a live process and whose write lock
 * is free.  *NREMOVED counts them.  0, or -1 with ERR (the directory
 * cannot be read, or a stale file cannot be removed).
 */
int rootfile_clean_stale(const char *path, int *nremoved, char *err,
    size_t errlen);

#endif
