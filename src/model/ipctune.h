/*
 * ipctune.h: the map of the program.  The shared model every module works
 * on: the kernel state as read (struct kstate), the exit statuses, and the
 * sysctl table with the kernel's bounds, defaults and "no limit" value.
 * Nothing here reads or writes the system.
 */
#ifndef IPCTUNE_H
#define IPCTUNE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifndef IPCTUNE_VERSION
#define IPCTUNE_VERSION "0.1.0"
#endif

/* Bumped only on a breaking change of any JSON document. */
#define IPCTUNE_SCHEMA_VERSION 1

/* The one exit-status table (see ipctune(8), EXIT STATUS). */
enum exit_status {
	EXIT_OK = 0,		/* success */
	EXIT_FAIL = 1,		/* runtime failure */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_NO = 4,		/* the answer is no: drift, no fit, orphans */
};

/* IPCMNI: kernel cap on shmmni, msgmni and SEMMNI (ipc/util.h). */
#define IPC_MNI_DEFAULT 32768u
#define IPC_MNI_EXTEND 16777216u

/* PROC_IPC_INIT_INO (include/linux/proc_ns.h): the initial IPC namespace. */
#define IPC_NS_INIT_INO 0xEFFFFFFFu

/* PID_MAX_LIMIT on 64-bit (include/linux/threads.h): no PID is larger. */
#define IPC_PID_MAX 4194304

/* Kernel-only mode bits of a segment (ipc/shm.c, <bits/shm.h>). */
#define IPC_SHM_DEST 01000u
#define IPC_SHM_LOCKED 02000u

/* The IPC sysctls ipctune knows.  The order is the order of output. */
enum sysctl_id {
	SC_SHMMAX,
	SC_SHMALL,
	SC_SHMMNI,
	SC_SHM_RMID_FORCED,
	SC_SEM,
	SC_MSGMAX,
	SC_MSGMNB,
	SC_MSGMNI,
	SC_MQ_QUEUES_MAX,
	SC_MQ_MSG_MAX,
	SC_MQ_MSGSIZE_MAX,
	SC_MQ_MSG_DEFAULT,
	SC_MQ_MSGSIZE_DEFAULT,
	SC_COUNT
};

/* kernel.sem field order, as in /proc/sys/kernel/sem. */
enum sem_field { SEM_SEMMSL, SEM_SEMMNS, SEM_SEMOPM, SEM_SEMMNI, SEM_NFIELDS };

/* How the kernel stores and bounds one sysctl (ipc/ipc_sysctl.c). */
enum sysctl_kind {
	SCK_ULONG,		/* size_t, 0 .. ULONG_MAX */
	SCK_INT,		/* int with a min/max */
	SCK_UINT_AS_INT,	/* unsigned int written through proc_dointvec */
	SCK_SEM,		/* four ints */
};

struct sysctl_desc {
	const char *name;	/* kernel.shmmax */
	const char *path;	/* sys/kernel/shmmax, relative to /proc */
	const char *json_key;	/* shmmax_bytes */
	const char *unit;	/* bytes, pages, count, ... */
	enum sysctl_kind kind;
	uint64_t min, max;	/* accepted range (max 0: see ipc_mni) */
	bool max_is_ipc_mni;	/* bounded by IPCMNI */
	uint64_t kernel_default;
};

/* The table of IPC sysctls, indexed by enum sysctl_id. */
extern const struct sysctl_desc sysctl_table[SC_COUNT];

/*
 * The kernel's "no limit": SHMMAX and SHMALL, the defaults of shmmax and
 * shmall, are ULONG_MAX - (1UL << 24) (include/uapi/linux/shm.h), so
 * that shmall * PAGE_SIZE cannot overflow.  A limit at or above it is
 * shown as unlimited.
 */
#define SYSCTL_UNLIMITED 18446744073692774399ull

/*
 * The largest value the kernel accepts in field K of sysctl ID, where
 * IPC_MNI bounds shmmni, msgmni and SEMMNI (ipc/ipc_sysctl.c).
 */
uint64_t sysctl_max(enum sysctl_id id, int k, uint64_t ipc_mni);
/* The smallest value the kernel accepts for sysctl ID. */
uint64_t sysctl_min(enum sysctl_id id);
/*
 * The value of sysctl ID in a fresh IPC namespace, as at boot, into V
 * (SEM_NFIELDS values for kernel.sem, one otherwise).
 */
void sysctl_kernel_default(enum sysctl_id id, uint64_t *v);

/* Names of the kernel.sem fields, for JSON and messages. */
extern const char *const sem_field_names[SEM_NFIELDS];

/* One sysctl as read: raw text exactly as the kernel printed it. */
struct sysctl_value {
	bool present;
	char raw[96];		/* trimmed, tabs kept as the kernel wrote them */
	uint64_t v[SEM_NFIELDS];	/* parsed; v[0] for single values */
	bool negative;		/* an int field held a negative number */
};

/*
 * What every object carries, as the kernel's struct kern_ipc_perm does
 * (include/linux/ipc.h): its id, key, owner, creator and mode.
 */
struct obj_perm {
	int id;
	uint32_t key;
	uint32_t mode;		/* shm: includes IPC_SHM_DEST, IPC_SHM_LOCKED */
	uid_t uid, cuid;
	gid_t gid, cgid;
};

struct shm_obj {
	struct obj_perm perm;
	uint64_t size_bytes;
	pid_t cpid, lpid;
	uint64_t nattch;
	int64_t atime, dtime, ctime;
	bool has_rss;
	uint64_t rss_bytes, swap_bytes;
};

struct sem_obj {
	struct obj_perm perm;
	uint64_t nsems;
	int64_t otime, ctime;
};

struct msg_obj {
	struct obj_perm perm;
	uint64_t cbytes, qnum;
	bool has_qbytes;	/* /proc/sysvipc/msg lacks msg_qbytes */
	uint64_t qbytes;
	pid_t lspid, lrpid;
	int64_t stime, rtime, ctime;
};

/* How a process holds a POSIX object: bits of posix_holder.how. */
#define POSIX_HOLD_MAP 1u	/* a mapping of it in /proc/PID/maps */
#define POSIX_HOLD_FD 2u	/* a descriptor: any thread's fd, io_uring */
#define POSIX_HOLD_LOOP 4u	/* backs a loop device: pid 0, comm loopN */

#define POSIX_COMM_LEN 32

/* A process that maps or holds open a POSIX object, or a loop device. */
struct posix_holder {
	pid_t pid;
	unsigned how;		/* POSIX_HOLD_* */
	char comm[POSIX_COMM_LEN];	/* /proc/PID/comm, raw */
};

/*
 * What every POSIX object is besides its permissions: a file of the
 * tmpfs at /dev/shm or of the mqueue fs, as fstatat(2) saw it.  Holders
 * are matched by st_dev and st_ino, never by name.
 */
struct posix_file {
	char *name;		/* the directory entry, raw bytes (sem.NAME) */
	uint64_t dev, ino;	/* st_dev (user-space encoding), st_ino */
	uint64_t size_bytes;	/* st_size */
	uint64_t alloc_bytes;	/* st_blocks * 512: what tmpfs charges */
	int64_t atime, mtime, ctime;	/* seconds since the epoch */
	bool has_holders;	/* the holder scan ran for it */
	struct posix_holder *holders;	/* sorted by pid */
	size_t nholders;
};

/*
 * POSIX objects have no id, key or creator: perm.id is -1, perm.key 0,
 * perm.uid/gid the file's owner, perm.cuid/cgid the same (the creator's
 * fsuid and fsgid unless someone chowned the file since), perm.mode the
 * file's permission bits.
 */
struct pshm_obj {
	struct obj_perm perm;
	struct posix_file f;
};

struct psem_obj {
	struct obj_perm perm;
	struct posix_file f;	/* name "sem.NAME": sem_open("/NAME") */
	bool has_value;		/* the file holds a glibc sem_t */
	uint32_t value;		/* sem_getvalue() would say this */
	uint32_t nwaiters;	/* threads in sem_wait (64-bit glibc) */
};

struct pmq_obj {
	struct obj_perm perm;
	struct posix_file f;
	bool has_text;		/* the queue file's text was read */
	uint64_t qsize_bytes;	/* QSIZE: bytes of messages queued */
	int notify, signo;	/* NOTIFY (sigev_notify), SIGNO */
	pid_t notify_pid;	/* NOTIFY_PID, in the reader's PID ns */
	bool has_attr;		/* mq_getattr(3) answered */
	int64_t maxmsg, msgsize, curmsgs;
};

/* The filesystem a POSIX type was read from, and its limits. */
struct posix_fs {
	bool read;		/* false: not read (see why) */
	char why[128];		/* why not read, or "" */
	char path[288];		/* the directory ipctune read */
	char source[128];	/* the mount's source (mountinfo), or "" */
	char fstype[16];	/* tmpfs, mqueue */
	uint64_t dev;		/* st_dev of its root */
	uint64_t size_bytes, free_bytes;	/* statvfs f_blocks, f_bavail */
	uint64_t inodes, free_inodes;		/* f_files, f_favail */
	size_t skipped;		/* entries that are not regular files */
	size_t unreadable;	/* entries fstatat() could not read */
};

/* The holder scan: one pass over /proc/PID/maps and /proc/PID/fd. */
struct posix_holder_scan {
	bool done;
	size_t procs;		/* processes inspected */
	size_t procs_partial;	/* maps or fd not readable: unseen holds */
};

/* What one user's POSIX queues charge against RLIMIT_MSGQUEUE. */
struct mq_charge {
	uid_t uid;
	uint64_t queues;	/* queues whose attributes were read */
	uint64_t bytes;		/* their charge, as mqueue_get_inode() */
	uint64_t unreadable;	/* queues that could not be opened */
};

#define MQ_CHARGE_USERS 16

/*
 * The queues of one IPC namespace opened read-only for their attributes
 * (mq_getattr), and the caller's RLIMIT_MSGQUEUE.
 */
struct mq_charges {
	bool has_attrs;		/* the queues were opened */
	uint64_t max_maxmsg, max_msgsize;	/* largest among them */
	uint64_t unreadable;	/* queues that could not be opened */
	struct mq_charge users[MQ_CHARGE_USERS];	/* by bytes, largest
							   first */
	size_t nusers;
	bool users_truncated;	/* more users than MQ_CHARGE_USERS */
	bool has_rlimit;
	uid_t caller_uid;	/* the real uid the kernel charges */
	uint64_t rlimit;	/* soft RLIMIT_MSGQUEUE; UINT64_MAX: none */
};

/* Namespace totals, from the kernel's *_INFO counters or summed. */
struct ipc_usage {
	uint64_t shm_segments;
	uint64_t shm_pages;	/* shm_tot: ceil(size/page) per segment */
	uint64_t shm_rss_pages, shm_swap_pages;
	uint64_t sem_arrays;
	uint64_t sem_sems;	/* used_sems, the sum of nsems */
	uint64_t msg_queues;
	uint64_t msg_messages;
	uint64_t msg_bytes;
	bool has_mq_queues;
	uint64_t mq_queues;	/* POSIX queues, when an mqueue fs shows them */
	bool has_dev_shm;
	uint64_t dev_shm_size_bytes, dev_shm_used_bytes;
	bool has_dev_shm_inodes;	/* a tmpfs with nr_inodes=0 has none */
	uint64_t dev_shm_inodes, dev_shm_inodes_used;
	char dev_shm_path[64];	/* the filesystem read: /dev/shm, ... */
	struct mq_charges mq;	/* RLIMIT_MSGQUEUE: src/model/mqacct.h */
};

/* Where a kstate came from; printed with every report. */
enum ksource_kind { KSRC_LIVE, KSRC_ROOT, KSRC_SNAPSHOT };

struct host_facts {
	char hostname[256];
	char kernel_release[128];
	uint64_t page_size;
	uint64_t ram_bytes;
	uint64_t ncpu;
	bool has_swap;		/* SwapTotal was read (0 is a value) */
	uint64_t swap_bytes;
	bool ipcmni_extend;	/* booted with ipcmni_extend */
	uint64_t ipc_ns_inode;	/* 0 when unknown */
	pid_t target_pid;	/* --pid, or 0 */
	char ns_path[256];	/* --ns PATH, or "" */
	/* the container of --pid's process, from its cgroup; "" if none */
	char container_runtime[24];	/* "podman", "docker", ... */
	char container_id[256];
};

/* Everything read from one IPC namespace. */
struct kstate {
	enum ksource_kind source;
	char source_detail[512];	/* --root DIR or --from FILE */
	int64_t read_at;		/* seconds since the epoch */
	struct host_facts host;
	struct sysctl_value sysctl[SC_COUNT];
	struct ipc_usage usage;
	bool has_usage;
	/* objects; has_* false when the command did not ask for them */
	bool has_shm, has_sem, has_msg;
	struct shm_obj *shm;
	size_t nshm;
	struct sem_obj *sem;
	size_t nsem;
	struct msg_obj *msg;
	size_t nmsg;
	/* POSIX objects: the files of /dev/shm and of the mqueue fs */
	bool has_pshm, has_psem, has_pmq;
	struct pshm_obj *pshm;
	size_t npshm;
	struct psem_obj *psem;
	size_t npsem;
	struct pmq_obj *pmq;
	size_t npmq;
	struct posix_fs dev_shm, mqueue;
	struct posix_holder_scan holders;
};

/* Prepare an empty kstate (no allocation). */
void kstate_init(struct kstate *ks);
/* Free the object arrays of a kstate. */
void kstate_release(struct kstate *ks);
/* Free what F holds (its name and holders). */
void posix_file_release(struct posix_file *f);

/*
 * The kernel.sem fields of SV as the kernel holds them (ints): the parsed
 * values clamp a negative field to 0, so it is read back from the raw text.
 */
void sysctl_sem_fields(const struct sysctl_value *sv,
    int64_t out[SEM_NFIELDS]);

/*
 * The value of sysctl ID in SV as the writers carry it (uint64_t per
 * field), so that it is written back exactly: each kernel.sem field is
 * the kernel's int sign-extended, a negative one as its two's complement.
 */
void sysctl_held_value(enum sysctl_id id, const struct sysctl_value *sv,
    uint64_t out[SEM_NFIELDS]);

/*
 * Field V of kernel.sem as the writers carry it, back as the kernel's
 * int: true with *OUT when V is a sign-extended negative int.
 */
bool sysctl_sem_negative(uint64_t v, int64_t *out);
/*
 * What the kernel makes of field K of sysctl ID holding V (as
 * sysctl_held_value gives it): V itself, except a negative kernel.sem
 * field, which admits nothing (0) or, for SEMOPM, nothing is above
 * (its unsigned value).
 */
uint64_t sysctl_effective(enum sysctl_id id, int k, uint64_t v);
/*
 * Is field V of sysctl ID (as sysctl_held_value gives it) one the kernel
 * prints as a negative int?  true with *OUT: a negative kernel.sem field,
 * or an unsigned int above INT_MAX (fs.mqueue.queues_max).
 */
bool sysctl_field_signed(enum sysctl_id id, uint64_t v, int64_t *out);
/* Field V of sysctl ID as the kernel prints it, into BUF (24 bytes). */
const char *sysctl_field_text(enum sysctl_id id, uint64_t v, char *buf,
    size_t len);
/*
 * Format the value V of sysctl ID as the kernel takes it (one line; a
 * negative kernel.sem field, sign-extended in V, and an unsigned int
 * above INT_MAX as negative numbers).
 */
void sysctl_format(enum sysctl_id id, const uint64_t *v, char *buf,
    size_t len);


/* The sysctl descriptor whose name is NAME, or NULL. */
const struct sysctl_desc *sysctl_lookup(const char *name, enum sysctl_id *idp);

#endif
