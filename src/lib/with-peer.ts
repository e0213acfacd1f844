import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import {
  CONTROL_SOCKET,
  controlClient,
  createPeer,
  type FirstSync,
  localPeerApi,
  probeControl,
  type PeerApi,
  type PeerInit,
} from '@p2pc/node'
import { sayWhenLonely } from './peer-log.ts'

/** How long a command waits for the control API of a peer that holds the data dir but is still starting. */
const STARTING_PEER_MS = 10_000

/** How long a reader's own peer waits for its first sync with the swarm before it answers. */
export const FIRST_SYNC_MS = 10_000

/**
 * Runs `work` against the peer of a data dir: the running one through its control API, or,
 * when none runs, a peer started here for as long as `work` needs it. With `sync`, such a peer
 * first waits for its first sync with the swarm (at most {@link FIRST_SYNC_MS}), so that a
 * reader on a fresh data dir answers with what the swarm knows, and `work` learns how that
 * went; a running peer is online already, and `work` gets undefined.
 */
export async function withPeer<T>(
  dataDir: string,
  init: Omit<PeerInit, 'dataDir'>,
  work: (api: PeerApi, owned: boolean, sync: FirstSync | undefined) => Promise<T>,
  options: { sync?: boolean } = {},
): Promise<T> {
  const socket = join(dataDir, CONTROL_SOCKET)
  if (await probeControl(socket)) return work(controlClient(socket), false, undefined)
  const peer = createPeer({ ...init, dataDir })
  sayWhenLonely(peer)
  try {
    await peer.start()
  } catch (err) {
    // A peer that holds the data dir and does not answer yet is starting (replaying its log): wait for it.
    if ((err as Error).name !== 'PeerAlreadyRunningError' || !(await answersSoon(socket))) throw err
    return work(controlClient(socket), false, undefined)
  }
  try {
    const sync = options.sync === true ? await peer.firstSync({ timeoutMs: FIRST_SYNC_MS }) : undefined
    return await work(localPeerApi(peer), true, sync)
  } finally {
    await peer.stop()
  }
}

async function answersSoon(socket: string): Promise<boolean> {
  for (const end = Date.now() + STARTING_PEER_MS; Date.now() < end; await sleep(200)) {
    if (await probeControl(socket)) return true
  }
  return false
}
