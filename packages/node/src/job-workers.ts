import type { MessageType } from '@p2pc/protocol'

/** Distinct workers counted at most per job: far above any quorum, and a bound on what fresh keys cost. */
const MAX_WORKERS_PER_JOB = 1000

/**
 * Who works on this peer's own jobs: the distinct signers of their claims and results.
 *
 * That is how a publisher learns which contributors trust it. Contributors announce nothing
 * else (a trust list is its owner's), and a contributor runs only trusted publishers' jobs, so a
 * claim or a result on a job is its signer saying it trusts the publisher (or trusts anyone);
 * and a claim goes out within a tick of a contributor hearing of the job, long before a result.
 * Claims are hints and are not kept, so after a restart only the result signers in the log are
 * counted until new claims come in.
 */
export class JobWorkers {
  private readonly workers = new Map<string, Set<string>>()

  /** Counts the signer of a message of `jobId`, if it is a claim or a result of a job this peer tracks. */
  saw(jobId: string, signer: string, kind: MessageType): void {
    if (kind !== 'Claim' && kind !== 'Result' && kind !== 'ResultBatch') return
    const seen = this.workers.get(jobId)
    if (seen !== undefined && seen.size < MAX_WORKERS_PER_JOB) seen.add(signer)
  }

  /** Starts counting a job's workers (one of this peer's own). */
  track(jobId: string): void {
    if (!this.workers.has(jobId)) this.workers.set(jobId, new Set())
  }

  /** Distinct workers seen on a job; undefined for a job not tracked. */
  count(jobId: string): number | undefined {
    return this.workers.get(jobId)?.size
  }
}
