/*
 * platform.h: a change of IPC sysctls (and of /dev/shm's size) in the
 * form a container platform takes: docker and podman command lines, a
 * compose fragment, a Kubernetes pod with the kubelet's allowance.  It
 * renders into memory from the values given; which keys each platform
 * accepts is its table.  It reads nothing and decides no value.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipctune.h"
#include "recommend.h"

enum platform_form {
	PF_DOCKER,
	PF_COMPOSE,
	PF_KUBERNETES,
	PF_PODMAN,
	PF_COUNT
};

/* The words of --for, indexed by enum platform_form. */
extern const char *const platform_names[PF_COUNT];

/* The form named WORD.  0, or -1 if there is none. */
int platform_parse(const char *word, enum platform_form *f);

/* One sysctl to set, every field of it. */
struct platform_change {
	enum sysctl_id id;
	uint64_t v[SEM_NFIELDS];
};

/* What to render. */
struct platform_input {
	struct platform_change ch[SC_COUNT];
	size_t n;
	bool has_shm;		/* a size for /dev/shm */
	uint64_t shm_bytes;	/* a whole number of MiB */
};

/*
 * Every sysctl R sets, at its recommended value, unless that is the
 * kernel's default: a container's IPC namespace starts from the kernel's
 * defaults (ipc/namespace.c), so a key R keeps still has to be set
 * there, and one at its default needs nothing.
 */
void platform_from_rec(const struct recommendation *r,
    struct platform_input *in);

/*
 * The /dev/shm size to ask for when USED bytes are in use now and the
 * current size is SIZE (0: unknown): a quarter more than USED, at least
 * docker's 64 MiB default, never less than SIZE when KEEP, rounded up to
 * MiB.
 */
uint64_t platform_shm_bytes(uint64_t used, uint64_t size, bool keep);

/*
 * Is KS another IPC namespace than the host's (--pid or --ns naming one
 * that is not the initial namespace), where sysctl.d does not reach?
 */
bool platform_in_container(const struct kstate *ks);

/*
 * The one line saying how a container sets the sysctls SYSCTLS (N of
 * them) into BUF: --sysctl for docker and podman, securityContext.sysctls
 * for Kubernetes.
 */
void platform_hint(const char *const *sysctls, size_t n, char *buf,
    size_t len);

/*
 * IN in form F, NUL-terminated, in a new buffer; the YAML forms are
 * valid YAML (1.2, the core schema), the command lines valid sh.
 */
char *platform_render(enum platform_form f, const struct platform_input *in);

#endif
