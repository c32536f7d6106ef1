/*
 * posixlim.h: reads what the POSIX message queues of the current IPC
 * namespace charge against RLIMIT_MSGQUEUE, per user, and the caller's
 * own RLIMIT_MSGQUEUE.  Queues are opened read-only and never received
 * from; nothing is decided or printed here.
 */
#ifndef POSIXLIM_H
#define POSIXLIM_H

#include "ipctune.h"
#include "ksource.h"

/*
 * Fill KS->usage.mq.  A child in a private mount namespace mounts this
 * IPC namespace's mqueue fs to list the queues (an mqueue fs already at
 * /dev/mqueue serves without the privilege, but only for our own
 * namespace).  0, or -1 with errno when the queues could not be listed;
 * the rlimit is filled either way.
 */
int posixlim_read_mq(const struct ksource_opts *o, struct kstate *ks);

/*
 * Does the caller hold CAP_SYS_RESOURCE in its effective set?  mq_open
 * asks capable(), of the initial user namespace: inside another user
 * namespace the answer here may be yes while the kernel's is no.
 */
bool posixlim_cap_sys_resource(void);

#endif
