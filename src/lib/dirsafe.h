/*
 * dirsafe.h: is a directory safe to write into as root?  Another user must
 * not be able to redirect the write (a symlink they own anywhere on the
 * path) or to swap files inside it (a directory they may write to).
 */
#ifndef DIRSAFE_H
#define DIRSAFE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Check DIR for a caller with effective uid EUID: every component of the
 * path, symbolic links included, is owned by root or EUID; a directory on
 * the way that others may write to must be sticky (/tmp); DIR itself is
 * writable by its owner only.  0, or -1 with errno and the reason in ERR.
 */
int dirsafe_check(const char *dir, uid_t euid, char *err, size_t errlen);

/*
 * The same for the part of DIR that exists, before creating the rest:
 * nothing may be created through another user's link or directory.
 */
int dirsafe_check_prefix(const char *dir, uid_t euid, char *err,
    size_t errlen);

#endif
