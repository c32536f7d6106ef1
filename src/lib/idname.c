/*
 * idname.c: user and group names through NSS, cached per ID so that a
 * list of thousands of objects asks NSS once per owner.  Reads the user
 * and group databases only; never prints.  An ID without a name is
 * given as its number, and a name that is a number is taken as the ID.
 */
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "idname.h"
#include "numparse.h"
#include "xmalloc.h"

struct name_cache {
	unsigned id;
	char *name;
};

static const char *
cached_name(struct name_cache **cachep, size_t *np, unsigned id, bool user)
{
	struct name_cache *c = *cachep;
	char buf[32];
	const char *name = NULL;

	for (size_t i = 0; i < *np; i++)
		if (c[i].id == id)
			return c[i].name;
	if (user) {
		struct passwd *pw = getpwuid((uid_t)id);

		if (pw != NULL)
			name = pw->pw_name;
	} else {
		struct group *gr = getgrgid((gid_t)id);

		if (gr != NULL)
			name = gr->gr_name;
	}
	if (name == NULL) {
		snprintf(buf, sizeof(buf), "%u", id);
		name = buf;
	}
	c = xreallocarray(c, *np + 1, sizeof(*c));
	c[*np].id = id;
	c[*np].name = xstrdup(name);
	*cachep = c;
	return c[(*np)++].name;
}

const char *
idname_user(uid_t uid)
{
	static struct name_cache *cache;
	static size_t n;

	return cached_name(&cache, &n, (unsigned)uid, true);
}

const char *
idname_group(gid_t gid)
{
	static struct name_cache *cache;
	static size_t n;

	return cached_name(&cache, &n, (unsigned)gid, false);
}

int
idname_parse_user(const char *arg, uid_t *uid)
{
	struct passwd *pw = getpwnam(arg);
	uint64_t v;

	if (pw != NULL)
		*uid = pw->pw_uid;
	else if (num_parse_u64(arg, 0, 0xfffffffeu, &v) == 0)
		*uid = (uid_t)v;
	else
		return -1;
	return 0;
}

int
idname_parse_group(const char *arg, gid_t *gid)
{
	struct group *gr = getgrnam(arg);
	uint64_t v;

	if (gr != NULL)
		*gid = gr->gr_gid;
	else if (num_parse_u64(arg, 0, 0xfffffffeu, &v) == 0)
		*gid = (gid_t)v;
	else
		return -1;
	return 0;
}
