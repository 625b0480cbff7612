/**
 * The per-device attempt budget: every service of a device draws candidate attempts from one counter, so a
 * device with SSH, Telnet and HTTP sees at most `limit` guesses in all (negative controls are not counted:
 * they are one per service and prove the method, not a guess).
 */
export class AttemptBudget {
  private used = 0

  constructor(readonly limit: number) {}

  /** Takes one attempt; false once the budget is spent. Synchronous, so concurrent services cannot overdraw. */
  take(): boolean {
    if (this.used >= this.limit) return false
    this.used++
    return true
  }

  get spent(): number {
    return this.used
  }
}
