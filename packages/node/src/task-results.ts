import type { Market, Verified } from '@p2pc/market'
import { decode, type Json } from '@p2pc/protocol'
import { UnknownJobError } from './errors.ts'

/** One task of a job as `peer.taskResults()` lists it, and `p2pc results --csv` prints it. */
export interface TaskResult {
  index: number
  status: 'validated' | 'failed' | 'pending'
  /** The winning output; present only once the task is validated. */
  output?: Json
  /**
   * How a validated task was verified: by a `quorum` of agreeing contributors, by the publisher's
   * spot check (`checked`), by one contributor with a clean record alone (`single`), or by the
   * publisher's seal of a vote it saw (`sealed`).
   */
  verified?: Verified
}

/** What {@link taskResults} needs of a peer. */
export interface TaskResultsComponents {
  market: Pick<Market, 'job' | 'task'>
  /** Reads an output that travelled by CID only: from the store, else from peers. */
  blob(cid: string): Promise<Uint8Array>
  now: number
}

/**
 * Every task of a job in index order, with its status and, once validated, its output.
 *
 * @throws UnknownJobError when the job's announce is unknown
 */
export async function taskResults(jobId: string, components: TaskResultsComponents): Promise<TaskResult[]> {
  const { market, now } = components
  const view = market.job(jobId)
  if (view === undefined) throw new UnknownJobError(`this peer knows no job ${jobId}`)
  const rows: TaskResult[] = []
  for (let index = 0; index < view.announce.taskCount; index++) {
    const { status, outputHash, output, verified } = market.task(jobId, index, now)!.tally
    if (status !== 'validated' || outputHash === undefined) rows.push({ index, status })
    else {
      // A null output is an output: only an undefined one travelled by CID.
      const value = output !== undefined ? output : (decode(await components.blob(outputHash)) as Json)
      rows.push(
        verified === undefined
          ? { index, status, output: value }
          : { index, status, output: value, verified },
      )
    }
  }
  return rows
}
