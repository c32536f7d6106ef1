#!/bin/sh
# The bash, zsh and fish completions offer every command and every option
# of the command table, and the values of every option that takes a word
# from a list.  Driven from 'ipctune __complete', so a command or option
# added later is checked without touching this file (like git's t0450).
# bash runs through COMP_WORDS/COMP_CWORD, zsh through zsh/zpty, fish
# through 'complete -C'.
. "$(dirname "$0")/lib.sh"
PATH=$(dirname "$IPCTUNE"):$PATH
export PATH
C=$TOP/completions

cmds=$("$IPCTUNE" __complete commands)
[ -n "$cmds" ] && ok "command table is not empty" || fail "no commands"

# The lines to complete, and what each must offer: "LINE|WORD WORD ...".
: >"$TMPD/cases"
echo "ipctune |$cmds" | tr '\n' ' ' >>"$TMPD/cases"
echo >>"$TMPD/cases"
# an option whose value only follows '=' does not swallow the next word
echo "ipctune --color |$cmds" | tr '\n' ' ' >>"$TMPD/cases"
echo >>"$TMPD/cases"
for c in $cmds; do
	opts=$("$IPCTUNE" __complete options "$c" | grep '^--' | tr '\n' ' ')
	echo "ipctune $c --|$opts" >>"$TMPD/cases"
	for o in $opts; do
		n=${o#--}
		takes=$("$IPCTUNE" __complete takes "$c" "$n")
		# "=VALUES": the value only follows '=' (an optional value)
		sep=" "
		case $takes in =*) sep="="; takes=${takes#=} ;; esac
		case $takes in
		formats|colors|readers|timeformats|resources|types|columns|\
		profiles|platforms|calls|attachmodes)
			vals=$("$IPCTUNE" __complete "$takes" "$c" |
			    tr '\n' ' ') ;;
		# dynamic lists: one entry every system has
		users) vals=root ;;
		pids) vals=1 ;;
		*) continue ;;
		esac
		[ -n "$vals" ] || continue
		echo "ipctune $c $o$sep|$vals" >>"$TMPD/cases"
	done
	ops=$("$IPCTUNE" __complete operands "$c" | tr '\n' ' ')
	[ -n "$ops" ] && echo "ipctune $c |$ops" >>"$TMPD/cases"
done
# operands without fixed words are files: report's snapshots
mkdir "$TMPD/cwd"
: >"$TMPD/cwd/fleet-snap1.json"
: >"$TMPD/cwd/other.txt"
echo "ipctune report fleet-|fleet-snap1.json" >>"$TMPD/cases"
ncases=$(wc -l <"$TMPD/cases")
cd "$TMPD/cwd" || exit 1

# check SHELL: compare each case with the candidates in $TMPD/SHELL.out,
# a sequence of "== LINE" headers each followed by candidates.
check_shell() {
	sh_=$1
	while IFS='|' read -r line want; do
		got=$(awk -v h="== $line" '
			$0 == h { on = 1; next }
			/^== / { on = 0 }
			on { sub(/\t.*/, ""); sub(/^--[a-z-]*=/, ""); print }
		' "$TMPD/$sh_.out")
		missing=
		for w in $want; do
			printf '%s\n' "$got" | grep -qxF -- "$w" ||
			    missing="$missing $w"
		done
		if [ -z "$missing" ]; then
			ok "$sh_ completes '$line'"
		else
			fail "$sh_ completion of '$line' lacks:$missing"
		fi
	done <"$TMPD/cases"
}

# bash
if [ -f /usr/share/bash-completion/bash_completion ]; then
	cut -d'|' -f1 "$TMPD/cases" | bash -c '
		. /usr/share/bash-completion/bash_completion
		. "$1"
		while IFS= read -r line; do
			# split like readline: words, and an empty one after a space
			read -ra COMP_WORDS <<<"$line"
			case $line in *" ") COMP_WORDS+=("") ;; esac
			# --opt=value is three words for bash (COMP_WORDBREAKS)
			w=${COMP_WORDS[-1]}
			if [[ $w == --*=* ]]; then
				unset "COMP_WORDS[-1]"
				COMP_WORDS+=("${w%%=*}" "=" "${w#*=}")
			fi
			COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
			COMP_LINE=$line
			COMP_POINT=${#line}
			COMPREPLY=()
			_ipctune ipctune "${COMP_WORDS[COMP_CWORD]}" \
			    "${COMP_WORDS[COMP_CWORD-1]}"
			echo "== $line"
			printf "%s\n" "${COMPREPLY[@]}"
		done
	' bash "$C/ipctune.bash" >"$TMPD/bash.out" 2>&1
	check_shell bash
else
	fail "bash-completion is not installed (scripts/deps.sh installs it)"
fi

# zsh
if command -v zsh >/dev/null 2>&1; then
	check "zsh parses _ipctune" zsh -n "$C/_ipctune"
	cut -d'|' -f1 "$TMPD/cases" | tr '\n' '\0' |
	    xargs -0 zsh -f "$TOP/tests/sys/zcomp.zsh" "$C" \
	    >"$TMPD/zsh.out" 2>&1
	check_shell zsh
else
	fail "zsh is not installed (scripts/deps.sh installs it)"
fi

# fish
if command -v fish >/dev/null 2>&1; then
	check "fish parses ipctune.fish" fish --no-execute "$C/ipctune.fish"
	: >"$TMPD/fish.out"
	while IFS='|' read -r line want; do
		echo "== $line" >>"$TMPD/fish.out"
		fish -N -c 'source $argv[1]; complete -C"$argv[2]"' \
		    "$C/ipctune.fish" "$line" >>"$TMPD/fish.out" 2>&1
	done <"$TMPD/cases"
	check_shell fish
else
	fail "fish is not installed (scripts/deps.sh installs it)"
fi

# a few exact answers, so a script offering everything everywhere fails
formats=$("$IPCTUNE" __complete formats status | sort | tr '\n' ' ')
for sh_ in bash zsh fish; do
	got=$(awk '$0 == "== ipctune list " { on = 1; next } /^== / { on = 0 }
	    on { sub(/\t.*/, ""); print }' "$TMPD/$sh_.out" | sort | tr '\n' ' ')
	expect_eq "$sh_ offers only list's object types" "msg pmq psem pshm sem shm " "$got"
	got=$(awk '$0 == "== ipctune status --format " { on = 1; next }
	    /^== / { on = 0 } on { print }' "$TMPD/$sh_.out" | sort |
	    tr '\n' ' ')
	expect_eq "$sh_ offers status's formats only" "$formats" "$got"
done
echo "# $ncases lines completed in each shell"
finish
