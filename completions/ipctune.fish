# fish completion for ipctune.  Every candidate comes from the program
# itself ('ipctune __complete ...'), so commands, options and values
# cannot drift from the command table.

# The name of option word $argv[1] without dashes or value (--pid=1 -> pid).
function __ipctune_optname
    string replace -r '^-{1,2}' '' -- $argv[1] | string replace -r '=.*' ''
end

# The command on the line so far, if any: the first word that is neither
# an option nor an option's value.
function __ipctune_command
    set -l tokens (commandline -opc)
    set -e tokens[1]
    set -l prev ''
    for t in $tokens
        switch $t
            case '-*'
            case '*'
                if string match -q -- '-*' $prev; and not string match -q -- '*=*' $prev
                    set -l takes (ipctune __complete takes '' (__ipctune_optname $prev) 2>/dev/null)
                    # "=VALUES": the value only ever follows "--opt="
                    if test -n "$takes"; and not string match -q -- '=*' $takes
                        set prev $t
                        continue
                    end
                end
                echo $t
                return 0
        end
        set prev $t
    end
    return 1
end

# Print the candidates for the word being completed, "word<tab>help".
function __ipctune_candidates
    set -l cmd (__ipctune_command)
    set -l cur (commandline -ct)
    set -l tokens (commandline -opc)
    set -l prev $tokens[-1]
    set -l name ''
    set -l pre ''
    if string match -q -- '--*=*' $cur
        set name (__ipctune_optname $cur)
        set pre (string replace -r '=.*' '=' -- $cur)
        set cur (string replace -r '^[^=]*=' '' -- $cur)
    else if test (count $tokens) -gt 1; and string match -q -- '-*' $prev; and not string match -q -- '*=*' $prev
        set name (__ipctune_optname $prev)
    end
    if test -n "$name"
        set -l takes (ipctune __complete takes "$cmd" $name 2>/dev/null)
        if string match -q -- '=*' "$takes"
            if test -n "$pre"
                set takes (string sub -s 2 -- $takes)
            else
                set takes ''
            end
        end
        switch "$takes"
            case ''
            case files
                __fish_complete_path $cur | string replace -r '^' -- $pre
                return
            case dirs
                __fish_complete_directories $cur | string replace -r '^' -- $pre
                return
            case none
                return
            case columns
                set -l head (string replace -r '[^,]*$' '' -- $cur)
                for c in (ipctune __complete columns "$cmd" 2>/dev/null)
                    echo $pre$head$c
                end
                return
            case '*'
                for v in (ipctune __complete $takes "$cmd" 2>/dev/null)
                    echo $pre$v
                end
                return
        end
    end
    if string match -q -- '-*' $cur
        ipctune __complete options-help "$cmd" 2>/dev/null
        return
    end
    if test -z "$cmd"
        ipctune __complete commands-help 2>/dev/null
        return
    end
    set -l ops (ipctune __complete operands $cmd 2>/dev/null)
    if test (count $ops) -gt 0
        printf '%s\n' $ops
    else
        __fish_complete_path $cur
    end
end

complete -c ipctune -f -a '(__ipctune_candidates)'
