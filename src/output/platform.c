/*
 * platform.c: IPC sysctls and /dev/shm's size in the forms container
 * platforms take (containers.md): 'docker run' and 'podman run' with
 * --sysctl and --shm-size, a compose service with sysctls: and shm_size:,
 * a Kubernetes pod with securityContext.sysctls and a memory-backed
 * emptyDir at /dev/shm, plus the kubelet's allowance for the "unsafe"
 * keys.  It formats values it is given; it reads nothing.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "platform.h"
#include "strbuf.h"
#include "xmalloc.h"

#define MIB ((uint64_t)1 << 20)
/* docker's /dev/shm when --shm-size is not given (moby/moby#29492) */
#define PLATFORM_DEFAULT_SHM (64 * MIB)

const char *const platform_names[PF_COUNT] = {
	[PF_DOCKER] = "docker",
	[PF_COMPOSE] = "compose",
	[PF_KUBERNETES] = "kubernetes",
	[PF_PODMAN] = "podman",
};

/*
 * What each platform makes of an IPC sysctl.  Every key here is per IPC
 * namespace (ipc/ipc_sysctl.c, ipc/mq_sysctl.c), so docker and podman
 * take all of them with --sysctl (docker's validator allows kernel.msg*,
 * kernel.sem, kernel.shm* and fs.mqueue.*); Kubernetes deems only
 * kernel.shm_rmid_forced "safe" (pkg/kubelet/sysctl/safe_sysctls.go):
 * the others need the kubelet's --allowed-unsafe-sysctls.
 */
static const struct {
	bool k8s_safe;
} platform_sysctls[SC_COUNT] = {
	[SC_SHM_RMID_FORCED] = { .k8s_safe = true },
};


bool
platform_in_container(const struct kstate *ks)
{
	return (ks->host.target_pid != 0 || ks->host.ns_path[0] != '\0') &&
	    ks->host.ipc_ns_inode != 0 &&
	    ks->host.ipc_ns_inode != IPC_NS_INIT_INO;
}

void
platform_hint(const char *const *sysctls, size_t n, char *buf, size_t len)
{
	size_t off;

	off = (size_t)snprintf(buf, len, "in a container, set it with");
	for (size_t i = 0; i < n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, " --sysctl "
		    "%s=...", sysctls[i]);
	if (off < len)
		snprintf(buf + off, len - off, " (docker/podman) or "
		    "securityContext.sysctls (Kubernetes), not in sysctl.d "
		    "('ipctune recommend --for' gives the whole form)");
}

int
platform_parse(const char *word, enum platform_form *f)
{
	for (int i = 0; i < PF_COUNT; i++)
		if (strcmp(word, platform_names[i]) == 0) {
			*f = (enum platform_form)i;
			return 0;
		}
	return -1;
}

void
platform_from_rec(const struct recommendation *r, struct platform_input *in)
{
	memset(in, 0, sizeof(*in));
	for (int i = 0; i < SC_COUNT; i++) {
		const struct rec_item *it = &r->item[i];
		uint64_t def[SEM_NFIELDS] = { 0 };
		struct platform_change *c = &in->ch[in->n];
		bool same = true;

		if (!it->present)
			continue;
		sysctl_kernel_default((enum sysctl_id)i, def);
		c->id = (enum sysctl_id)i;
		for (int k = 0; k < it->nfields; k++) {
			c->v[k] = it->f[k].recommended;
			same = same && c->v[k] == def[k];
		}
		/* what a new namespace has anyway needs no setting */
		if (!same)
			in->n++;
	}
}

uint64_t
platform_shm_bytes(uint64_t used, uint64_t size, bool keep)
{
	uint64_t want = used + used / 4;

	if (want < used)	/* beyond 2^64: keep what is there */
		return size;
	if (want < PLATFORM_DEFAULT_SHM)
		want = PLATFORM_DEFAULT_SHM;
	if (keep && size > want)
		want = size;
	if (want % MIB != 0 && want <= UINT64_MAX - MIB)
		want += MIB - want % MIB;
	return want;
}

/* The value of C as the kernel's text: fields separated by one space. */
static void
value_text(const struct platform_change *c, char *buf, size_t len)
{
	sysctl_format(c->id, c->v, buf, len);
}

/* Say so when no sysctl needs setting (every one at its default). */
static void
none_to_set(struct strbuf *b, const struct platform_input *in)
{
	if (in->n == 0)
		strbuf_printf(b, "# no IPC sysctl to set: the kernel's defaults "
		    "already give these values\n");
}

/* Do the values of IN need the kubelet's allowance? */
static size_t
nunsafe(const struct platform_input *in)
{
	size_t n = 0;

	for (size_t i = 0; i < in->n; i++)
		if (!platform_sysctls[in->ch[i].id].k8s_safe)
			n++;
	return n;
}

/* 'docker run' or 'podman run': one option a line, sh quoting. */
static void
render_run(struct strbuf *b, const char *tool, const struct platform_input *in)
{
	char v[128];

	strbuf_printf(b, "# the IPC sysctls and /dev/shm of a new container: its "
	    "IPC namespace\n# starts from the kernel's defaults, not from "
	    "the host's sysctl.d\n");
	none_to_set(b, in);
	strbuf_printf(b, "%s run \\\n", tool);
	for (size_t i = 0; i < in->n; i++) {
		value_text(&in->ch[i], v, sizeof(v));
		/* kernel.sem has spaces: one word for the shell */
		strbuf_printf(b, strchr(v, ' ') ? "  --sysctl '%s=%s' \\\n" :
		    "  --sysctl %s=%s \\\n", sysctl_table[in->ch[i].id].name,
		    v);
	}
	if (in->has_shm)
		strbuf_printf(b, "  --shm-size %" PRIu64 "m \\\n",
		    in->shm_bytes / MIB);
	strbuf_printf(b, "  IMAGE\n");
}

static void
render_compose(struct strbuf *b, const struct platform_input *in)
{
	char v[128];

	strbuf_printf(b, "# the IPC sysctls and /dev/shm of a compose service: "
	    "a container's IPC\n# namespace starts from the kernel's "
	    "defaults, not from the host's sysctl.d\n");
	none_to_set(b, in);
	strbuf_printf(b, "services:\n  app:\n");
	if (in->n > 0)
		strbuf_printf(b, "    sysctls:\n");
	for (size_t i = 0; i < in->n; i++) {
		value_text(&in->ch[i], v, sizeof(v));
		strbuf_printf(b, "      %s: \"%s\"\n",
		    sysctl_table[in->ch[i].id].name, v);
	}
	if (in->has_shm)
		strbuf_printf(b, "    shm_size: \"%" PRIu64 "m\"\n",
		    in->shm_bytes / MIB);
}

/* The kubelet's side: the flag as a comment, the config as a document. */
static void
render_kubelet(struct strbuf *b, const struct platform_input *in, bool doc)
{
	const char *sep = "";

	if (!doc) {
		strbuf_printf(b, "# all but kernel.shm_rmid_forced are \"unsafe\" "
		    "sysctls: the kubelet of every\n# node that may run the "
		    "pod must allow them, or the pod fails to start\n# with "
		    "SysctlForbidden (the KubeletConfiguration below does the "
		    "same):\n#   kubelet --allowed-unsafe-sysctls '");
		for (size_t i = 0; i < in->n; i++)
			if (!platform_sysctls[in->ch[i].id].k8s_safe) {
				strbuf_printf(b, "%s%s", sep,
				    sysctl_table[in->ch[i].id].name);
				sep = ",";
			}
		strbuf_printf(b, "'\n");
		return;
	}
	strbuf_printf(b, "---\napiVersion: kubelet.config.k8s.io/v1beta1\n"
	    "kind: KubeletConfiguration\nallowedUnsafeSysctls:\n");
	for (size_t i = 0; i < in->n; i++)
		if (!platform_sysctls[in->ch[i].id].k8s_safe)
			strbuf_printf(b, "  - %s\n",
			    sysctl_table[in->ch[i].id].name);
}

static void
render_kubernetes(struct strbuf *b, const struct platform_input *in)
{
	char v[128];

	strbuf_printf(b, "# the IPC sysctls and /dev/shm of a pod: its IPC "
	    "namespace starts from\n# the kernel's defaults, not from the "
	    "node's sysctl.d\n");
	none_to_set(b, in);
	if (nunsafe(in) > 0)
		render_kubelet(b, in, false);
	strbuf_printf(b, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\n"
	    "spec:\n  securityContext:\n    sysctls:%s\n",
	    in->n == 0 ? " []" : "");
	for (size_t i = 0; i < in->n; i++) {
		value_text(&in->ch[i], v, sizeof(v));
		strbuf_printf(b, "      - name: %s\n        value: \"%s\"\n",
		    sysctl_table[in->ch[i].id].name, v);
	}
	strbuf_printf(b, "  containers:\n    - name: app\n      image: IMAGE\n");
	if (in->has_shm)
		/* counted as the pod's memory, capped by its limits */
		strbuf_printf(b, "      volumeMounts:\n        - name: dshm\n"
		    "          mountPath: /dev/shm\n  volumes:\n"
		    "    - name: dshm\n      emptyDir:\n"
		    "        medium: Memory\n        sizeLimit: %" PRIu64
		    "Mi\n", in->shm_bytes / MIB);
	if (nunsafe(in) > 0)
		render_kubelet(b, in, true);
}

static void
render_docker(struct strbuf *b, const struct platform_input *in)
{
	render_run(b, "docker", in);
}

static void
render_podman(struct strbuf *b, const struct platform_input *in)
{
	render_run(b, "podman", in);
}

/* Who renders each form. */
static void (*const platform_renderers[PF_COUNT])(struct strbuf *,
    const struct platform_input *) = {
	[PF_DOCKER] = render_docker,
	[PF_COMPOSE] = render_compose,
	[PF_KUBERNETES] = render_kubernetes,
	[PF_PODMAN] = render_podman,
};

char *
platform_render(enum platform_form f, const struct platform_input *in)
{
	struct strbuf b = { NULL, 0, 0 };

	b.cap = 2048;
	b.p = xmalloc(b.cap);
	b.p[0] = '\0';
	if (f < PF_COUNT)
		platform_renderers[f](&b, in);
	return b.p;
}
