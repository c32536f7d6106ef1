/*
 * mqacct.h: how the kernel charges a POSIX message queue against its
 * creator's RLIMIT_MSGQUEUE, and the bounds mq_open checks its attributes
 * against (ipc/mqueue.c, include/linux/ipc_namespace.h).  Pure arithmetic
 * on numbers; nothing here reads the system.
 */
#ifndef MQACCT_H
#define MQACCT_H

#include <stdbool.h>
#include <stdint.h>

/* include/linux/ipc_namespace.h: the caps even CAP_SYS_RESOURCE meets. */
#define MQ_HARD_MSGMAX 65536u
#define MQ_HARD_MSGSIZEMAX 16777216u
/* include/uapi/linux/mqueue.h: priorities, and the default rlimit. */
#define MQ_PRIO_MAX_KERNEL 32768u
#define MQ_BYTES_MAX_DEFAULT 819200u
/*
 * sizeof(struct msg_msg) (include/linux/msg.h) and of struct
 * posix_msg_tree_node (ipc/mqueue.c) on a 64-bit kernel: 48 bytes each.
 */
#define MQ_MSG_MSG_SIZE 48u
#define MQ_TREE_NODE_SIZE 48u

/* The terms of one queue's charge. */
struct mq_cost {
	uint64_t data;		/* mq_maxmsg * mq_msgsize */
	uint64_t tree;		/* mq_treesize: the overhead */
	uint64_t total;		/* data + tree */
};

/*
 * The charge of a queue of MAXMSG messages of MSGSIZE bytes, as
 * mqueue_get_inode() computes it:
 *   mq_treesize = maxmsg * sizeof(struct msg_msg)
 *       + min(maxmsg, MQ_PRIO_MAX) * sizeof(struct posix_msg_tree_node)
 *   mq_bytes = maxmsg * msgsize + mq_treesize
 * false when it overflows an unsigned long (the kernel's EOVERFLOW).
 */
bool mqacct_cost(uint64_t maxmsg, uint64_t msgsize, struct mq_cost *c);

#endif
