import { MAX_TRACKED_CLAIMERS } from './constants.ts'

/** Where a claim stands once looked at again: still holding, answered, or run out unanswered. */
export type ClaimOutcome = 'live' | 'answered' | 'unanswered'

interface ClaimerRecord<C> {
  /** Claims still to be judged, once their lease is over. */
  pending: C[]
  unanswered: number
}

/**
 * Each claimer's count of claims that ran out unanswered. A claim is judged lazily, the next
 * time its claimer claims again, so that nothing scans on a timer: by then a late answer has
 * usually come, and counts as one. The claimers heard from longest ago are forgotten beyond
 * `MAX_TRACKED_CLAIMERS`, so fresh keys cannot grow it without bound.
 */
export class ClaimHistory<C> {
  private readonly records = new Map<string, ClaimerRecord<C>>()
  private readonly judge: (claim: C, claimer: string, now: number) => ClaimOutcome

  constructor(judge: (claim: C, claimer: string, now: number) => ClaimOutcome) {
    this.judge = judge
  }

  /** Remembers a claim to judge later. */
  add(claimer: string, claim: C): void {
    this.record(claimer).pending.push(claim)
  }

  /** The claimer's claims that ran out unanswered, its claims over by `now` judged first. */
  unanswered(claimer: string, now: number): number {
    const record = this.records.get(claimer)
    if (record === undefined) return 0
    const pending = record.pending.filter((claim) => {
      const outcome = this.judge(claim, claimer, now)
      if (outcome === 'unanswered') record.unanswered++
      return outcome === 'live'
    })
    record.pending = pending
    return record.unanswered
  }

  private record(claimer: string): ClaimerRecord<C> {
    let record = this.records.get(claimer)
    if (record !== undefined) {
      // Heard from again: it moves to the back of the line of those to forget.
      this.records.delete(claimer)
    } else {
      record = { pending: [], unanswered: 0 }
      if (this.records.size >= MAX_TRACKED_CLAIMERS) {
        this.records.delete(this.records.keys().next().value!)
      }
    }
    this.records.set(claimer, record)
    return record
  }
}
