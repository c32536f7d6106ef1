/*
 * ctrnames.c: container names from the runtimes' own state on disk:
 * podman's <root>/overlay-containers/containers.json (vfs-containers
 * with the vfs driver), an array of {"id", "names"}, and docker's
 * /var/lib/docker/containers/<id>/config.v2.json, whose "Name" is
 * "/NAME".  It only reads, through infile.c, and skips what it cannot.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cgpattern.h"
#include "ctrnames.h"
#include "infile.h"
#include "xmalloc.h"

#define CTRNAMES_MAXLEN (64u << 20)

static void
add(struct ctrnames *c, const char *id, const char *name)
{
	if (!cgpattern_is_hex64(id, strlen(id)) || name[0] == '\0')
		return;
	xgrow(&c->v, c->n, &c->cap, sizeof(*c->v));
	c->v[c->n].id = xstrdup(id);
	c->v[c->n].name = xstrdup(name);
	c->n++;
}

static json_t *
load(const char *path)
{
	char *buf;
	size_t len;
	json_t *doc;

	if (infile_read(path, 0, CTRNAMES_MAXLEN, &buf, &len, NULL, 0) < 0)
		return NULL;
	doc = json_loadb(buf, len, 0, NULL);
	free(buf);
	return doc;
}

/* podman: the containers.json of the storage root ROOT (LEN bytes). */
static void
read_podman(struct ctrnames *c, const char *root, size_t len)
{
	static const char *const drivers[] = { "overlay", "vfs" };

	for (size_t d = 0; d < 2; d++) {
		char path[4096];
		json_t *doc, *e;
		size_t i;

		snprintf(path, sizeof(path), "%.*s/%s-containers/"
		    "containers.json", (int)len, root, drivers[d]);
		if ((doc = load(path)) == NULL)
			continue;
		json_array_foreach(doc, i, e) {
			const char *id = json_string_value(json_object_get(e,
			    "id"));
			json_t *names = json_object_get(e, "names");
			const char *name = json_string_value(
			    json_array_get(names, 0));

			if (id != NULL && name != NULL)
				add(c, id, name);
		}
		json_decref(doc);
	}
}

/* docker: each container directory's config.v2.json. */
static void
read_docker(struct ctrnames *c, const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char path[4096];
		const char *name;
		json_t *doc;

		if (!cgpattern_is_hex64(de->d_name, strlen(de->d_name)))
			continue;
		snprintf(path, sizeof(path), "%s/%s/config.v2.json", dir,
		    de->d_name);
		if ((doc = load(path)) == NULL)
			continue;
		name = json_string_value(json_object_get(doc, "Name"));
		if (name != NULL)
			add(c, de->d_name, name[0] == '/' ? name + 1 : name);
		json_decref(doc);
	}
	closedir(d);
}

void
ctrnames_read(struct ctrnames *c, const char *roots)
{
	const char *p = roots != NULL ? roots :
	    "/var/lib/containers/storage";

	memset(c, 0, sizeof(*c));
	while (*p != '\0') {
		size_t len = strcspn(p, ":");

		if (len > 0)
			read_podman(c, p, len);
		p += len;
		if (*p == ':')
			p++;
	}
	read_docker(c, "/var/lib/docker/containers");
}

void
ctrnames_release(struct ctrnames *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].id);
		free(c->v[i].name);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}
