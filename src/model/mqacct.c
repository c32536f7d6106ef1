/*
 * mqacct.c: the kernel's charge of one POSIX message queue, replayed from
 * mqueue_get_inode() (ipc/mqueue.c).  Pure: numbers in, numbers out; it
 * knows nothing of which queues exist or who holds them.
 */
#include "mqacct.h"

bool
mqacct_cost(uint64_t maxmsg, uint64_t msgsize, struct mq_cost *c)
{
	uint64_t prio = maxmsg < MQ_PRIO_MAX_KERNEL ? maxmsg :
	    MQ_PRIO_MAX_KERNEL;

	c->data = c->tree = c->total = 0;
	/* "if (mq_msgsize > ULONG_MAX / mq_maxmsg)": EOVERFLOW */
	if (maxmsg != 0 && msgsize > UINT64_MAX / maxmsg)
		return false;
	c->data = maxmsg * msgsize;
	if (maxmsg > (UINT64_MAX - prio * MQ_TREE_NODE_SIZE) /
	    MQ_MSG_MSG_SIZE)
		return false;
	c->tree = maxmsg * MQ_MSG_MSG_SIZE + prio * MQ_TREE_NODE_SIZE;
	/* "if (mq_bytes + mq_treesize < mq_bytes)": EOVERFLOW */
	if (c->data + c->tree < c->data)
		return false;
	c->total = c->data + c->tree;
	return true;
}
