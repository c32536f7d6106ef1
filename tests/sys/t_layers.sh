#!/bin/sh
# The source folders are the layers of the program, and each may include
# only the headers of the layers below it (HACKING.md).  The table of
# allowed dependencies is here, in one place; a new folder, or a file
# outside the known folders, fails the test until the table says where
# it belongs.  The checker is also run on a small tree with one
# forbidden include, which it must reject.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 1

# LAYER: the layers its files may include (besides its own)
LAYERS='lib:
model: lib
analysis: model lib
bpf:
sys: bpf model lib
store: model lib
output: analysis model lib
ops: analysis sys store model lib
cli: ops output analysis sys store model lib
cmd: cli ops output analysis sys store model lib'

# layer_check ROOT: print every include under ROOT/src that crosses the
# table; exit 1 if there is one
layer_check() {
	root=$1
	find "$root/src" -name '*.[ch]' | sort >"$TMPD/files"
	# header name -> its folder
	sed -n 's:.*/src/\([^/]*\)/\([^/]*\.h\)$:\2 \1:p' "$TMPD/files" \
	    >"$TMPD/headers"
	printf '%s\n' "$LAYERS" | awk -v hdrs="$TMPD/headers" \
	    -v files="$TMPD/files" '
	BEGIN {
		while ((getline l < hdrs) > 0) { split(l, a, " "); where[a[1]] = a[2] }
	}
	{	name = $1; sub(/:$/, "", name); known[name] = 1
		for (i = 2; i <= NF; i++) allow[name, $i] = 1 }
	END {
		bad = 0
		while ((getline f < files) > 0) {
			n = split(f, p, "/"); layer = p[n - 1]
			if (!(layer in known)) {
				print f ": folder \"" layer "\" is not in the layer table"
				bad = 1; continue
			}
			ln = 0
			while ((getline line < f) > 0) {
				ln++
				if (line !~ /^#[ \t]*include[ \t]*"/) continue
				h = line; sub(/^#[ \t]*include[ \t]*"/, "", h); sub(/".*/, "", h)
				if (!(h in where)) {
					print f ":" ln ": \"" h "\" is not a header of src/"
					bad = 1; continue
				}
				to = where[h]
				if (to != layer && !((layer, to) in allow)) {
					print f ":" ln ": " layer " may not include " to " (\"" h "\")"
					bad = 1
				}
			}
			close(f)
		}
		exit bad
	}'
}

if layer_check "$TOP" >"$TMPD/report" 2>&1; then
	ok "every include in src/ follows the layer table"
else
	fail "includes that cross the layer table:"
	sed 's/^/    /' "$TMPD/report"
fi

# the checker itself: a forbidden include (lib reaching up into cmd) and
# an allowed one (cmd into lib)
mk() { mkdir -p "$TMPD/t/src/$1"; printf '%s\n' "$3" >"$TMPD/t/src/$1/$2"; }
mk lib a.h '/* a */'
mk lib a.c '#include "a.h"'
mk cmd cmd_x.h '/* x */'
mk cmd cmd_x.c '#include "a.h"
#include "cmd_x.h"'
if layer_check "$TMPD/t" >"$TMPD/r1" 2>&1; then
	ok "the checker accepts a tree whose includes point down"
else
	fail "the checker rejects an allowed tree: $(cat "$TMPD/r1")"
fi
mk lib b.c '#include "cmd_x.h"'
if layer_check "$TMPD/t" >"$TMPD/r2" 2>&1; then
	fail "the checker accepts lib including cmd"
elif grep -q 'src/lib/b.c:1: lib may not include cmd ("cmd_x.h")' "$TMPD/r2"
then
	ok "the checker rejects lib including cmd, naming the file and line"
else
	fail "the checker's report is not the expected one: $(cat "$TMPD/r2")"
fi
rm "$TMPD/t/src/lib/b.c"
mk misc c.c '/* c */'
if layer_check "$TMPD/t" >/dev/null 2>&1; then
	fail "the checker accepts a folder missing from the table"
else
	ok "the checker rejects a folder missing from the table"
fi
finish
