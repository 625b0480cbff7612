/**
 * Telnet command parsing and option negotiation (RFC 854, RFC 855). Pure and incremental: sequences split
 * across TCP segments are completed by the next `push`. The probe refuses every option except the server's
 * ECHO and SUPPRESS-GO-AHEAD (harmless for reading a banner, and refusing them makes some servers hang up).
 */
import type {TelnetNegotiation, TelnetVerb} from './types.js'

export const IAC = 255
export const DONT = 254
export const DO = 253
export const WONT = 252
export const WILL = 251
export const SB = 250
export const SE = 240

export const OPT_ECHO = 1
export const OPT_SGA = 3

const VERB_NAMES: Record<number, TelnetVerb> = {[DO]: 'DO', [DONT]: 'DONT', [WILL]: 'WILL', [WONT]: 'WONT'}
const VERB_CODES: Record<TelnetVerb, number> = {DO, DONT, WILL, WONT}

const OPTION_NAMES: Record<number, string> = {
  0: 'BINARY',
  1: 'ECHO',
  3: 'SUPPRESS-GO-AHEAD',
  5: 'STATUS',
  6: 'TIMING-MARK',
  24: 'TERMINAL-TYPE',
  31: 'NAWS',
  32: 'TERMINAL-SPEED',
  33: 'TOGGLE-FLOW-CONTROL',
  34: 'LINEMODE',
  35: 'X-DISPLAY-LOCATION',
  36: 'ENVIRON',
  37: 'AUTHENTICATION',
  38: 'ENCRYPT',
  39: 'NEW-ENVIRON',
  46: 'START-TLS',
}

export function optionName(option: number): string {
  return OPTION_NAMES[option] ?? `OPTION-${option}`
}

/** Subnegotiation parameters kept at most (the rest is counted, then dropped). */
export const MAX_SB_BYTES = 1024

export type TelnetCommand =
  | {kind: 'option'; verb: TelnetVerb; option: number}
  | {kind: 'sb'; option: number; length: number; overflow: boolean}
  /** A two-byte command (NOP, GA, AYT, DM, …) or, for codes below 240, an invalid one. */
  | {kind: 'command'; code: number}

export interface ParseOutput {
  /** Data bytes with every command removed (IAC IAC yields one 255 byte). */
  data: Buffer
  commands: TelnetCommand[]
}

type State = 'data' | 'iac' | 'verb' | 'sb-option' | 'sb' | 'sb-iac'

/** Incremental splitter of the server's byte stream into data and Telnet commands. */
export class TelnetParser {
  private state: State = 'data'
  private verb = 0
  private sbOption = 0
  private sbLength = 0
  /** Commands with a code below 240 after IAC (not defined by RFC 854). */
  invalidCommands = 0
  /** Subnegotiations longer than MAX_SB_BYTES. */
  sbOverflows = 0

  push(chunk: Buffer): ParseOutput {
    const data: number[] = []
    const commands: TelnetCommand[] = []
    for (const b of chunk) {
      switch (this.state) {
        case 'data':
          if (b === IAC) this.state = 'iac'
          else data.push(b)
          break
        case 'iac':
          if (b === IAC) {
            data.push(IAC)
            this.state = 'data'
          } else if (b === DO || b === DONT || b === WILL || b === WONT) {
            this.verb = b
            this.state = 'verb'
          } else if (b === SB) {
            this.state = 'sb-option'
          } else {
            if (b < SE) this.invalidCommands++
            commands.push({kind: 'command', code: b})
            this.state = 'data'
          }
          break
        case 'verb':
          commands.push({kind: 'option', verb: VERB_NAMES[this.verb]!, option: b})
          this.state = 'data'
          break
        case 'sb-option':
          this.sbOption = b
          this.sbLength = 0
          this.state = 'sb'
          break
        case 'sb':
          if (b === IAC) this.state = 'sb-iac'
          else this.sbLength++
          break
        case 'sb-iac':
          if (b === SE) {
            const overflow = this.sbLength > MAX_SB_BYTES
            if (overflow) this.sbOverflows++
            commands.push({kind: 'sb', option: this.sbOption, length: this.sbLength, overflow})
            this.state = 'data'
          } else {
            // IAC IAC inside SB is an escaped 255; anything else is malformed but stays inside SB.
            this.sbLength++
            this.state = 'sb'
          }
          break
      }
    }
    return {data: Buffer.from(data), commands}
  }

  /** True while inside a subnegotiation that has not yet ended. */
  get inSubnegotiation(): boolean {
    return this.state === 'sb' || this.state === 'sb-iac' || this.state === 'sb-option'
  }

  /** Length of the unterminated subnegotiation so far. */
  get pendingSbLength(): number {
    return this.inSubnegotiation ? this.sbLength : 0
  }
}

export function encodeOption(verb: TelnetVerb, option: number): Buffer {
  return Buffer.from([IAC, VERB_CODES[verb], option])
}

/**
 * The probe's side of option negotiation. We never enable an option on our side (every DO gets WONT); the
 * server may enable ECHO and SUPPRESS-GO-AHEAD on its side (WILL gets DO), every other WILL gets DONT.
 * Loop-safe (RFC 854 "do not acknowledge a request to enter a mode already in", RFC 1143 spirit): each
 * refusal is sent at most once per option and direction, and an acknowledgement only on a state change.
 */
export class TelnetNegotiator {
  /** Options the server has enabled on its side with our agreement. */
  private readonly serverEnabled = new Set<number>()
  private readonly refusedDo = new Set<number>()
  private readonly refusedWill = new Set<number>()
  static readonly ACCEPTED_SERVER_OPTIONS: ReadonlySet<number> = new Set([OPT_ECHO, OPT_SGA])

  /** The answer to one received command, or undefined when none is due. */
  answer(verb: TelnetVerb, option: number): TelnetVerb | undefined {
    switch (verb) {
      case 'DO':
        if (this.refusedDo.has(option)) return undefined
        this.refusedDo.add(option)
        return 'WONT'
      case 'DONT':
        // Our side of every option is already disabled: nothing to acknowledge.
        return undefined
      case 'WILL':
        if (TelnetNegotiator.ACCEPTED_SERVER_OPTIONS.has(option)) {
          if (this.serverEnabled.has(option)) return undefined
          this.serverEnabled.add(option)
          return 'DO'
        }
        if (this.refusedWill.has(option)) return undefined
        this.refusedWill.add(option)
        return 'DONT'
      case 'WONT':
        if (!this.serverEnabled.has(option)) return undefined
        this.serverEnabled.delete(option)
        return 'DONT'
    }
  }

  /** Records and answers every command; returns the bytes to send and the records for the evidence. */
  handle(commands: readonly TelnetCommand[]): {reply: Buffer; records: TelnetNegotiation[]} {
    const out: Buffer[] = []
    const records: TelnetNegotiation[] = []
    for (const c of commands) {
      if (c.kind === 'option') {
        const sent = this.answer(c.verb, c.option)
        const rec: TelnetNegotiation = {received: c.verb, option: c.option, name: optionName(c.option)}
        if (sent) {
          rec.sent = sent
          out.push(encodeOption(sent, c.option))
        }
        records.push(rec)
      } else if (c.kind === 'sb') {
        // We agreed to no option that uses subnegotiation: ignore the parameters (RFC 855).
        records.push({received: 'SB', option: c.option, name: optionName(c.option), length: c.length})
      }
    }
    return {reply: Buffer.concat(out), records}
  }
}
