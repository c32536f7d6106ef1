/*
 * check_procscan.c: procscan over a fixture tree: start times from
 * /proc/PID/stat and btime, zombies, and the SysV attachers found in
 * /proc/PID/maps (inode = shmid, one entry per process and segment);
 * maps lines parsed for device and inode, hostile ones refused; and the
 * holders of files found through maps and fd links in one pass, also
 * when a process maps a file and closes its descriptor during the scan,
 * through a thread's own descriptor table and a thread's maps; files
 * that back a loop device (the text of backing_file, hostile ones
 * refused); the fixed files an io_uring's fdinfo lists.
 */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <dlfcn.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "procscan.h"

static char root[64];

/*
 * The process of fd_moment: when the scan opens its fd directory, it
 * has just mapped the file and closed its descriptor (a NULL: nothing
 * happens).  The opendir(3) of procscan.c comes here.
 */
static const char *fd_moment;
static void (*fd_moment_fn)(void);

DIR *
opendir(const char *path)
{
	static DIR *(*real)(const char *);
	size_t n = strlen(path), m;

	if (real == NULL)
		real = (DIR *(*)(const char *))dlsym(RTLD_NEXT, "opendir");
	m = fd_moment != NULL ? strlen(fd_moment) : 0;
	if (m > 0 && n >= m && strcmp(path + n - m, fd_moment) == 0) {
		fd_moment = NULL;
		fd_moment_fn();
	}
	return real(path);
}

static void
put(const char *rel, const char *text)
{
	char path[256], dir[256];
	FILE *fp;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", path);
	*strrchr(dir, '/') = '\0';
	for (char *p = dir + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	fclose(fp);
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)flag;
	(void)f;
	return remove(path);
}

static void
setup(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	char stat[512];

	snprintf(root, sizeof(root), "/tmp/check_procscan.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(root));
	put("/proc/stat", "cpu  1 2 3\nbtime 1700000000\nprocesses 5\n");
	/* starttime 50 s after boot, comm with a space and a parenthesis */
	snprintf(stat, sizeof(stat), "100 (my (app)) S 1 100 100 0 -1 0 0 0 "
	    "0 0 0 0 0 0 20 0 1 0 %ld 1000 10\n", 50 * hz);
	put("/proc/100/stat", stat);
	put("/proc/100/comm", "my (app)\n");
	put("/proc/100/maps",
	    "7f00-7f10 rw-s 00000000 00:01 5                          "
	    "/SYSV00001234 (deleted)\n"
	    "7f10-7f20 r--s 00000000 00:01 5                          "
	    "/SYSV00001234 (deleted)\n"
	    "7f20-7f30 rw-s 00000000 00:01 32768                      "
	    "/SYSV00000000 (deleted)\n"
	    "7f30-7f40 r-xp 00000000 08:01 5                          "
	    "/usr/lib/libSYSV.so\n");
	put("/proc/200/stat", "200 (zomb) Z 1 200 200 0 -1 0 0 0 0 0 0 0 "
	    "0 0 20 0 1 0 10 0 0\n");
	put("/proc/300/comm", "other\n");
	put("/proc/300/maps", "7f00-7f10 rw-s 00000000 00:01 5  "
	    "/SYSV00001234 (deleted)\n");
}

static void
teardown(void)
{
	nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

START_TEST(start_times)
{
	struct procscan ps;
	struct orphan_proc p;

	procscan_init(&ps, root, false, 0);
	ck_assert_int_eq(procscan_proc(&ps, 100, &p), 0);
	ck_assert_int_eq(p.start_time, 1700000050);
	ck_assert_str_eq(p.comm, "my (app)");
	/* a zombie has released its IPC: not alive */
	ck_assert_int_eq(procscan_proc(&ps, 200, &p), -1);
	ck_assert_int_eq(procscan_proc(&ps, 999, &p), -1);
	procscan_release(&ps);
}
END_TEST

START_TEST(attachers)
{
	const struct orphan_attacher *a;
	struct procscan ps;

	procscan_init(&ps, root, false, 0);
	ck_assert_int_eq(procscan_scan_maps(&ps), 0);
	ck_assert_uint_eq(procscan_attachers(&ps, 5, &a), 2);
	ck_assert_int_eq(a[0].pid, 100);
	ck_assert_str_eq(a[0].comm, "my (app)");
	ck_assert_int_eq(a[1].pid, 300);
	ck_assert_str_eq(a[1].comm, "other");
	ck_assert_uint_eq(procscan_attachers(&ps, 32768, &a), 1);
	ck_assert_int_eq(a[0].pid, 100);
	ck_assert_uint_eq(procscan_attachers(&ps, 6, &a), 0);
	ck_assert_ptr_null(a);
	procscan_release(&ps);
}
END_TEST

START_TEST(effects_without_live_kernel)
{
	struct orphan_effects fx;
	struct procscan ps;
	pid_t pids[2];

	procscan_init(&ps, root, false, 0);
	procscan_effects(&ps, false, &fx);
	ck_assert_ptr_null(fx.shm_attachers);
	/* a fixture tree has no semaphores to ask */
	ck_assert_int_eq(fx.sem_pids(fx.ctx, 0, 2, pids), -1);
	procscan_release(&ps);
}
END_TEST

START_TEST(maps_lines)
{
	uint64_t dev = 1, ino = 1;

	ck_assert_int_eq(procscan_parse_maps_line("7f00-7f10 rw-s 00000000 "
	    "00:2f 12345                      /dev/shm/x", &dev, &ino), 0);
	ck_assert_uint_eq(dev, makedev(0, 0x2f));
	ck_assert_uint_eq(ino, 12345);
	/* minors above 255 print with more digits */
	ck_assert_int_eq(procscan_parse_maps_line("1-2 r--s 0 103:1a3 7 "
	    "/a b (deleted)", &dev, &ino), 0);
	ck_assert_uint_eq(dev, makedev(0x103, 0x1a3));
	ck_assert_uint_eq(ino, 7);
	/* no path at all */
	ck_assert_int_eq(procscan_parse_maps_line("1-2 r--s 0 00:05 9",
	    &dev, &ino), 0);
	ck_assert_uint_eq(ino, 9);
	dev = ino = 42;
	/* anonymous, short, garbage, overlong numbers: nothing */
	ck_assert_int_eq(procscan_parse_maps_line("1-2 rw-p 0 00:00 0",
	    &dev, &ino), -1);
	ck_assert_int_eq(procscan_parse_maps_line("", &dev, &ino), -1);
	ck_assert_int_eq(procscan_parse_maps_line("1-2 rw-p 0", &dev, &ino),
	    -1);
	ck_assert_int_eq(procscan_parse_maps_line("1-2 rw-p 0 zz:00 5",
	    &dev, &ino), -1);
	ck_assert_int_eq(procscan_parse_maps_line("1-2 rw-p 0 -1:00 5",
	    &dev, &ino), -1);
	ck_assert_int_eq(procscan_parse_maps_line("1-2 rw-p 0 fffffffff:0 5",
	    &dev, &ino), -1);
	ck_assert_int_eq(procscan_parse_maps_line("1-2\n rw-p 0 00:01 5",
	    &dev, &ino), -1);
	ck_assert_uint_eq(dev, 42);
	ck_assert_uint_eq(ino, 42);
}
END_TEST

/* Holders by maps (device and inode) and by fd links, once each. */
START_TEST(file_holders)
{
	struct procscan_file files[2];
	struct procscan_holds h;
	char target[256], link[256];
	struct stat st;

	put("/shm/obj", "x");
	snprintf(target, sizeof(target), "%s/shm/obj", root);
	ck_assert_int_eq(stat(target, &st), 0);
	snprintf(link, sizeof(link), "%s/proc/300/fd", root);
	ck_assert_int_eq(mkdir(link, 0700), 0);
	snprintf(link, sizeof(link), "%s/proc/300/fd/4", root);
	ck_assert_int_eq(symlink(target, link), 0);
	put("/proc/400/comm", "mapper\n");
	put("/proc/400/maps", "1-2 rw-s 0 00:2f 77 /dev/shm/a\n"
	    "2-3 rw-s 0 00:2f 77 /dev/shm/a\n3-4 rw-s 0 00:30 77 /b\n");
	files[0] = (struct procscan_file){ makedev(0, 0x2f), 77, 10 };
	files[1] = (struct procscan_file){ (uint64_t)st.st_dev,
	    (uint64_t)st.st_ino, 11 };
	if (files[1].dev < files[0].dev || (files[1].dev == files[0].dev &&
	    files[1].ino < files[0].ino)) {
		struct procscan_file x = files[0];

		files[0] = files[1];
		files[1] = x;
	}
	ck_assert_int_eq(procscan_file_holders(root, root, 0, files, 2, &h), 0);
	ck_assert_uint_eq(h.n, 2);
	for (size_t i = 0; i < h.n; i++) {
		if (h.v[i].pid == 400) {
			ck_assert_uint_eq(h.v[i].tag, 10);
			ck_assert_uint_eq(h.v[i].how, POSIX_HOLD_MAP);
			ck_assert_str_eq(h.v[i].comm, "mapper");
		} else {
			ck_assert_int_eq(h.v[i].pid, 300);
			ck_assert_uint_eq(h.v[i].tag, 11);
			ck_assert_uint_eq(h.v[i].how, POSIX_HOLD_FD);
			ck_assert_str_eq(h.v[i].comm, "other");
		}
	}
	procscan_holds_release(&h);
	/* the caller itself is left out */
	ck_assert_int_eq(procscan_file_holders(root, root, 400, files, 2, &h),
	    0);
	ck_assert_uint_eq(h.n, 1);
	procscan_holds_release(&h);
}
END_TEST

static char moved_link[256], mapped_line[256];

static void
map_then_close(void)
{
	put("/proc/500/maps", mapped_line);
	ck_assert_int_eq(unlink(moved_link), 0);
}

/*
 * A process holds the file open, maps it and closes the descriptor while
 * the scan reads it: it holds the file throughout, so the scan must see
 * it one way or the other (descriptors read before mappings: a
 * descriptor closed before they are read was mapped before that).
 */
START_TEST(file_holder_moves_fd_to_map)
{
	struct procscan_file f = { 0, 0, 12 };
	struct procscan_holds h;
	char target[256], dir[256];
	struct stat st;

	put("/shm/m", "x");
	put("/proc/500/maps", "");
	put("/proc/500/comm", "mover\n");
	snprintf(target, sizeof(target), "%s/shm/m", root);
	snprintf(dir, sizeof(dir), "%s/proc/500/fd", root);
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	snprintf(moved_link, sizeof(moved_link), "%s/proc/500/fd/3", root);
	ck_assert_int_eq(symlink(target, moved_link), 0);
	ck_assert_int_eq(stat(target, &st), 0);
	f.dev = (uint64_t)st.st_dev;
	f.ino = (uint64_t)st.st_ino;
	/* the mapping names the file's device and inode */
	snprintf(mapped_line, sizeof(mapped_line), "1-2 rw-s 0 %02x:%02x %llu "
	    "/m\n", major(st.st_dev), minor(st.st_dev),
	    (unsigned long long)st.st_ino);
	fd_moment = "/proc/500/fd";
	fd_moment_fn = map_then_close;
	ck_assert_int_eq(procscan_file_holders(root, root, 0, &f, 1, &h), 0);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_int_eq(h.v[0].pid, 500);
	procscan_holds_release(&h);
}
END_TEST

/* Link ROOT/REL to the file ROOT/TARGET, as /proc/PID/fd/N links. */
static void
fd_link(const char *rel, const char *target)
{
	char t[256], l[256], dir[256];

	snprintf(t, sizeof(t), "%s%s", root, target);
	snprintf(l, sizeof(l), "%s%s", root, rel);
	snprintf(dir, sizeof(dir), "%s", l);
	*strrchr(dir, '/') = '\0';
	for (char *p = dir + strlen(root) + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			mkdir(dir, 0700);
			*p = '/';
		}
	mkdir(dir, 0700);
	ck_assert_int_eq(symlink(t, l), 0);
}

/*
 * A thread with its own descriptor table: the leader's fd does not show
 * the file, the thread's task/TID/fd does (a fixture tree has no kcmp,
 * so every thread's table is read); a process whose leader ended has
 * empty maps and fd while a thread maps the file.
 */
START_TEST(file_holders_threads)
{
	struct procscan_file f = { 0, 0, 13 };
	struct procscan_holds h;
	char target[256], line[256];
	struct stat st;

	put("/shm/t", "x");
	snprintf(target, sizeof(target), "%s/shm/t", root);
	ck_assert_int_eq(stat(target, &st), 0);
	f.dev = (uint64_t)st.st_dev;
	f.ino = (uint64_t)st.st_ino;
	put("/proc/600/comm", "threaded\n");
	put("/proc/600/maps", "1-2 r-xp 0 08:01 9 /bin/x\n");
	fd_link("/proc/600/fd/0", "/proc/600/comm");
	put("/proc/600/task/600/comm", "threaded\n");
	fd_link("/proc/600/task/601/fd/7", "/shm/t");
	ck_assert_int_eq(procscan_file_holders(root, root, 0, &f, 1, &h), 0);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_int_eq(h.v[0].pid, 600);
	ck_assert_uint_eq(h.v[0].how, POSIX_HOLD_FD);
	ck_assert_str_eq(h.v[0].comm, "threaded");
	procscan_holds_release(&h);
	/* the zombie leader of 700: empty maps, a thread's show the file */
	put("/shm/z", "x");
	snprintf(target, sizeof(target), "%s/shm/z", root);
	ck_assert_int_eq(stat(target, &st), 0);
	f.dev = (uint64_t)st.st_dev;
	f.ino = (uint64_t)st.st_ino;
	snprintf(line, sizeof(line), "1-2 rw-s 0 %02x:%02x %llu /t\n",
	    major(st.st_dev), minor(st.st_dev),
	    (unsigned long long)st.st_ino);
	put("/proc/700/maps", "");
	put("/proc/700/comm", "zleader\n");
	put("/proc/700/task/700/maps", "");
	put("/proc/700/task/702/maps", line);
	ck_assert_int_eq(procscan_file_holders(root, root, 0, &f, 1, &h), 0);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_int_eq(h.v[0].pid, 700);
	ck_assert_uint_eq(h.v[0].how, POSIX_HOLD_MAP);
	procscan_holds_release(&h);
	/* a leader with a map of its own: its threads' maps are not read */
	put("/proc/700/maps", "1-2 r-xp 0 08:01 9 /bin/x\n");
	ck_assert_int_eq(procscan_file_holders(root, root, 0, &f, 1, &h), 0);
	ck_assert_uint_eq(h.n, 0);
	procscan_holds_release(&h);
}
END_TEST

/* The text of backing_file: an absolute path and a newline only. */
START_TEST(backing_file_text)
{
	char ok[] = "/dev/shm/a b\nc\n", del[] = "/x (deleted)\n";
	char rel[] = "dev/shm/a\n", nonl[] = "/dev/shm/a", nul[] = "/a\0b\n";
	char empty[] = "", bare[] = "\n";

	ck_assert_int_eq(procscan_parse_backing_file(ok, strlen(ok)), 0);
	ck_assert_str_eq(ok, "/dev/shm/a b\nc");
	ck_assert_int_eq(procscan_parse_backing_file(del, strlen(del)), 0);
	ck_assert_str_eq(del, "/x (deleted)");
	ck_assert_int_eq(procscan_parse_backing_file(rel, strlen(rel)), -1);
	ck_assert_int_eq(procscan_parse_backing_file(nonl, strlen(nonl)), -1);
	ck_assert_int_eq(procscan_parse_backing_file(nul, sizeof(nul) - 1),
	    -1);
	ck_assert_int_eq(procscan_parse_backing_file(empty, 0), -1);
	ck_assert_int_eq(procscan_parse_backing_file(bare, 1), -1);
}
END_TEST

/* loop_info64's lo_device (new_encode_dev()) back to an st_dev. */
START_TEST(loop_dev_encoding)
{
	/* tmpfs 0:44; a major above 255 and a minor above 255 */
	ck_assert_uint_eq(procscan_loop_dev(44), makedev(0, 44));
	ck_assert_uint_eq(procscan_loop_dev(0x0803), makedev(8, 3));
	ck_assert_uint_eq(procscan_loop_dev((300 & 0xff) | (259 << 8) |
	    ((uint64_t)(300 & ~0xff) << 12)), makedev(259, 300));
	ck_assert_uint_eq(procscan_loop_dev(0xfffffu), makedev(0xfff, 0xff));
}
END_TEST

/* The dev and inode of ROOT/REL into F. */
static void
file_id(const char *rel, struct procscan_file *f)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	ck_assert_int_eq(stat(path, &st), 0);
	f->dev = (uint64_t)st.st_dev;
	f->ino = (uint64_t)st.st_ino;
}

/*
 * A file that backs a loop device is held by no process: loopN names it
 * in /sys/block/loopN/loop/backing_file, a path under the fixture's root
 * or under the root of the files' mount namespace; an unlinked backing
 * file (" (deleted)"), an unbound device and a path to another file are
 * no holders.
 */
START_TEST(file_holders_loop)
{
	struct procscan_file f[2];
	struct procscan_holds h;
	char ns[256];

	put("/dev/shm/lf", "x");
	put("/ns/dev/shm/other", "x");
	put("/dev/shm/other", "x");
	file_id("/dev/shm/lf", &f[0]);
	f[0].tag = 20;
	file_id("/ns/dev/shm/other", &f[1]);
	f[1].tag = 21;
	if (f[1].dev < f[0].dev || (f[1].dev == f[0].dev &&
	    f[1].ino < f[0].ino)) {
		struct procscan_file x = f[0];

		f[0] = f[1];
		f[1] = x;
	}
	put("/proc/1/comm", "init\n");
	put("/sys/block/loop3/loop/backing_file", "/dev/shm/lf\n");
	put("/sys/block/loop4/loop/backing_file", "/dev/shm/lf (deleted)\n");
	put("/sys/block/loop5/dev", "7:5\n");
	put("/sys/block/loop6/loop/backing_file", "dev/shm/lf\n");
	put("/sys/block/vda/loop/backing_file", "/dev/shm/lf\n");
	ck_assert_int_eq(procscan_file_holders(root, root, 0, f, 2, &h), 0);
	ck_assert_uint_eq(h.n, 1);
	ck_assert_int_eq(h.v[0].pid, 0);
	ck_assert_uint_eq(h.v[0].tag, 20);
	ck_assert_uint_eq(h.v[0].how, POSIX_HOLD_LOOP);
	ck_assert_str_eq(h.v[0].comm, "loop3");
	ck_assert_uint_eq(h.partial, 0);
	procscan_holds_release(&h);
	/* the path of another mount namespace's file, under its root */
	put("/sys/block/loop7/loop/backing_file", "/dev/shm/other\n");
	snprintf(ns, sizeof(ns), "%s/ns", root);
	ck_assert_int_eq(procscan_file_holders(root, ns, 0, f, 2, &h), 0);
	ck_assert_uint_eq(h.n, 2);
	for (size_t i = 0; i < h.n; i++) {
		ck_assert_int_eq(h.v[i].pid, 0);
		ck_assert_uint_eq(h.v[i].how, POSIX_HOLD_LOOP);
		ck_assert_str_eq(h.v[i].comm, h.v[i].tag == 20 ? "loop3" :
		    "loop7");
	}
	procscan_holds_release(&h);
	/* under the fixture's root alone it names the other file */
	ck_assert_int_eq(procscan_file_holders(root, root, 0, f, 2, &h), 0);
	ck_assert_uint_eq(h.n, 1);
	procscan_holds_release(&h);
}
END_TEST

/*
 * The fixed files of an io_uring's fdinfo: paths with \ooo escapes
 * (6.x), names alone and <none> (older kernels), a table not listed (the
 * ring's lock was taken), no UserFiles line, hostile counts.
 */
START_TEST(uring_fdinfo)
{
	char new6[] = "pos:\t0\nSqThread:\t-1\nUserFiles:\t3\n"
	    "    0: /dev/shm/a\\040b\\012c\\134\n"
	    "    2: /dev/shm/z\\\nUserBufs:\t0\nPollList:\n";
	char old5[] = "x:\t1\nUserFiles:\t2\n    0: img\n    1: <none>\n"
	    "UserBufs:\t0\n";
	char locked[] = "a:\t1\nUserFiles:\t5\nUserBufs:\t0\n";
	char none[] = "pos:\t0\nflags:\t02\n";
	char big[] = "a:\t1\nUserFiles:\t99999999999\n";
	char bad[] = "a:\t1\nUserFiles:\t-1\n    0: /x\n";
	uint64_t n;
	char **p;

	ck_assert_int_eq(procscan_parse_uring(new6, &n, &p), 2);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(p[0], "/dev/shm/a b\nc\\");
	ck_assert_str_eq(p[1], "/dev/shm/z\\");
	free(p);
	ck_assert_int_eq(procscan_parse_uring(old5, &n, &p), 2);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(p[0], "img");
	ck_assert_str_eq(p[1], "<none>");
	free(p);
	ck_assert_int_eq(procscan_parse_uring(locked, &n, &p), 0);
	ck_assert_uint_eq(n, 5);
	free(p);
	ck_assert_int_eq(procscan_parse_uring(none, &n, &p), -1);
	ck_assert_int_eq(procscan_parse_uring(big, &n, &p), -1);
	ck_assert_int_eq(procscan_parse_uring(bad, &n, &p), -1);
}
END_TEST

static Suite *
procscan_suite(void)
{
	Suite *s = suite_create("procscan");
	TCase *tc = tcase_create("tree");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, start_times);
	tcase_add_test(tc, attachers);
	tcase_add_test(tc, effects_without_live_kernel);
	tcase_add_test(tc, maps_lines);
	tcase_add_test(tc, file_holders);
	tcase_add_test(tc, file_holder_moves_fd_to_map);
	tcase_add_test(tc, file_holders_threads);
	tcase_add_test(tc, backing_file_text);
	tcase_add_test(tc, loop_dev_encoding);
	tcase_add_test(tc, file_holders_loop);
	tcase_add_test(tc, uring_fdinfo);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(procscan_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
