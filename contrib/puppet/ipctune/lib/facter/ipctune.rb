# The structured fact 'ipctune', the way Puppet users read facts:
#   $facts['ipctune']['resources']['semmni']['used_ratio']
# built from 'ipctune status --format json' (limits, usage, headroom per
# resource, the sysctls and the findings) and 'ipctune facts' (the state
# 'ipctune check' gives, orphaned and suspect objects).  The flat
# ipctune_* facts stay available as an external fact
# (share/ipctune/facts/ipctune.fact copied to /etc/facter/facts.d/).
# A value above 2^53-1 is nil (undef) with its exact digits in a sibling
# '<name>_exact' string, as in ipctune's JSON.  IPCTUNE_BIN names the
# program when it is not /usr/sbin/ipctune or on PATH.
require 'json'

Facter.add(:ipctune) do
  confine kernel: 'Linux'
  setcode do
    bin = ENV['IPCTUNE_BIN']
    bin = Facter::Core::Execution.which('ipctune') if bin.nil? || bin.empty?
    bin = '/usr/sbin/ipctune' if bin.nil? && File.executable?('/usr/sbin/ipctune')
    next nil if bin.nil?

    begin
      status = JSON.parse(Facter::Core::Execution.execute(
        "#{bin} status --format json", on_fail: :raise, timeout: 60))
      flat = JSON.parse(Facter::Core::Execution.execute(
        "#{bin} facts", on_fail: :raise, timeout: 60))
    rescue StandardError => e
      Facter.debug("ipctune: #{e.message}")
      next nil
    end
    resources = {}
    status['resources'].each do |r|
      resources[r['name']] = r.reject { |k, _| k == 'name' }
    end
    orphaned = {}
    suspect = {}
    %w[shmmni semmni msgmni].each do |l|
      orphaned[l] = flat["ipctune_#{l}_orphaned"]
      suspect[l] = flat["ipctune_#{l}_suspect"]
    end
    {
      'version' => status['tool']['version'],
      'schema_version' => status['schema_version'],
      'status' => flat['ipctune_status'],
      'status_note' => flat['ipctune_status_note'],
      'ipc_namespace' => status['ipc_namespace'],
      'resources' => resources,
      'sysctls' => status['sysctls'],
      'findings' => status['findings'],
      'orphaned' => orphaned,
      'suspect' => suspect,
    }
  end
end
