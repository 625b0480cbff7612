/**
 * Batch progress on stderr. On a TTY: one line rewritten in place (done/total, failures, rate, ETA). Otherwise
 * (CI logs, files): a plain line every `intervalMs` (5 s) or each further 10 % of the devices, whichever comes
 * first, and a last line at the end.
 */
import type {Device} from '../evidence/types.js'

export interface ProgressSink {
  write(text: string): unknown
  isTTY?: boolean
}

export class BatchProgress {
  private done = 0
  private failed = 0
  private incomplete = 0
  private lastLogAt: number
  private lastLogDone = 0
  private readonly started: number

  constructor(
    private readonly total: number,
    private readonly sink: ProgressSink,
    private readonly clock: () => number = () => Date.now(),
    private readonly intervalMs = 5000,
  ) {
    this.started = clock()
    this.lastLogAt = this.started
  }

  device(device: Device): void {
    this.done++
    if (device.verdict === 'fail') this.failed++
    if (device.verdict === 'incomplete') this.incomplete++
    const now = this.clock()
    if (this.sink.isTTY) {
      this.sink.write(`\r\x1b[2K${this.line(now)}`)
      return
    }
    const step = Math.max(1, Math.ceil(this.total / 10))
    if (now - this.lastLogAt >= this.intervalMs || this.done - this.lastLogDone >= step || this.done === this.total) {
      this.sink.write(`${this.line(now)}\n`)
      this.lastLogAt = now
      this.lastLogDone = this.done
    }
  }

  finish(): void {
    if (this.sink.isTTY) this.sink.write(`\r\x1b[2K${this.line(this.clock())}\n`)
  }

  line(now: number): string {
    const elapsed = (now - this.started) / 1000
    const rate = elapsed > 0 ? this.done / elapsed : 0
    const left = this.total - this.done
    const eta = rate > 0 ? formatSeconds(left / rate) : '?'
    const pct = this.total > 0 ? Math.floor((this.done / this.total) * 100) : 100
    return `scan: ${this.done}/${this.total} devices (${pct}%), ${this.failed} failed, ${this.incomplete} incomplete, ${rate.toFixed(1)}/s, ETA ${left === 0 ? '0s' : eta}`
  }
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?'
  const m = Math.floor(s / 60)
  return m > 0 ? `${m}m${Math.round(s % 60)}s` : `${Math.round(s)}s`
}
