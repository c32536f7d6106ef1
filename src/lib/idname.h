/*
 * idname.h: the names of user and group IDs, looked up through NSS
 * (getpwuid, getgrgid) once per ID and kept for the run, and the IDs of
 * names given on the command line.  A source: it
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

/*
 * USER as a user name (getpwnam), else a number from 0 to 2^32 - 2
 * ((uid_t)-1 is no user), into *UID; 0, or -1 if it is neither.
 */
int idname_parse_user(const char *arg, uid_t *uid);
/* GROUP as a group name (getgrnam), else a number, as above. */
int idname_parse_group(const char *arg, gid_t *gid);

#endif
