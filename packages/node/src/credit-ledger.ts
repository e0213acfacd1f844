import type { Market } from '@p2pc/market'
import type { CreditEntry, Store } from '@p2pc/store'
import type { CreditReport } from './peer-types.ts'

export interface CreditLedgerInit {
  market: Pick<Market, 'self' | 'signer' | 'signers' | 'jobIds' | 'job'>
  store: Pick<Store, 'creditHistory' | 'addToCreditHistory'>
  /** Runs a write that may fail on a full disk; the credit is then recorded by the next one. @default runs it */
  attempt?(write: () => void): void
}

/**
 * This peer's credit history, kept in the store: the credit the market has validated for this
 * peer's identity, per job, compared with what the history holds, the difference going to the
 * day (UTC) of the comparison. So credit is dated when this peer learnt of it, a replayed log adds
 * nothing, and a job the market has forgotten keeps the credit it earned. The market decides what
 * credit is; this only writes it down.
 */
export class CreditLedger {
  private readonly init: CreditLedgerInit
  /** Credit the history holds per job. */
  private readonly recorded = new Map<string, number>()
  private entries: CreditEntry[] = []
  /** The market's total for this peer at the last comparison that was written. */
  private lastTotal: number | undefined

  constructor(init: CreditLedgerInit) {
    this.init = init
  }

  /** Reads the history from the store, which must be started. */
  start(): void {
    this.entries = this.init.store.creditHistory()
    this.recorded.clear()
    for (const { jobId, creditMs } of this.entries) {
      this.recorded.set(jobId, (this.recorded.get(jobId) ?? 0) + creditMs)
    }
    this.lastTotal = undefined
  }

  /**
   * Writes down, under the day of `now`, what the market has validated for this peer since the
   * last time. Cheap when nothing changed: it looks at every job only when the total has moved.
   */
  record(now: number): void {
    const { market } = this.init
    const total = market.signer(market.self).creditMs
    if (total === this.lastTotal) return
    const byJob: Record<string, number> = {}
    for (const jobId of market.jobIds()) {
      const mine = market.signers(jobId).find((stats) => stats.peerId === market.self)?.creditMs ?? 0
      const change = mine - (this.recorded.get(jobId) ?? 0)
      if (change !== 0) byJob[jobId] = change
    }
    const day = utcDay(now)
    let written = Object.keys(byJob).length === 0
    if (!written) {
      const write = (): void => {
        this.init.store.addToCreditHistory(day, byJob)
        written = true
      }
      try {
        if (this.init.attempt === undefined) write()
        else this.init.attempt(write)
      } catch {
        // The store is stopping, or the write failed: the next comparison writes it.
      }
    }
    if (!written) return
    this.lastTotal = total
    for (const [jobId, creditMs] of Object.entries(byJob)) {
      this.recorded.set(jobId, (this.recorded.get(jobId) ?? 0) + creditMs)
      const entry = this.entries.find((e) => e.day === day && e.jobId === jobId)
      if (entry === undefined) this.entries.push({ day, jobId, creditMs })
      else entry.creditMs += creditMs
    }
  }

  /** The history per day and per job, in seconds, with its total. */
  report(): CreditReport {
    const entries = [...this.entries].sort(
      (a, b) => a.day.localeCompare(b.day) || a.jobId.localeCompare(b.jobId),
    )
    const job = (jobId: string, creditMs: number): CreditReport['jobs'][number] => {
      const name = this.init.market.job(jobId)?.announce.workload.name
      return { jobId, ...(name === undefined ? {} : { name }), credit: seconds(creditMs) }
    }
    const days = new Map<string, { ms: number; jobs: CreditReport['jobs'] }>()
    const jobs = new Map<string, number>()
    let totalMs = 0
    for (const { day, jobId, creditMs } of entries) {
      totalMs += creditMs
      const ofDay = days.get(day) ?? { ms: 0, jobs: [] }
      ofDay.ms += creditMs
      ofDay.jobs.push(job(jobId, creditMs))
      days.set(day, ofDay)
      jobs.set(jobId, (jobs.get(jobId) ?? 0) + creditMs)
    }
    return {
      total: seconds(totalMs),
      days: [...days].map(([day, { ms, jobs: ofDay }]) => ({ day, credit: seconds(ms), jobs: ofDay })),
      jobs: [...jobs]
        .map(([jobId, ms]) => job(jobId, ms))
        .sort((a, b) => b.credit - a.credit || a.jobId.localeCompare(b.jobId)),
    }
  }
}

/** Milliseconds as seconds, to the millisecond. */
function seconds(ms: number): number {
  return Math.round(ms) / 1000
}

/** The day of a time, `YYYY-MM-DD` in UTC. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10)
}
