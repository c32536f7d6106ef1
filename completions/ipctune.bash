# bash completion for ipctune.  Every candidate comes from the program
# itself ('ipctune __complete ...'), so commands and options cannot drift
# from the command table.

_ipctune()
{
	local cur prev words cword cmd i w takes
	_init_completion -n = || return

	cmd=
	for ((i = 1; i < cword; i++)); do
		w=${words[i]}
		case $w in
		-*) ;;
		*)
			# an option value is not the command
			w=${words[i-1]}
			# the option's name: its leading dashes only go
			takes=$(ipctune __complete takes "" "${w#"${w%%[!-]*}"}" 2>/dev/null)
			w=${words[i]}
			# "=VALUES": the value only ever follows "--opt="
			if [[ ${words[i-1]} == -* && -n $takes && $takes != =* &&
			    ${words[i-1]} != *=* ]]; then
				continue
			fi
			cmd=$w
			break
			;;
		esac
	done

	local eq=
	if [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		cur=${cur#*=}
		eq=1
	elif [[ $cur == = && $prev == --* ]]; then
		# bash splits "--opt=" at COMP_WORDBREAKS: ("--opt" "=" "")
		cur=
		eq=1
	elif [[ $prev == = && ${words[cword-2]} == --* ]]; then
		prev=${words[cword-2]}
		eq=1
	fi
	if [[ $prev == -* ]]; then
		takes=$(ipctune __complete takes "$cmd" "${prev#"${prev%%[!-]*}"}" 2>/dev/null)
		if [[ $takes == =* ]]; then
			[[ -n $eq ]] && takes=${takes#=} || takes=
		fi
		case $takes in
		"") ;;
		files) _filedir; return ;;
		dirs) _filedir -d; return ;;
		none) return ;;
		columns)
			COMPREPLY=($(compgen -W "$(ipctune __complete columns "$cmd" 2>/dev/null)" -- "${cur##*,}"))
			return
			;;
		*)
			COMPREPLY=($(compgen -W "$(ipctune __complete "$takes" "$cmd" 2>/dev/null)" -- "$cur"))
			return
			;;
		esac
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(ipctune __complete options "$cmd" 2>/dev/null)" -- "$cur"))
		return
	fi
	if [[ -z $cmd ]]; then
		COMPREPLY=($(compgen -W "$(ipctune __complete commands 2>/dev/null)" -- "$cur"))
		return
	fi
	local ops
	ops=$(ipctune __complete operands "$cmd" 2>/dev/null)
	if [[ -n $ops ]]; then
		COMPREPLY=($(compgen -W "$ops" -- "$cur"))
	else
		# no fixed words: the operands are files (report FILE...|DIR...)
		_filedir
	fi
} &&
	complete -F _ipctune ipctune
