#!/bin/sh
# Every command and option in the command table is documented in the man
# page, shown by -h, and completed by the bash completion (driven through
# COMP_WORDS/COMP_CWORD).  Like git's t0450, a new command cannot skip
# its documentation.
. "$(dirname "$0")/lib.sh"
MAN=$TOP/man/ipctune.8
BASHC=$TOP/completions/ipctune.bash

cmds=$("$IPCTUNE" __complete commands)
[ -n "$cmds" ] && ok "command table is not empty" || fail "no commands"
for c in $cmds; do
	if grep -Eq "^\.(B|BR) $c( |\$)" "$MAN"; then ok "man page documents '$c'"
	else fail "man page lacks command '$c'"; fi
	help=$("$IPCTUNE" "$c" -h 2>&1)
	for o in $("$IPCTUNE" __complete options "$c" | grep '^--'); do
		n=${o#--}
		[ "$n" = reader ] || [ "$n" = root ] && continue
		esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
		if grep -q -- "$esc" "$MAN"; then :; else
			fail "man page lacks option '$o' of '$c'"
			continue
		fi
		if printf '%s\n' "$help" | grep -q -- "$o"; then :; else
			fail "'ipctune $c -h' lacks '$o'"
			continue
		fi
		ok "'$c $o' is in the man page and in -h"
	done
done

# bash completion, driven the way bash does it
if [ -f /usr/share/bash-completion/bash_completion ]; then
	comp() {
		# comp CWORD WORD...: print COMPREPLY of the completion
		bash -c '
			. /usr/share/bash-completion/bash_completion
			. "$1"
			shift
			cword=$1
			shift
			COMP_WORDS=("$@")
			COMP_CWORD=$cword
			COMP_LINE="$*"
			COMP_POINT=${#COMP_LINE}
			_ipctune ipctune "${COMP_WORDS[cword]}" "${COMP_WORDS[cword-1]}"
			printf "%s\n" "${COMPREPLY[@]}"
		' comp "$BASHC" "$@"
	}
	PATH=$TOP:$PATH
	export PATH
	out=$(comp 1 ipctune "" | sort | tr '\n' ' ')
	expect_eq "bash completes the commands" \
	    "$(printf '%s\n' $cmds | sort | tr '\n' ' ')" "$out"
	out=$(comp 2 ipctune list "" | tr '\n' ' ')
	expect_eq "bash completes list's object types" "shm sem msg pshm psem pmq " "$out"
	out=$(comp 2 ipctune status --for | tr '\n' ' ')
	expect_eq "bash completes a long option" "--format " "$out"
	out=$(comp 3 ipctune status --format "" | tr '\n' ' ')
	expect_eq "bash completes --format values" "table json prometheus " "$out"
	out=$(comp 3 ipctune status -o US | sort | tr '\n' ' ')
	expect_eq "bash completes -o columns" "USE% USED " "$out"
	out=$(comp 3 ipctune --pid 1 "" | grep -c status)
	expect_eq "a --pid value is not taken for the command" 1 "$out"
	out=$(comp 3 ipctune status --pid "" | grep -c '^1$')
	expect_eq "bash completes PIDs for --pid" 1 "$out"
else
	fail "bash-completion is not installed (scripts/deps.sh installs it)"
fi

# -h of every command exits 0 and prints its synopsis
for c in $cmds; do
	if "$IPCTUNE" "$c" -h | grep -q "^Usage: ipctune $c"; then
		ok "'$c -h' prints the usage"
	else
		fail "'$c -h' prints no usage"
	fi
done

# 13.13 every option -h lists is accepted (parsed only: the option, then
# -h, is refused where it stands if the command does not take it), and
# every format the --format line names
argfor() {
	case $1 in
	PID) echo 1 ;;
	PATH) echo /proc/self/ns/ipc ;;
	FILE) echo /dev/null ;;
	LIST) echo name ;;
	DIR) echo / ;;
	FORMAT) echo iso ;;	# --format itself is tried below
	*) echo x ;;
	esac
}
for c in $cmds; do
	bad=
	"$IPCTUNE" "$c" -h | sed -n '/^Global options:/,$p' |
	    sed -n 's/^  \(-., \)\{0,1\} *--\([a-z-]*\)\( \([A-Z]*\)\)\{0,1\}.*/\2 \4/p' \
	    >"$TMPD/opts.$c"
	while read -r n meta; do
		[ "$n" = help ] || [ "$n" = version ] && continue
		if [ "$n" = format ]; then
			for f in $("$IPCTUNE" "$c" -h |
			    sed -n 's/^ *--format FORMAT *output format: //p' |
			    tr -d ','); do
				"$IPCTUNE" "$c" --format "$f" -h >/dev/null \
				    2>&1 || bad="$bad --format=$f"
			done
			continue
		fi
		if [ -n "$meta" ]; then
			"$IPCTUNE" "$c" "--$n" "$(argfor "$meta")" -h \
			    >/dev/null 2>&1 || bad="$bad --$n"
		else
			"$IPCTUNE" "$c" "--$n" -h >/dev/null 2>&1 ||
			    bad="$bad --$n"
		fi
	done <"$TMPD/opts.$c"
	expect_eq "13.13 '$c -h' lists only options '$c' accepts" "" "$bad"
done
# the ones that were listed but refused
for c in check record; do
	if "$IPCTUNE" "$c" -h | grep -Eq -- '--json|format: .*json'; then
		fail "13.13 '$c -h' lists --format json, which '$c' refuses"
	else
		ok "13.13 '$c -h' does not list --format json"
	fi
done
if "$IPCTUNE" fit -h | grep -q -- --output; then
	fail "13.13 'fit -h' lists --output, which fit refuses"
else
	ok "13.13 'fit -h' does not list --output"
fi
finish
