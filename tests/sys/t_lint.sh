#!/bin/sh
# Static checks on src/: cppcheck with a fixed check set, no
# shell or program execution from C (system, popen, exec*, /bin/sh), no
# change of credentials, and every file the program creates is opened
# with O_NOFOLLOW (or O_EXCL) and an explicit mode, never with fopen.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

if command -v cppcheck >/dev/null 2>&1; then
	# the BPF program's SEC() and map macros come from libbpf's headers,
	# which cppcheck does not read
	inc=
	for d in src/*/; do inc="$inc -I$d"; done
	# warning, portability and performance: real defects; the 'style'
	# set mostly asks for C99 declarations KNF does not use
	check "cppcheck is clean on src/" \
	    cppcheck --enable=warning,portability,performance --std=c11 \
	    --inline-suppr --error-exitcode=1 -q $inc \
	    --suppress=missingIncludeSystem -D__GNUC__ \
	    --suppress='unknownMacro:src/bpf/*.bpf.c' src
else
	fail "cppcheck is not installed (scripts/deps.sh installs it)"
fi

# forbidden calls: strip comments and strings first, so a comment saying
# "no system()" does not trip the check
strip() {
	sed -e 's://.*$::' "$1" | awk -v fn="$1" '
	{ line = $0
	  out = ""
	  while (length(line) > 0) {
		if (incomment) {
			i = index(line, "*/")
			if (i == 0) { line = ""; break }
			line = substr(line, i + 2); incomment = 0
		} else {
			i = index(line, "/*")
			if (i == 0) { out = out line; line = ""; break }
			out = out substr(line, 1, i - 1)
			line = substr(line, i + 2); incomment = 1
		}
	  }
	  gsub(/"([^"\\]|\\.)*"/, "\"\"", out)
	  print fn ":" NR ": " out }'
}
: >"$TMPD/stripped"
for f in src/*/*.c src/*/*.h; do
	strip "$f" >>"$TMPD/stripped"
done
bad=$(grep -E '(^|[^a-z_])(system|popen|execl|execlp|execle|execv|execvp|execve|execvpe|fexecve|posix_spawn|posix_spawnp|wordexp)[[:space:]]*\(' \
    "$TMPD/stripped")
expect_eq "no system(), popen(), exec*() or posix_spawn() in src/" "" "$bad"
bad=$(grep -n -E '/bin/(ba|da|)sh|"sh"' src/*/*.c src/*/*.h)
expect_eq "no shell path in src/" "" "$bad"
bad=$(grep -E '(^|[^a-z_])(setuid|setgid|seteuid|setegid|setreuid|setregid|setresuid|setresgid|setgroups|capset|initgroups)[[:space:]]*\(' \
    "$TMPD/stripped")
expect_eq "no credential changes in src/ (namespaces only)" "" "$bad"
bad=$(grep -E '(^|[^a-z_])(gets|strcpy|strcat|sprintf|vsprintf|atoi|atol|atoll|tmpnam|mktemp)[[:space:]]*\(' \
    "$TMPD/stripped")
expect_eq "no gets/strcpy/strcat/sprintf/atoi/mktemp in src/" "" "$bad"

# files are created with O_NOFOLLOW or O_EXCL and an explicit mode:
# join each open/openat call up to its ';' and inspect it
awk '
/(^|[^a-z_])(open|openat|open64)[ \t]*\(/ { stmt = ""; collecting = 1;
	start = FILENAME ":" FNR }
collecting { stmt = stmt " " $0
	if (index($0, ";")) {
		collecting = 0
		if (stmt ~ /O_CREAT|O_TMPFILE/ &&
		    (stmt !~ /O_NOFOLLOW|O_EXCL|O_TMPFILE/ ||
		    stmt !~ /0[0-7][0-7][0-7]|S_I[RW]|[ (,]mode\)/))
			print start ": " stmt
	} }' src/*/*.c >"$TMPD/opens"
expect_eq "every O_CREAT open has O_NOFOLLOW/O_EXCL and a mode" "" \
    "$(cat "$TMPD/opens")"
bad=$(grep -E 'fopen[[:space:]]*\([^;]*"[wa]' "$TMPD/stripped";
    grep -nE '(^|[^a-z_])(creat|fopen)[[:space:]]*\([^)]*,[[:space:]]*"[wax+]' \
    src/*/*.c)
expect_eq "no fopen() for writing, no creat() in src/" "" "$bad"
bad=$(grep -nE '(^|[^a-z_])(chmod|chown|lchown)[[:space:]]*\(' src/*/*.c)
expect_eq "no path-based chmod/chown (use the fd: fchmod/fchown)" "" "$bad"
finish
