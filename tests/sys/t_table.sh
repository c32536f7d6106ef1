#!/bin/sh
# Table options (--bytes, -o, --no-headings, colour on a TTY only and
# never with NO_COLOR) and the exit statuses of errors: usage errors 2,
# runtime failures 1, each with a clear message.
. "$(dirname "$0")/lib.sh"
enter_private_ns
save_defaults
ESC=$(printf '\033')
# on_tty COMMAND...: run COMMAND with a pseudo-terminal as stdout
on_tty() { script -qec "$*" /dev/null </dev/null | tr -d '\r'; }

# 9 of 10 segments: the shmmni row is at 90% and gets a colour
sysctl_set shmmni 10
sysctl_set shmmax 1048576
"$HELPER" -q shm size=1048576 shm size=1 count=8 >/dev/null

# --bytes: raw numbers; without it, human units and thousands
"$IPCTUNE" status -n >"$TMPD/h"
"$IPCTUNE" status -n --bytes >"$TMPD/b"
expect_match "human units by default" '^shmmax +1MiB +1MiB ' "$TMPD/h"
expect_match "--bytes: raw numbers" '^shmmax +1048576 +1048576 ' "$TMPD/b"
expect_match "thousands separators by default" '^semmns +1,024,000,000 ' \
    "$TMPD/h"
expect_match "--bytes: no separators" '^semmns +1024000000 ' "$TMPD/b"
"$IPCTUNE" status -b -n >"$TMPD/b2"
check "-b is --bytes" cmp "$TMPD/b" "$TMPD/b2"

# -o: columns in the order asked, case-insensitive, '+' adds to defaults
"$IPCTUNE" status -o RESOURCE,USED >"$TMPD/t"
expect_match "-o: the heading has exactly the columns" '^RESOURCE +USED$' \
    "$TMPD/t"
expect_eq "-o: two fields per row" 2 \
    "$(awk '/^shmmni/ { print NF }' "$TMPD/t")"
"$IPCTUNE" status -n -o used,resource >"$TMPD/t"
expect_match "-o: lower case, in the order given" '^ *9 +shmmni$' "$TMPD/t"
"$IPCTUNE" status -o +DESCRIPTION >"$TMPD/t"
expect_match "-o +COL: the defaults and one more" \
    '^RESOURCE +LIMIT +USED +FREE +USE% +UNIT +SYSCTL +NOTE +DESCRIPTION$' \
    "$TMPD/t"
expect_status "-o with an unknown column: exit 2" 2 \
    "$IPCTUNE" status -o RESOURCE,BOGUS
expect_match "... naming it and the known ones" \
    "unknown column 'BOGUS' \(known: RESOURCE, " "$TMPD/err"
expect_status "owners -o with an unknown column: exit 2" 2 \
    "$IPCTUNE" owners -o NOPE
expect_status "-o with an empty list: exit 2" 2 "$IPCTUNE" status -o ''

# --no-headings: no namespace line and no column heading
"$IPCTUNE" status >"$TMPD/with"
"$IPCTUNE" status --no-headings >"$TMPD/without"
expect_match "headings: the namespace line" '^IPC namespace [0-9]+ on ' \
    "$TMPD/with"
expect_match "headings: the column heading" '^RESOURCE +LIMIT' "$TMPD/with"
check "--no-headings: no namespace line" \
    sh -c "! grep -q '^IPC namespace' '$TMPD/without'"
check "--no-headings: no column heading" \
    sh -c "! grep -q '^RESOURCE' '$TMPD/without'"
expect_match "--no-headings: rows stay" '^shmmni +10 +9 ' "$TMPD/without"

# colour: only on a TTY, never with NO_COLOR, always with --color=always
check "no colour when stdout is not a TTY" \
    sh -c "! grep -q '$ESC' '$TMPD/with'"
on_tty "$IPCTUNE" status >"$TMPD/tty"
expect_match "a TTY: the table is printed" "^($ESC\\[[0-9;]*m)?shmmni +10 +9 " \
    "$TMPD/tty"
check "a TTY: the 90% row is coloured" grep -q "$ESC\[" "$TMPD/tty"
on_tty env NO_COLOR=1 "$IPCTUNE" status >"$TMPD/tty"
check "a TTY with NO_COLOR: no colour" sh -c "! grep -q '$ESC' '$TMPD/tty'"
on_tty env NO_COLOR=1 "$IPCTUNE" status --color=always >"$TMPD/tty"
check "NO_COLOR wins over --color=always" \
    sh -c "! grep -q '$ESC' '$TMPD/tty'"
on_tty "$IPCTUNE" status --color=never >"$TMPD/tty"
check "a TTY with --color=never: no colour" \
    sh -c "! grep -q '$ESC' '$TMPD/tty'"
"$IPCTUNE" status --color=always >"$TMPD/t"
check "--color=always into a file: colour" grep -q "$ESC\[" "$TMPD/t"
"$IPCTUNE" status --color >"$TMPD/t"
check "--color alone means always" grep -q "$ESC\[" "$TMPD/t"
expect_status "--color=sometimes: exit 2" 2 "$IPCTUNE" status --color=sometimes
on_tty "$IPCTUNE" status --format json >"$TMPD/tty"
check "JSON on a TTY has no colour" sh -c "! grep -q '$ESC' '$TMPD/tty'"
"$IPCTUNE" >"$TMPD/t"
expect_match "no command runs status" '^RESOURCE +LIMIT +USED' "$TMPD/t"

# exit statuses and messages
expect_status "a bad option: exit 2" 2 "$IPCTUNE" status --bogus
expect_match "... named" "unknown option '--bogus'" "$TMPD/err"
expect_status "a bad short option: exit 2" 2 "$IPCTUNE" -Z
expect_match "... named" "unknown option '-Z'" "$TMPD/err"
expect_status "an option without its value: exit 2" 2 "$IPCTUNE" status -o
expect_match "... named" "option '-o' needs a value" "$TMPD/err"
expect_status "an unknown command: exit 2" 2 "$IPCTUNE" frobnicate
expect_match "... named" "unknown command 'frobnicate'" "$TMPD/err"
expect_status "a command prefix is not a command: exit 2" 2 "$IPCTUNE" stat
expect_status "an unknown format: exit 2" 2 "$IPCTUNE" status --format xml
expect_status "prometheus where not supported: exit 2" 2 \
    "$IPCTUNE" list --format prometheus
expect_status "an unknown reader: exit 2" 2 "$IPCTUNE" list --reader magic
expect_status "an operand status does not take: exit 2" 2 \
    "$IPCTUNE" status extra
check "usage errors print nothing on stdout" test ! -s "$TMPD/out"
expect_status "-h: exit 0" 0 "$IPCTUNE" status -h
expect_match "-h: the usage" '^Usage: ipctune status' "$TMPD/out"
expect_status "-V: exit 0" 0 "$IPCTUNE" -V
expect_match "-V: the version" '^ipctune [0-9]+\.[0-9]+' "$TMPD/out"
mkdir "$TMPD/empty"
for c in status list owners snapshot; do
	expect_status "$c --root of an empty dir: exit 1" 1 \
	    "$IPCTUNE" $c --root "$TMPD/empty"
	expect_match "$c --root of an empty dir: the file is named" \
	    "^ipctune: cannot read '$TMPD/empty/proc/sys/kernel/[a-z_]+': [Nn]o such file or directory" \
	    "$TMPD/err"
	check "$c --root of an empty dir: nothing on stdout" \
	    test ! -s "$TMPD/out"
done
mkdir -p "$TMPD/noread/proc/sys/kernel"
cp -r /proc/sys/kernel/shmmax "$TMPD/noread/proc/sys/kernel/" 2>/dev/null
chmod 000 "$TMPD/noread/proc/sys/kernel/shmmax"
expect_status "an unreadable sysctl file as uid 65534: exit 1" 1 \
    setpriv --reuid=65534 --regid=65534 --clear-groups \
    "$IPCTUNE" status --root "$TMPD/noread"
expect_match "... with advice" "[Pp]ermission denied \(run as root\)" "$TMPD/err"
# stdout closed or full: a write error is reported, not ignored
expect_status "a write error on stdout: exit 1" 1 \
    sh -c "'$IPCTUNE' list --format json >/dev/full"
expect_match "... reported" "cannot write to standard output" "$TMPD/err"
# no table line ends in a blank, whatever the command and columns (an
# empty last column such as NOTE padded every row); --raw keeps the one
# blank before an empty last cell, its field (below)
"$HELPER" -q sem nsems=2 msg >/dev/null
for c in "status" "status -o NOTE,RESOURCE,NOTE" "status -o +DESCRIPTION" \
    "list" "list shm" "list shm -o +RSS,COMMAND" \
    "list sem --raw" "list msg -o +SEND,RECV" "owners" "orphans --all" \
    "profiles" "profiles show kernel-default" "recommend -p kernel-default" \
    "verify -p kernel-default"; do
	# shellcheck disable=SC2086
	"$IPCTUNE" $c >"$TMPD/t" 2>/dev/null
	if [ ! -s "$TMPD/t" ]; then
		fail "'$c' printed nothing"
	elif grep -n ' $' "$TMPD/t" >"$TMPD/blank"; then
		fail "'$c': lines end in a blank"
		sed 's/$/<EOL/; s/^/    /' "$TMPD/blank" | head -3
	else
		ok "'$c': no line ends in a blank"
	fi
done
"$IPCTUNE" status -o RESOURCE,NOTE >"$TMPD/t"
expect_match "a trailing empty cell still leaves the rows" '^shmmni$' "$TMPD/t"
expect_match "... and the blanks inside a line stay" \
    '^shmmax +largest new segment ' "$TMPD/t"
on_tty "$IPCTUNE" status --color=never >"$TMPD/tty"
check "on a terminal too, no line ends in a blank" \
    sh -c "! grep -q ' \$' '$TMPD/tty'"
"$IPCTUNE" status --color=always >"$TMPD/t"
check "a coloured row has no blank before its reset" \
    sh -c "! grep -q ' $ESC\[0m\$' '$TMPD/t'"
check "... and keeps the reset" grep -q "kernel.shmmni$ESC\[0m\$" "$TMPD/t"

# --raw: one space between cells, blanks inside a cell escaped
"$IPCTUNE" status --raw -o RESOURCE,LIMIT,NOTE,UNIT >"$TMPD/t"
expect_match "--raw: the heading, one space apart" '^RESOURCE LIMIT NOTE UNIT$' \
    "$TMPD/t"
expect_match "--raw: a blank in a cell as \\x20" \
    '^shmmax 1MiB largest\\x20new\\x20segment\\x20[^ ]+ bytes$' "$TMPD/t"
expect_match "--raw: an empty cell between two others" '^shmmni 10  segments$' \
    "$TMPD/t"
expect_eq "--raw: no alignment blanks" 0 "$(grep -c '  [^ ]*  ' "$TMPD/t")"
# an empty last cell keeps its field (as lsipc -r): split on single
# spaces, every line has as many fields as the heading
"$IPCTUNE" status --raw -o RESOURCE,NOTE >"$TMPD/t"
expect_eq "--raw: an empty last cell still a field" 2 \
    "$(awk -F'[ ]' '/^RESOURCE / { h = 1 } h && /^$/ { exit }
    h { print NF }' "$TMPD/t" |
    sort -u)"

# --export: NAME="value" pairs, names made shell identifiers, every line
# assigns variables under eval and prints nothing else
for c in status owners "orphans --all" "list sem" profiles; do
	# shellcheck disable=SC2086
	"$IPCTUNE" $c --export >"$TMPD/t"
	check "'$c --export': only NAME=\"value\" pairs" sh -c "! grep -Evq \
	    '^([A-Z][A-Z0-9_]*=\"[^\"]*\"( |\$))+\$' '$TMPD/t'"
	check "'$c --export': eval assigns without error" sh -e -c \
	    "while IFS= read -r l; do eval \"\$l\"; done <'$TMPD/t'"
done
"$IPCTUNE" status --export >"$TMPD/t"
expect_match "--export: USE% is USE_PCT" '^RESOURCE="shmmni" .* USE_PCT="90\.0%"' \
    "$TMPD/t"
expect_eq "--export: values as eval gives them" "shmmni 10 9 90.0%" \
    "$(sh -c 'IFS= read -r l; eval "$l"; echo "$RESOURCE $LIMIT $USED $USE_PCT"' \
    <"$TMPD/t")"
check "--export implies --no-headings: no namespace line" \
    sh -c "! grep -q '^IPC namespace' '$TMPD/t'"
"$IPCTUNE" owners --export -o OWNER,SEM-ARRAYS >"$TMPD/t"
expect_match "--export: SEM-ARRAYS is SEM_ARRAYS" '^OWNER="root" SEM_ARRAYS="1"$' \
    "$TMPD/t"
expect_status "list --export of every type: exit 2" 2 "$IPCTUNE" list --export
expect_match "... it needs one" "\-\-export needs an object type" "$TMPD/err"
check "... nothing on stdout" test ! -s "$TMPD/out"
expect_status "list --type msg --export: one type, fine" 0 \
    "$IPCTUNE" list --type msg --export
expect_status "--raw --export: exit 2" 2 "$IPCTUNE" status --raw --export
expect_match "... they exclude each other" \
    "\-\-raw and \-\-export exclude each other" "$TMPD/err"
expect_status "--export twice: fine" 0 "$IPCTUNE" status --export --export

# --notruncate: a long command name (15 bytes, all comm holds) is cut on
# a narrow terminal, unless
cp "$HELPER" "$TMPD/a-long-command9"
"$TMPD/a-long-command9" shm size=1 key=0x7777 hold >"$TMPD/held.n" 2>&1 &
np=$!
i=0
while ! grep -q '^ready$' "$TMPD/held.n" && [ $i -lt 500 ]; do
	sleep 0.01; i=$((i + 1))
done
cols=ID,KEY,OWNER,PERMS,SIZE,NATTCH,CPID,CTIME,COMMAND
COLUMNS=60 on_tty "$IPCTUNE" list shm --color=never -o $cols >"$TMPD/tty"
expect_match "a narrow terminal truncates COMMAND" \
    ' 0x00007777 .* a-lo[a-z-]*$' "$TMPD/tty"
check "... short of the whole name" \
    sh -c "! grep -q 'a-long-command9' '$TMPD/tty'"
COLUMNS=60 on_tty "$IPCTUNE" list shm --notruncate --color=never -o $cols \
    >"$TMPD/tty"
expect_match "--notruncate: the whole name" ' 0x00007777 .* a-long-command9$' \
    "$TMPD/tty"
kill $np
wait $np 2>/dev/null

# --time-format, against lsipc's for the same objects (UTC), and against
# the fixture tree's fixed times
for f in short full; do
	TZ=UTC lsipc -m --noheadings --time-format=$f -o ID,CTIME |
	    sed 's/  */ /g; s/^ //' | sort -n >"$TMPD/a"
	"$IPCTUNE" list shm -n --time-format $f -o ID,CTIME |
	    sed 's/  */ /g; s/^ //' | sort -n >"$TMPD/b"
	check "--time-format $f: lsipc's times" cmp "$TMPD/a" "$TMPD/b"
done
R="--root $TOP/tests/fixtures/root64"
expect_eq "--time-format iso (the default)" "2023-11-14T22:13:20Z" \
    "$("$IPCTUNE" list msg $R -n --time-format iso -o CTIME | head -1)"
expect_eq "--time-format unix" "1700000000" \
    "$("$IPCTUNE" list msg $R -n --time-format unix -o CTIME | head -1)"
expect_eq "--time-format full" "Tue Nov 14 22:13:20 2023" \
    "$("$IPCTUNE" list msg $R -n --time-format full -o CTIME | head -1)"
expect_eq "--time-format short: another year" "2023-Nov14" \
    "$("$IPCTUNE" list msg $R -n --time-format short -o CTIME | head -1)"
expect_eq "--time-format short: never is '-'" "-" \
    "$("$IPCTUNE" list msg $R -n --time-format short -o ID,RECV |
    awk '$1 == 1 { print $2 }')"
expect_eq "--time-format does not change JSON" \
    "$("$IPCTUNE" list msg $R -J | jq -c .msg)" \
    "$("$IPCTUNE" list msg $R -J --time-format short | jq -c .msg)"
# the times of POSIX objects follow it too (a private /dev/shm)
if mount -t tmpfs tmpfs /dev/shm; then
	: >/dev/shm/tf && touch -d @1700000000 /dev/shm/tf
	expect_eq "--time-format unix: a /dev/shm file's MTIME" \
	    "/tf 1700000000" "$("$IPCTUNE" list pshm -n --time-format unix \
	    -o NAME,MTIME | tr -s ' ')"
	expect_eq "--time-format full: a /dev/shm file's MTIME" \
	    "Tue Nov 14 22:13:20 2023" "$("$IPCTUNE" list pshm -n \
	    --time-format full -o MTIME)"
	expect_eq "--raw: a POSIX row with no holders has every field" \
	    "3 3" "$("$IPCTUNE" list pshm --raw -o NAME,NHOLD,HOLDERS |
	    awk -F'[ ]' '/^NAME / { h = 1 } h { print NF }' | tr '\n' ' ' |
	    sed 's/ $//')"
	umount /dev/shm
else
	fail "a private /dev/shm"
fi
expect_status "--time-format local: exit 2" 2 "$IPCTUNE" list --time-format local
expect_match "... naming the words" "invalid --time-format 'local' \(use iso, short, full or unix\)" \
    "$TMPD/err"

ipc_reset
finish
