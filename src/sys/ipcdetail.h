/*
 * ipcdetail.h: the live facts about one System V object that its fields
 * do not hold: each semaphore's value, waiter counts and last PID
 * (semctl), a segment's resident and swapped bytes (/proc/sysvipc/shm),
 * its attachers (/proc/PID/maps, through procscan), the threads blocked
 * on an array or queue and in which call (/proc/PID/task/TID/syscall),
 * and whether the PIDs it records run.  It judges and prints nothing.
 */
#ifndef IPCDETAIL_H
#define IPCDETAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "objdetail.h"
#include "procscan.h"

/*
 * The most semaphores of one array read one by one: twice the kernel's
 * SEMMSL of 32000; 200,000 rows took 3 s and 130 MiB as a table.
 */
#define IPCDETAIL_SEMS_MAX 65536

/*
 * Parse the effective uid from the text of /proc/PID/status (the second
 * number of its "Uid:" line); 0, or -1 if there is none or it is
 * malformed.
 */
int ipcdetail_parse_status_uid(const char *buf, uid_t *uid);

/*
 * Fill the live members of D (whose fields objdetail_find() filled)
 * from the system PS reads: what could not be read stays unset (has_*
 * false) and the first such reason is left in WARN ("" if none).
 */
void ipcdetail_read(struct procscan *ps, struct objdetail *d, char *warn,
    size_t warnlen);

#endif
