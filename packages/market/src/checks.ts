import { CREDIBLE_AFTER_CHECKS } from './constants.ts'

/** What one spot-checked task says of its signers: who agreed with the publisher, who did not. */
export interface CheckVerdict {
  /** Signers (the publisher left out) whose output is in the class of the publisher's own answer. */
  passed: readonly string[]
  /** Signers whose output is outside it: signed evidence that they answered wrong. */
  caught: readonly string[]
}

/** A signer's record with one publisher's spot checks. */
interface CheckRecord {
  passed: number
  caught: number
}

/**
 * Spot checks passed and failed, per publisher and signer: a pure function of the envelope set,
 * kept up to date as the verdicts of checked tasks change.
 *
 * Records are per publisher because a publisher is a free identity too: a record with one
 * publisher counts only in that publisher's jobs, so a publisher that "checks" its own Sybils
 * lends them nothing elsewhere, and one that lies about a task frames nobody outside its jobs.
 */
export class SpotChecks {
  private readonly records = new Map<string, Map<string, CheckRecord>>()
  /** Per publisher, the signers whose caught or credible state changed since the last `takeChanged`. */
  private changed = new Map<string, Set<string>>()

  /** Whether a signer gave an output other than the publisher's on one of its spot checks. */
  isCaught(publisher: string, signer: string): boolean {
    return (this.records.get(publisher)?.get(signer)?.caught ?? 0) > 0
  }

  /** Spot checks of the publisher the signer passed. */
  passed(publisher: string, signer: string): number {
    return this.records.get(publisher)?.get(signer)?.passed ?? 0
  }

  /**
   * Whether the signer's word alone may validate a task of this publisher's adaptive jobs: it
   * passed at least {@link CREDIBLE_AFTER_CHECKS} of its spot checks and was never caught. (The
   * market also asks that it is not blocked.)
   */
  isCredible(publisher: string, signer: string): boolean {
    const record = this.records.get(publisher)?.get(signer)
    return record !== undefined && record.caught === 0 && record.passed >= CREDIBLE_AFTER_CHECKS
  }

  /** Moves one checked task's verdict from its previous value to its new one. */
  update(publisher: string, previous: CheckVerdict | undefined, next: CheckVerdict | undefined): void {
    if (previous === undefined && next === undefined) return
    const before = new Map<string, [boolean, boolean]>()
    const touched = new Set([...signersOf(previous), ...signersOf(next)])
    for (const signer of touched) {
      before.set(signer, [this.isCaught(publisher, signer), this.isCredible(publisher, signer)])
    }
    if (previous !== undefined) this.apply(publisher, previous, -1)
    if (next !== undefined) this.apply(publisher, next, 1)
    for (const [signer, [caught, credible]] of before) {
      if (caught !== this.isCaught(publisher, signer) || credible !== this.isCredible(publisher, signer)) {
        let signers = this.changed.get(publisher)
        if (signers === undefined) this.changed.set(publisher, (signers = new Set()))
        signers.add(signer)
      }
    }
  }

  /** The signers, per publisher, whose caught or credible state changed since the last call. */
  takeChanged(): Map<string, Set<string>> {
    const changed = this.changed
    this.changed = new Map()
    return changed
  }

  private apply(publisher: string, verdict: CheckVerdict, sign: 1 | -1): void {
    let bySigner = this.records.get(publisher)
    if (bySigner === undefined) this.records.set(publisher, (bySigner = new Map()))
    for (const signer of verdict.passed) record(bySigner, signer).passed += sign
    for (const signer of verdict.caught) record(bySigner, signer).caught += sign
  }
}

function record(bySigner: Map<string, CheckRecord>, signer: string): CheckRecord {
  let found = bySigner.get(signer)
  if (found === undefined) bySigner.set(signer, (found = { passed: 0, caught: 0 }))
  return found
}

function signersOf(verdict: CheckVerdict | undefined): string[] {
  return verdict === undefined ? [] : [...verdict.passed, ...verdict.caught]
}
