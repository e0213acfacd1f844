import { UnknownJobError, type FirstSync, type PeerApi } from '@p2pc/node'
import { FIRST_SYNC_MS } from './with-peer.ts'

/**
 * What a reader (`results`, `jobs`) makes of its own peer's first sync (see `withPeer`'s
 * `sync`) before it answers.
 *
 * A job the data dir does not know, when no peer was synced with, is an error that says so, in
 * one sentence. Otherwise it returns the warning to print when the peer knows peers but none
 * synced with it: the answer is only what the data dir holds. A peer that knows no one has said
 * so already (the `lonely` sentence), or has no one to ask; a running peer (undefined) is online.
 *
 * @throws UnknownJobError when `jobId` is unknown here and the swarm could not be asked
 */
export async function checkReaderSync(
  api: PeerApi,
  sync: FirstSync | undefined,
  jobId?: string,
): Promise<string | undefined> {
  if (sync === undefined || sync === 'synced') return undefined
  const seconds = FIRST_SYNC_MS / 1000
  if (jobId !== undefined && !(await api.jobs()).some((job) => job.jobId === jobId)) {
    const why =
      sync === 'unreached'
        ? `and it reached no peer to sync with in ${seconds} s`
        : 'and it knows no peer to ask: pass --bootstrap MULTIADDR, or add one with `p2pc network add MULTIADDR`'
    throw new UnknownJobError(`this peer knows no job ${jobId}, ${why}`)
  }
  if (sync === 'unreached') {
    return `warning: reached no peer to sync with in ${seconds} s: this answer is only what the data dir holds`
  }
  return undefined
}
