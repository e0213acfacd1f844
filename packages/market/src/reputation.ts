import { BLOCK_MIN_INVALID } from './constants.ts'
import type { TaskTally } from './tally.ts'

/** A signer's record over settled tasks. */
export interface ReputationCounts {
  /** Results in the winning class of a validated task. */
  valid: number
  /** Results outside the winning class of a validated task. Failed tasks count for nobody. */
  invalid: number
}

/** What the market knows of one signer. */
export interface SignerStats extends ReputationCounts {
  /** Peer id of the signer. */
  peerId: string
  /** Credit for validated results only: the sum of each one's granted milliseconds (see `tallyTask`). */
  creditMs: number
  /** Whether the block rule holds: the signer's claims no longer hold tasks. */
  blocked: boolean
}

/** Decides from a signer's counts whether it is blocked. */
export type BlockRule = (counts: ReputationCounts) => boolean

/**
 * The default block rule: a signer is blocked while it has at least two invalid
 * results and more invalid than valid ones. One unlucky disagreement never blocks an
 * honest peer, a peer that is mostly wrong is blocked, and since the counts are a pure
 * function of the envelope set, every reader with the same envelopes blocks the same signers.
 */
export function defaultBlockRule(counts: ReputationCounts): boolean {
  return counts.invalid >= BLOCK_MIN_INVALID && counts.invalid > counts.valid
}

/** Mutable per-signer totals inside the market. */
export interface SignerRecord {
  valid: number
  invalid: number
  creditMs: number
  blocked: boolean
}

/** Per-signer totals, kept up to date as task tallies change. */
export class Reputation {
  private readonly records = new Map<string, SignerRecord>()
  private readonly rule: BlockRule
  /** Signers whose block state changed since the last `takeChanged`. */
  private changed = new Set<string>()

  constructor(rule: BlockRule) {
    this.rule = rule
  }

  isBlocked(peerId: string): boolean {
    return this.records.get(peerId)?.blocked === true
  }

  /** The signer's valid results, without building its stats. */
  valid(peerId: string): number {
    return this.records.get(peerId)?.valid ?? 0
  }

  stats(peerId: string): SignerStats {
    const record = this.records.get(peerId)
    return {
      peerId,
      valid: record?.valid ?? 0,
      invalid: record?.invalid ?? 0,
      creditMs: record?.creditMs ?? 0,
      blocked: record?.blocked ?? false,
    }
  }

  /** Signers with at least one valid or invalid result, by peer id. */
  all(): SignerStats[] {
    const counted = [...this.records]
      .filter(([, r]) => r.valid > 0 || r.invalid > 0)
      .map(([peerId]) => peerId)
    return counted.sort().map((peerId) => this.stats(peerId))
  }

  /** Moves the counts of one task from its previous tally to its new one. */
  update(previous: TaskTally | undefined, next: TaskTally | undefined): void {
    const before = counts(previous) ? previous : undefined
    const after = counts(next) ? next : undefined
    if (before === undefined && after === undefined) return
    if (before !== undefined) this.apply(before, -1)
    if (after !== undefined) this.apply(after, 1)
    // Judge once both moves are done, so that a signer is never blocked in between.
    if (before !== undefined) this.judgeAll(before)
    if (after !== undefined) this.judgeAll(after)
  }

  /** The signers whose block state changed since the last call. */
  takeChanged(): Set<string> {
    const changed = this.changed
    this.changed = new Set()
    return changed
  }

  private apply(tally: TaskTally, sign: 1 | -1): void {
    if (tally.status === 'validated') {
      for (const signer of tally.valid) {
        const record = this.record(signer)
        record.valid += sign
        record.creditMs += sign * tally.creditMs
      }
      for (const signer of tally.invalid) this.record(signer).invalid += sign
    }
    // An output the workload's schema rejects is wrong whatever becomes of the task.
    for (const signer of tally.rejected) this.record(signer).invalid += sign
  }

  private judgeAll(tally: TaskTally): void {
    for (const signer of tally.valid) this.judge(signer)
    for (const signer of tally.invalid) this.judge(signer)
    for (const signer of tally.rejected) this.judge(signer)
  }

  private record(peerId: string): SignerRecord {
    let record = this.records.get(peerId)
    if (record === undefined) {
      record = { valid: 0, invalid: 0, creditMs: 0, blocked: false }
      this.records.set(peerId, record)
    }
    return record
  }

  private judge(peerId: string): void {
    const record = this.record(peerId)
    const blocked = this.rule(record)
    if (blocked !== record.blocked) this.changed.add(peerId)
    record.blocked = blocked
  }
}

/** Whether a tally moves anybody's counts: a validated task, or rejected outputs in any task. */
function counts(tally: TaskTally | undefined): tally is TaskTally {
  return tally !== undefined && (tally.status === 'validated' || tally.rejected.length > 0)
}
