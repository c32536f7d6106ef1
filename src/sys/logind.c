/*
 * logind.c: finds out whether systemd-logind removes a user's IPC objects
 * when the user's last session ends (RemoveIPC=, default yes) and where
 * system uids end (SYS_UID_MAX).  The parsers are pure; logind_load()
 * reads the files the way systemd orders them and nothing else.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "infile.h"
#include "logind.h"
#include "numparse.h"
#include "xmalloc.h"

int
logind_parse_bool(const char *s, bool *val)
{
	static const char *const yes[] = { "1", "yes", "y", "true", "t",
	    "on" };
	static const char *const no[] = { "0", "no", "n", "false", "f",
	    "off" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*val = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*val = false;
			return 0;
		}
	}
	return -1;
}

/* Trim LINE in place; returns the first non-blank character. */
static char *
trim(char *line)
{
	size_t n;

	while (isspace((unsigned char)*line))
		line++;
	n = strlen(line);
	while (n > 0 && isspace((unsigned char)line[n - 1]))
		line[--n] = '\0';
	return line;
}

int
logind_parse_removeipc(const char *text, bool *val)
{
	char *copy = xstrdup(text), *save = NULL, *line;
	bool in_login = false;
	int found = 0;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *l = trim(line), *eq;
		bool v;

		if (*l == '#' || *l == ';' || *l == '\0')
			continue;
		if (*l == '[') {
			in_login = strcmp(l, "[Login]") == 0;
			continue;
		}
		eq = strchr(l, '=');
		if (!in_login || eq == NULL)
			continue;
		*eq = '\0';
		if (strcmp(trim(l), "RemoveIPC") != 0)
			continue;
		/* an empty or invalid value leaves the earlier one (logged) */
		if (logind_parse_bool(trim(eq + 1), &v) == 0) {
			*val = v;
			found = 1;
		}
	}
	free(copy);
	return found;
}

int
logind_parse_sys_uid_max(const char *text, uid_t *out)
{
	char *copy = xstrdup(text), *save = NULL, *line;
	int r = -1;

	for (line = strtok_r(copy, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		char *l = trim(line), *v;
		uint64_t n;

		if (strncmp(l, "SYS_UID_MAX", 11) != 0 ||
		    !isspace((unsigned char)l[11]))
			continue;
		v = trim(l + 11);
		if (num_parse_u64(v, 0, 0xfffffffeu, &n) == 0) {
			*out = (uid_t)n;
			r = 0;
		}
	}
	free(copy);
	return r;
}

static const char *const conf_dirs[] = {
	"/etc/systemd", "/run/systemd", "/usr/local/lib/systemd",
	"/usr/lib/systemd",
};
#define NDIRS (sizeof(conf_dirs) / sizeof(conf_dirs[0]))

/* Read PATH as infile_read() FLAGS say; NULL if it cannot be read. */
static char *
read_conf(const char *path, unsigned flags, struct logind_conf *c)
{
	char *buf, why[128];
	size_t len;

	if (infile_read(path, flags, 1 << 20, &buf, &len, why,
	    sizeof(why)) < 0) {
		if (errno != ENOENT && c->unreadable[0] == '\0')
			snprintf(c->unreadable, sizeof(c->unreadable),
			    "cannot read '%s': %s", path, why);
		return NULL;
	}
	return buf;
}

static void
apply_file(const char *path, const char *shown, struct logind_conf *c)
{
	/* systemd: a drop-in that is /dev/null masks (null_or_empty()) */
	char *buf = read_conf(path, INFILE_DEVMASK, c);

	if (buf == NULL)
		return;
	if (logind_parse_removeipc(buf, &c->removeipc) == 1)
		snprintf(c->source, sizeof(c->source), "%s", shown);
	free(buf);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
logind_load(const char *root, struct logind_conf *c)
{
	char path[1024], *buf, **names = NULL;
	size_t n = 0, cap = 0;
	const char *r = root != NULL ? root : "";
	struct stat st;

	memset(c, 0, sizeof(c[0]));
	c->sys_uid_max = 999;
	snprintf(path, sizeof(path), "%s/etc/login.defs", r);
	if ((buf = read_conf(path, 0, c)) != NULL) {
		logind_parse_sys_uid_max(buf, &c->sys_uid_max);
		free(buf);
	}
	snprintf(path, sizeof(path), "%s/run/systemd/system", r);
	c->systemd = stat(path, &st) == 0 && S_ISDIR(st.st_mode);
	/* logind's compiled-in default is RemoveIPC=yes */
	c->removeipc = c->systemd;
	snprintf(c->source, sizeof(c->source), "default");
	if (!c->systemd)
		return;
	/* the main file: the first of the directories that has one */
	for (size_t i = 0; i < NDIRS; i++) {
		snprintf(path, sizeof(path), "%s%s/logind.conf", r,
		    conf_dirs[i]);
		if (stat(path, &st) == 0) {
			apply_file(path, path + strlen(r), c);
			break;
		}
	}
	/* drop-ins: unique by name, the earlier directory wins, by name */
	for (size_t i = 0; i < NDIRS; i++) {
		struct dirent *de;
		DIR *d;

		snprintf(path, sizeof(path), "%s%s/logind.conf.d", r,
		    conf_dirs[i]);
		d = opendir(path);
		if (d == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);
			bool dup = false;

			if (l < 6 || strcmp(de->d_name + l - 5, ".conf") != 0)
				continue;
			for (size_t j = 0; j < n; j++)
				if (strncmp(names[j], de->d_name, l) == 0 &&
				    names[j][l] == '\n')
					dup = true;
			if (dup)
				continue;
			xgrow(&names, n, &cap, sizeof(*names));
			/* "name\ndir" sorts by name; the dir rides along */
			names[n++] = xasprintf("%s\n%s", de->d_name,
			    conf_dirs[i]);
		}
		closedir(d);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t j = 0; j < n; j++) {
		char *nl = strchr(names[j], '\n');

		*nl = '\0';
		snprintf(path, sizeof(path), "%s%s/logind.conf.d/%s", r,
		    nl + 1, names[j]);
		apply_file(path, path + strlen(r), c);
		free(names[j]);
	}
	free(names);
}
