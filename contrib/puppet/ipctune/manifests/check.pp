# @summary Fail the Puppet run when an IPC limit is used above a ratio.
#
# Reads the structured fact 'ipctune' (lib/facter/ipctune.rb).  A
# resource whose used_ratio is undef (no usage, or no limit) is left out:
# Puppet cannot compare undef with a number.
#
# @param threshold
#   The used / limit ratio above which the run fails.
# @param resources
#   The resources judged (all of them when empty).
#
# @example
#   class { 'ipctune::check': threshold => 0.9 }
class ipctune::check (
  Float[0] $threshold = 0.9,
  Array[String] $resources = [],
) {
  $all = $facts['ipctune']['resources']
  $over = $all.filter |$name, $r| {
    ($resources.empty or $name in $resources)
    and $r['used_ratio'] =~ Numeric
    and $r['used_ratio'] > $threshold
  }
  unless $over.empty {
    $what = $over.map |$name, $r| {
      "${name} ${r['used']} of ${r['limit']} ${r['unit']} (${r['used_ratio']})"
    }
    fail("IPC limits used above ${threshold}: ${what.join(', ')}")
  }
  notice("ipctune: every IPC limit is at or below ${threshold}")
}
