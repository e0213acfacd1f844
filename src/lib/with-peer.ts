import { join } from 'node:path'
import {
  CONTROL_SOCKET,
  controlClient,
  createPeer,
  localPeerApi,
  probeControl,
  type PeerApi,
  type PeerInit,
} from '@p2pc/node'

/**
 * Runs `work` against the peer of a data dir: the running one through its control API, or,
 * when none runs, a peer started here for as long as `work` needs it.
 */
export async function withPeer<T>(
  dataDir: string,
  init: Omit<PeerInit, 'dataDir'>,
  work: (api: PeerApi, owned: boolean) => Promise<T>,
): Promise<T> {
  const socket = join(dataDir, CONTROL_SOCKET)
  if (await probeControl(socket)) return work(controlClient(socket), false)
  const peer = createPeer({ ...init, dataDir })
  await peer.start()
  try {
    return await work(localPeerApi(peer), true)
  } finally {
    await peer.stop()
  }
}
