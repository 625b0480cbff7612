import type {Check} from '../../src/checks/types.js'
import {excerpt, formatList, P_TELNET_BANNER, readTelnetBanner, REF} from './shared.js'

export const check: Check = {
  id: 'svc.telnet.exposed',
  title: 'Telnet service exposed',
  family: 'svc',
  description:
    'Fails when a Telnet service answers. Telnet (RFC 854) carries the login dialogue, the password and the ' +
    'whole management session in cleartext, so anyone on the path can read or alter them.',
  remediation:
    'Disable the Telnet daemon in the shipped configuration and offer management over SSH (or another ' +
    'authenticated, encrypted channel) only.',
  defaultSeverity: 'high',
  intrusive: false,
  protocols: ['telnet'],
  reads: [P_TELNET_BANNER],
  references: [
    REF.X805_CONF,
    REF.X805_MGMT,
    REF.X1352_DATA,
    REF.X1214_SNIFFING,
    REF.EN_5_5_1,
    REF.EN_5_5_7,
    REF.EN_5_6_1,
    REF.CR_4_1,
    REF.CR_7_7,
    REF.cwe(319),
    REF.RFC854,
  ],
  evaluate(input) {
    const d = readTelnetBanner(input)
    if (!d.valid) return {outcome: 'inconclusive', message: 'The Telnet observation holds no byte count or prompt result.'}
    const options = [...new Set(d.negotiatedOptions.filter((n) => n.received !== 'SB').map((n) => `${n.received} ${n.name}`))]
    const negotiated = options.length ? ` Option negotiation: ${formatList(options)}.` : ''
    if (d.loginPrompt) {
      const prompt = d.promptText ? ` ${JSON.stringify(d.promptText)}` : ''
      return {
        outcome: 'fail',
        message:
          `A Telnet service answered (${d.bytes} bytes) and showed a login prompt${prompt}: credentials entered there ` +
          `cross the network in cleartext.${d.banner ? ` Banner: ${excerpt(d.banner)}.` : ''}${negotiated}`,
      }
    }
    return {
      outcome: 'fail',
      message:
        `A Telnet service answered (${d.bytes} bytes) but showed no login prompt before the read ended (${d.endedBy}); ` +
        `any session over it is cleartext.${d.banner ? ` Text: ${excerpt(d.banner)}.` : ''}${negotiated}`,
    }
  },
}
