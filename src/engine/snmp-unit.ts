import {communityDataset} from '../probes/snmp/dataset.js'
import {createSnmpProbeUnit, DEFAULT_MAX_COMMUNITIES, snmpBudgetMs, type SnmpProbeOptions, snmpProbeUnit} from '../probes/snmp/unit.js'
import type {ProbeContext, ProbeUnit} from '../probes/types.js'

/** SNMP writes (the SET of sysLocation.0 to its own value) run only when the scan allows intrusive actions. The
 *  budget follows the community list: a lab's 3,216-string list needs more than the default 12 timeouts.
 *  Loaded by the probe registry only when a scan has an SNMP service (it pulls in net-snmp). */
export const snmpUnit: ProbeUnit = {
  ...snmpProbeUnit,
  run: (ctx) => createSnmpProbeUnit(snmpOptions(ctx)).run(ctx),
  budgetMs: ({timeoutMs, credentials}) => snmpBudgetMs({candidates: (credentials?.snmpCommunities?.length ?? 0) + DEFAULT_MAX_COMMUNITIES, timeoutMs}),
}

/** A lab's own communities (--communities) are tried first, then the default dataset's first 100. */
function snmpOptions(ctx: ProbeContext): SnmpProbeOptions {
  const base: SnmpProbeOptions = {intrusive: ctx.intrusive === true, v3Credentials: ctx.credentials?.snmpV3}
  const own = ctx.credentials?.snmpCommunities
  if (!own?.length) return base
  const dataset = communityDataset()
  return {
    ...base,
    communities: [...own, ...dataset.communities.slice(0, DEFAULT_COMMUNITY_CAP)],
    datasetId: `lab-file+${dataset.id}`,
    maxCommunities: own.length + DEFAULT_COMMUNITY_CAP,
  }
}

const DEFAULT_COMMUNITY_CAP = 100
