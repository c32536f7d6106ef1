/*
 * fuzz_dropin.c: libFuzzer target for the plan loader and the drop-in
 * writer together, the way 'apply --from-plan' uses them.  The first
 * byte N says how many of the next bytes are the plan's file name (also
 * used as the variables); the rest is the plan document.  Property: no
 * input makes dropin_generate produce a line that systemd-sysctl or
 * procps would apply other than the allowlisted IPC keys of the plan,
 * and text with a control character never gets into the drop-in.
 */
#include <stdint.h>
#include <string.h>

#include "dropin.h"
#include "fuzz.h"
#include "ipctune.h"
#include "ksysctl.h"
#include "plan.h"
#include "profile.h"
#include "sysctld.h"
#include "textcheck.h"
#include "xmalloc.h"

/* Parse TEXT as the boot does and check every assignment. */
static void
check_dropin(const char *text, const struct dropin_line *lines, size_t n)
{
	struct sysctld_plan plan;
	struct dropin_foreign *f;
	size_t nf;

	sysctld_plan_init(&plan);
	plan.files = xcalloc(1, sizeof(*plan.files));
	plan.nfiles = plan.capfiles = 1;
	plan.files[0].path = xstrdup("/etc/sysctl.d/zz-ipctune.conf");
	plan.files[0].basename = xstrdup("zz-ipctune.conf");
	sysctld_parse(&plan, 0, text);
	FUZZ_ASSERT(plan.nassigns == n);
	for (size_t i = 0; i < plan.nassigns; i++) {
		const struct sysctld_assign *a = &plan.assigns[i];
		enum sysctl_id id;

		FUZZ_ASSERT(!a->glob && !a->exclude && !a->ignore_failure);
		FUZZ_ASSERT(sysctl_lookup(a->key, &id) != NULL);
		FUZZ_ASSERT(strcmp(a->key, lines[i].key) == 0);
		FUZZ_ASSERT(strcmp(a->value, lines[i].value) == 0);
	}
	sysctld_plan_release(&plan);
	nf = dropin_foreign_lines(text, NULL, &f);
	FUZZ_ASSERT(nf == 0);
	dropin_foreign_free(f, nf);
	/* systemd's read_line() also ends a line at '\r' */
	FUZZ_ASSERT(strchr(text, '\r') == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dropin_line lines[SC_COUNT];
	struct profile p;
	char from[128], err[512], *path, *text, *label;
	size_t plen, n = 0;
	int r;

	if (size < 1)
		return 0;
	plen = data[0] < size - 1 ? data[0] : size - 1;
	path = fuzz_cstring(data + 1, plen);
	profile_init(&p);
	if (plan_read((const char *)data + 1 + plen, size - 1 - plen, &p,
	    from, sizeof(from), err, sizeof(err)) < 0) {
		profile_release(&p);
		free(path);
		return 0;
	}
	for (int i = 0; i < SC_COUNT; i++) {
		if (!p.sysctl[i].present)
			continue;
		lines[n].key = sysctl_table[i].name;
		sysctl_format((enum sysctl_id)i, p.sysctl[i].value,
		    lines[n].value, sizeof(lines[n].value));
		n++;
	}
	/* the label apply gives a plan (cmd_apply.c load_plan) */
	label = xasprintf("plan of %s (%s)", from[0] ? from : "?", path);
	r = dropin_generate(label, path, 1700000000, lines, n, &text, err,
	    sizeof(err));
	if (!textcheck_clean(label) || !textcheck_clean(path))
		FUZZ_ASSERT(r < 0);
	if (r == 0) {
		check_dropin(text, lines, n);
		free(text);
	}
	free(label);
	profile_release(&p);
	free(path);
	return 0;
}
