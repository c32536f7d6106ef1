/*
 * idname.h: the names of user and group IDs, looked up through NSS
 * (getpwuid, getgrgid) once per ID and kept for the run.  A source: it
 * reads the system and decides nothing.  Views never call it; a command
 * resolves names before rendering, or hands these to a view as its
 * resolver (struct render_opts).
 */
#ifndef IDNAME_H
#define IDNAME_H

#include <sys/types.h>

/* The user name of UID, or the number as text; valid for the run. */
const char *idname_user(uid_t uid);
/* The group name of GID, or the number as text; valid for the run. */
const char *idname_group(gid_t gid);

#endif
