/**
 * Connect timeout that follows the answers the host actually gives (RFC 6298 smoothed RTT + 4 × variance, the
 * estimator nmap also uses), between a floor and the scan's --timeout. Refusals count as answers: a closed port
 * measures the path as well as an open one, and a full-range scan sees thousands of them.
 */
export class AdaptiveTimeout {
  private srtt: number | undefined
  private rttvar = 0
  samples = 0

  constructor(
    readonly minMs: number,
    readonly maxMs: number,
    /** Used until the first answer: conservative, since nothing is known about the path yet. */
    readonly initialMs: number = Math.min(maxMs, 1000),
  ) {}

  observe(rttMs: number): void {
    this.samples++
    if (this.srtt === undefined) {
      this.srtt = rttMs
      this.rttvar = rttMs / 2
      return
    }
    this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs)
    this.srtt = 0.875 * this.srtt + 0.125 * rttMs
  }

  get currentMs(): number {
    if (this.srtt === undefined) return this.initialMs
    return Math.round(Math.min(this.maxMs, Math.max(this.minMs, this.srtt + 4 * this.rttvar)))
  }

  get smoothedRttMs(): number | undefined {
    return this.srtt
  }
}
