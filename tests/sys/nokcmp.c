/*
 * nokcmp: runs a command under a seccomp filter that fails kcmp(2) with
 * the errno given (EPERM, as a container's default filter does, or
 * ENOSYS, as a kernel without CONFIG_KCMP does), so the tests reach the
 * holder scan's way without it on a kernel that has it.
 *
 *   nokcmp EPERM|ENOSYS COMMAND [ARG...]
 */
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	unsigned e;

	if (argc < 3 || (strcmp(argv[1], "EPERM") != 0 &&
	    strcmp(argv[1], "ENOSYS") != 0)) {
		fprintf(stderr, "usage: nokcmp EPERM|ENOSYS COMMAND "
		    "[ARG...]\n");
		return 2;
	}
	e = strcmp(argv[1], "EPERM") == 0 ? EPERM : ENOSYS;
	{
		struct sock_filter f[] = {
			BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
			    offsetof(struct seccomp_data, nr)),
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_kcmp, 0, 1),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | e),
			BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		};
		struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0) {
			perror("nokcmp: seccomp");
			return 1;
		}
	}
	execvp(argv[2], argv + 2);
	perror("nokcmp: exec");
	return 127;
}
