/**
 * Global limit on new connections per second (`--rate`): a token bucket holding at most one token, so over any
 * one-second window at most rate + 1 connections start, however many devices are scanned at once. Waiters are
 * served in arrival order; each reservation is a time slot, so no timer polls.
 */
export class RateLimiter {
  private nextSlot = 0
  /** Connections that had to wait for a token (reported as evidence the limit acted). */
  delayed = 0
  granted = 0

  constructor(
    readonly perSecond: number,
    private readonly clock: () => number = () => performance.now(),
  ) {
    if (!(perSecond > 0) || !Number.isFinite(perSecond)) throw new RangeError(`rate must be a positive number (got ${perSecond})`)
  }

  /** Resolves when the caller may open one connection; rejects with the signal's reason if aborted first. */
  async acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw signal.reason ?? new Error('aborted')
    const now = this.clock()
    const slot = Math.max(now, this.nextSlot)
    this.nextSlot = slot + 1000 / this.perSecond
    this.granted++
    if (slot <= now) return
    this.delayed++
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, slot - now)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal?.reason ?? new Error('aborted'))
      }
      signal?.addEventListener('abort', onAbort, {once: true})
    })
  }
}
