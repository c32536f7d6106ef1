/*
 * fuzz_sysctld.c: libFuzzer target for the sysctl.d parser and the
 * winner rules (systemd-sysctl and procps) that say which file sets a key
 * at boot, and what the kernel holds after the loader writes it.  The
 * first byte picks the rules (bit 0) and ipcmni_extend (bit 1).
 */
#include <stdint.h>
#include <string.h>

#include "fuzz.h"
#include "sysctld.h"
#include "xmalloc.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const keys[] = {
		"kernel.shmmax", "kernel.shmall", "kernel.shmmni", "kernel.sem",
		"kernel.msgmni", "fs.mqueue.msg_max", "kernel.core_pattern",
		"", "*",
	};
	struct sysctld_plan plan;
	struct sysctld_winner w;
	char *s;

	if (size < 1)
		return 0;
	sysctld_plan_init(&plan);
	plan.rules = data[0] & 1 ? SYSCTLD_PROCPS : SYSCTLD_SYSTEMD;
	plan.files = xcalloc(1, sizeof(*plan.files));
	plan.nfiles = plan.capfiles = 1;
	plan.files[0].path = xstrdup("/etc/sysctl.d/fuzz.conf");
	plan.files[0].basename = xstrdup("fuzz.conf");
	s = fuzz_cstring(data + 1, size - 1);
	sysctld_parse(&plan, 0, s);
	for (size_t i = 0; i < plan.nassigns; i++) {
		FUZZ_ASSERT(plan.assigns[i].key != NULL);
		FUZZ_ASSERT(plan.assigns[i].exclude ||
		    plan.assigns[i].value != NULL);
		FUZZ_ASSERT(plan.assigns[i].line >= 1);
	}
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		sysctld_winner(&plan, keys[i], &w);
		if (w.set)
			FUZZ_ASSERT(w.file != NULL && w.value != NULL);
	}
	/* what the kernel would hold after the loader writes each winner */
	for (int i = 0; i < SC_COUNT; i++) {
		struct sysctld_kvalue kv;
		char text[400];
		bool rej;

		rej = sysctld_next_boot(&plan, (enum sysctl_id)i,
		    data[0] & 2 ? IPC_MNI_EXTEND : IPC_MNI_DEFAULT, &w, &kv,
		    text, sizeof(text));
		FUZZ_ASSERT(rej == kv.rejected);
		FUZZ_ASSERT(!rej || (w.set && kv.why[0] != '\0'));
		FUZZ_ASSERT(kv.nset >= 0 && kv.nset <= SEM_NFIELDS);
	}
	sysctld_plan_release(&plan);
	free(s);
	return 0;
}
