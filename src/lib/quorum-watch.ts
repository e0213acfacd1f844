import { setTimeout as sleep } from 'node:timers/promises'
import type { PeerApi } from '@p2pc/node'

/** How long `publish` watches a new job for contributors before it says that its quorum is out of reach. */
export const QUORUM_WATCH_MS = 10_000

const POLL_MS = 250

/** A job that fewer distinct peers work on than its quorum needs, as {@link watchQuorum} found it. */
export interface QuorumShortfall {
  jobId: string
  publisher: string
  quorum: number
  total: number
  /** Distinct peers seen working on the job: signers of its claims and results. */
  workers: number
  /** Peers this peer was connected to at the end of the watch. */
  connections: number
}

/**
 * Watches one of the peer's own jobs, just published, for `timeoutMs`: resolves undefined as
 * soon as as many distinct peers as its quorum work on it, or a task validates, else with the shortfall. Who works
 * on a job is the peer's count of distinct claim and result signers (`JobSummary.workers`):
 * contributors run only the jobs of publishers they trust, and claim within a tick of hearing of
 * one, so a claim is the first thing a contributor that trusts the publisher says.
 */
export async function watchQuorum(
  api: PeerApi,
  jobId: string,
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<QuorumShortfall | undefined> {
  const end = Date.now() + (options.timeoutMs ?? QUORUM_WATCH_MS)
  for (;;) {
    const job = (await api.jobs()).find((candidate) => candidate.jobId === jobId)
    if (job === undefined || job.status === 'complete' || (job.workers ?? 0) >= job.quorum) return undefined
    // Tasks validate: whatever the count (an adaptive job trusts a contributor with a record alone,
    // and the publisher's own checks decide tasks), --wait would not stall.
    if (job.tasks.validated > 0) return undefined
    if (Date.now() >= end) {
      const { connections } = await api.status()
      return {
        jobId,
        publisher: job.publisher,
        quorum: job.quorum,
        total: job.tasks.total,
        workers: job.workers ?? 0,
        connections: new Set(connections.map((connection) => connection.peer)).size,
      }
    }
    await sleep(POLL_MS, undefined, { signal: options.signal })
  }
}

/** The one-line warning for a quorum out of reach: why, and why `--wait` would stall. */
export function quorumWarning(shortfall: QuorumShortfall, watchedMs = QUORUM_WATCH_MS): string {
  const { quorum, workers, connections, publisher, total } = shortfall
  const seen =
    connections === 0
      ? `this peer is connected to no other peer, ${workers === 0 ? 'so no one works on the job' : 'and works on the job alone'}`
      : `${workers} ${workers === 1 ? 'peer' : 'peers'} worked on the job in ${watchedMs / 1000} s (claims or results; ${connections} connected)`
  const more = quorum - workers
  return (
    `warning: quorum of ${quorum} out of reach: ${seen}; a task validates only once ${quorum} distinct peers agree on it, ` +
    `so --wait would stay at 0/${total} until ${more} more ${more === 1 ? 'contributor trusts' : 'contributors trust'} ${publisher} (\`p2pc trust add ${publisher}\` on theirs)`
  )
}
