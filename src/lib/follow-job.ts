import type { JobResults, PeerApi } from '@p2pc/node'
import { createProgressBar } from './progress-bar.ts'

const POLL_MS = 250

/**
 * Polls a job until every task is settled or its publisher cancelled it, drawing a progress bar on a terminal; returns its
 * results. Stops with the signal's reason when it is aborted.
 */
export async function followJob(
  api: PeerApi,
  jobId: string,
  options: { bar: boolean; signal?: AbortSignal },
): Promise<JobResults> {
  let results = await api.results(jobId)
  const bar = options.bar ? createProgressBar({ total: results.tasks.total }) : undefined
  while (results.status === 'open') {
    options.signal?.throwIfAborted()
    bar?.update(results.tasks.validated + results.tasks.failed)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    results = await api.results(jobId)
  }
  bar?.update(results.tasks.total)
  bar?.finish()
  return results
}
