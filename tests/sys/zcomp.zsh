#!/bin/zsh -f
# Drive zsh completion non-interactively: start an interactive zsh in a
# pseudo-terminal (zsh/zpty), load compinit and the completion from
# COMPDIR, type each LINE followed by TAB, and print the candidates that
# reached compadd, one per line, after a "== LINE" header.
# Usage: zsh -f zcomp.zsh COMPDIR LINE...
zmodload zsh/zpty || exit 3
compdir=$1
shift
out=$(mktemp -d /tmp/zcomp.XXXXXX) || exit 1
trap 'zpty -d z 2>/dev/null; rm -rf $out' EXIT

zpty z zsh -f -i

# read and drop what the shell wrote, so it never blocks on a full pty
drain() {
	local chunk
	while zpty -rt z chunk 2>/dev/null; do :; done
}

zpty -w z "PS1='' PROMPT='' RPROMPT=''; bindkey -e"
zpty -w z "unsetopt autolist automenu listambiguous beep"
zpty -w z "fpath=(${(q)compdir} \$fpath); autoload -Uz compinit; compinit -u -D"
# record every candidate added by a final compadd (not -O/-A/-D queries)
zpty -w z 'compadd() {
	if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then
		builtin compadd "$@"; return
	fi
	local -a __hits
	builtin compadd -A __hits "$@"
	(( ${#__hits} )) && print -rl -- $__hits >> $ZCOMP_OUT
	builtin compadd "$@"
}'

# wait until the setup ran, so no key is typed ahead of zle
zpty -w z "print ready > $out/ready"
for t in {1..200}; do
	[[ -f $out/ready ]] && break
	drain
	sleep 0.05
done

# complete LINE into file $out/$1 (empty if zsh dropped the keys)
complete_line() {
	local f=$out/$1 line=$2 t
	rm -f $f $f.ready $f.done
	zpty -w z "ZCOMP_OUT=$f; : > \$ZCOMP_OUT; : > $f.ready"
	# type only once zle waits for input: zsh may drop input that
	# arrived while a command ran
	for t in {1..100}; do
		[[ -f $f.ready ]] && break
		drain
		sleep 0.02
	done
	sleep 0.05
	zpty -w -n z "$line"$'\t'
	# kill the line, then say we are done; zle reads keys in order
	zpty -w -n z $'\x15'
	zpty -w z "print done > $f.done"
	for t in {1..100}; do
		[[ -f $f.done ]] && break
		drain
		sleep 0.05
	done
}

n=0
for line in "$@"; do
	n=$((n + 1))
	# every line the tests use has candidates: retry an empty answer
	for try in 1 2 3; do
		complete_line $n "$line"
		[[ -s $out/$n ]] && break
	done
	print -r -- "== $line"
	[[ -f $out/$n.done ]] || { print -r -- "!! timeout"; continue; }
	sort -u $out/$n
done
