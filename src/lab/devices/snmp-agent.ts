/**
 * open-router: a small-office router with SNMP left at its factory settings. SNMPv1/v2c with the default
 * communities "public" (read-only) and "private" (read-write), a chatty sysDescr naming the firmware, and a
 * sysContact holding a (fictitious) person's name, e-mail address and phone number. No SNMPv3 user.
 *
 * Also exports SNMPV3_ONLY_CONFIG: a hardened agent with no community and one SHA + AES authPriv user, for tests.
 */
import {type LabSnmpConfig, startLabSnmp} from '../snmp-service.js'
import type {LabDeviceDefinition} from './types.js'

/** The fictitious person seeded in sysContact (555/7946 0xxx-style numbers are reserved for drama/fiction). */
export const OPEN_ROUTER_CONTACT = 'Jane Doe <jane.doe@example.net> +44 20 7946 0958'

export const OPEN_ROUTER_SNMP: LabSnmpConfig = {
  communities: [
    {community: 'public', access: 'read'},
    {community: 'private', access: 'write'},
  ],
  system: {
    sysDescr: 'OpenRouter OR-2400 firmware 3.1.7 (build 2019-04-02) Linux 2.6.36',
    sysObjectID: '1.3.6.1.4.1.99999.1.2400',
    sysContact: OPEN_ROUTER_CONTACT,
    sysName: 'or2400-lab',
    sysLocation: 'Lab rack 2',
  },
}

/** SNMPv3 only, authPriv with HMAC-SHA-96 + AES-128 (RFC 3414 / RFC 3826); no community at all. */
export const SNMPV3_ONLY_CONFIG: LabSnmpConfig = {
  communities: [],
  users: [
    {
      name: 'labadmin',
      level: 'authPriv',
      authProtocol: 'sha',
      authKey: 'lab-auth-passphrase-1',
      privProtocol: 'aes',
      privKey: 'lab-priv-passphrase-1',
      access: 'read',
    },
  ],
  system: {
    sysDescr: 'Hardened switch',
    sysObjectID: '1.3.6.1.4.1.99999.1.1',
    sysContact: 'noc',
    sysName: 'hardened-switch',
    sysLocation: 'Lab rack 1',
  },
  engineID: '8000b98380aabbccddeeff0011',
}

/**
 * SNMPv3 only; user "admin" exists but the agent's access control requires authentication for it, so a noAuthNoPriv
 * GET is answered with authorizationError (as net-snmp snmpd does for `rouser admin auth`). Nothing is readable
 * without credentials: snmp.v3.noauthnopriv must not fail here.
 */
export const AUTHZ_ERROR_SNMP: LabSnmpConfig = {
  communities: [],
  users: [{name: 'admin', level: 'noAuthNoPriv', access: 'read'}],
  authorizationErrorUsers: ['admin'],
  system: {
    sysDescr: 'Access-controlled sensor',
    sysObjectID: '1.3.6.1.4.1.99999.1.3',
    sysContact: 'noc',
    sysName: 'authz-sensor',
    sysLocation: 'Lab rack 3',
  },
  engineID: '8000b98380aabbccddeeff0022',
}

export const authzSensor: LabDeviceDefinition = {
  name: 'authz-sensor',
  description: 'SNMPv3-only agent answering authorizationError to a noAuthNoPriv request of its user "admin" (net-snmp `rouser admin auth`): no access without credentials',
  portOffset: 41,
  start({host, port}) {
    return startLabSnmp(AUTHZ_ERROR_SNMP, host, port)
  },
}

export const openRouter: LabDeviceDefinition = {
  name: 'open-router',
  description:
    'SNMPv1/v2c agent with default communities public (read-only) and private (read-write), firmware version in sysDescr, personal data in sysContact, no SNMPv3',
  portOffset: 2,
  start({host, port}) {
    return startLabSnmp(OPEN_ROUTER_SNMP, host, port)
  },
}

export const secureSensor: LabDeviceDefinition = {
  name: 'secure-sensor',
  description: 'SNMPv3-only agent: no communities, one SHA + AES authPriv user, nothing readable without credentials',
  portOffset: 4,
  start({host, port}) {
    return startLabSnmp(SNMPV3_ONLY_CONFIG, host, port)
  },
}
