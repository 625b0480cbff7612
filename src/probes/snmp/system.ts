/**
 * Reads the RFC 3418 system group (sysDescr, sysObjectID, sysUpTime, sysContact, sysName, sysLocation) with an
 * accepted community or noAuthNoPriv user and builds the `snmp.system` payload. sysContact and sysLocation pass
 * through the personal-data detector: only the masked text and match types/counts are kept.
 */
import type snmp from 'net-snmp'

import {detectPii, piiFieldSummary} from './pii.js'
import {OID, sessionGet, varbindNumber, varbindText, type GetOutcome} from './session.js'
import type {PiiFieldSummary, SnmpCommunityVersion, SnmpSystemData} from './types.js'

const SYSTEM_OIDS = [OID.sysDescr, OID.sysObjectID, OID.sysUpTime, OID.sysContact, OID.sysName, OID.sysLocation]

export function unreadableSystem(): SnmpSystemData {
  return {
    readable: false,
    via: null,
    sysDescr: null,
    sysObjectID: null,
    sysUpTime: null,
    sysName: null,
    sysContact: null,
    sysLocation: null,
    pii: {total: 0, fields: []},
  }
}

/** The payload for raw system-group values (exported for tests: the raw values never leave this function). */
export function systemData(
  raw: {sysDescr: string | null; sysObjectID: string | null; sysUpTime: number | null; sysContact: string | null; sysName: string | null; sysLocation: string | null},
  via: {credentialId: string; version: SnmpCommunityVersion | 'v3'},
): SnmpSystemData {
  const fields: PiiFieldSummary[] = []
  const scrub = (field: PiiFieldSummary['field'], value: string | null): string | null => {
    if (value === null) return null
    const scan = detectPii(value)
    if (scan.matches.length > 0) fields.push(piiFieldSummary(field, scan))
    return scan.redactedText
  }
  const sysContact = scrub('sysContact', raw.sysContact)
  const sysLocation = scrub('sysLocation', raw.sysLocation)
  return {
    readable: true,
    via,
    sysDescr: raw.sysDescr,
    sysObjectID: raw.sysObjectID,
    sysUpTime: raw.sysUpTime,
    sysName: raw.sysName,
    sysContact,
    sysLocation,
    pii: {total: fields.reduce((n, f) => n + f.matches.length, 0), fields},
  }
}

/** GETs the six scalars at once; on an error status (SNMPv1 fails the whole PDU) falls back to one GET each. */
export async function readSystem(
  session: snmp.Session,
  community: string | undefined,
  via: {credentialId: string; version: SnmpCommunityVersion | 'v3'},
): Promise<SnmpSystemData | null> {
  let varbinds: Array<snmp.Varbind | undefined>
  const all: GetOutcome = await sessionGet(session, SYSTEM_OIDS, community)
  if (all.kind === 'response') varbinds = all.varbinds
  else if (all.kind === 'error-status') {
    varbinds = []
    for (const oid of SYSTEM_OIDS) {
      const one = await sessionGet(session, [oid], community)
      varbinds.push(one.kind === 'response' ? one.varbinds[0] : undefined)
    }
  } else return null
  const byOid = new Map(varbinds.filter((v): v is snmp.Varbind => v !== undefined).map((v) => [v.oid, v]))
  return systemData(
    {
      sysDescr: varbindText(byOid.get(OID.sysDescr)),
      sysObjectID: varbindText(byOid.get(OID.sysObjectID)),
      sysUpTime: varbindNumber(byOid.get(OID.sysUpTime)),
      sysContact: varbindText(byOid.get(OID.sysContact)),
      sysName: varbindText(byOid.get(OID.sysName)),
      sysLocation: varbindText(byOid.get(OID.sysLocation)),
    },
    via,
  )
}
