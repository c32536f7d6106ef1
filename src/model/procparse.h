/*
 * procparse.h: pure parsers for the kernel's text interfaces: the value
 * of an IPC sysctl and the three /proc/sysvipc tables (every historical
 * column layout).  Input is a buffer; nothing is read here.
 */
#ifndef PROCPARSE_H
#define PROCPARSE_H

#include <stddef.h>

#include "ipctune.h"

/*
 * Parse the text of sysctl ID (as /proc/sys prints it) into VAL.
 * 0, or -1 with a message in ERR.
 */
int procparse_sysctl(enum sysctl_id id, const char *text,
    struct sysctl_value *val, char *err, size_t errlen);

/* Parse /proc/sysvipc/shm text; 0, or -1 with "line N: ..." in ERR. */
int procparse_shm(const char *buf, size_t len, struct shm_obj **objs,
    size_t *n, char *err, size_t errlen);
/* Parse /proc/sysvipc/sem text; 0, or -1 with "line N: ..." in ERR. */
int procparse_sem(const char *buf, size_t len, struct sem_obj **objs,
    size_t *n, char *err, size_t errlen);
/* Parse /proc/sysvipc/msg text; 0, or -1 with "line N: ..." in ERR. */
int procparse_msg(const char *buf, size_t len, struct msg_obj **objs,
    size_t *n, char *err, size_t errlen);

#endif
