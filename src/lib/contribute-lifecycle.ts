import { join } from 'node:path'
import { CONTROL_SOCKET, controlClient, probeControl, type Peer } from '@p2pc/node'
import { UsageError } from '../errors.ts'
import { untilSignal } from './run-until-signal.ts'

/**
 * Runs a contributing peer until it is asked to stop, then stops it politely: on the first
 * SIGINT or SIGTERM, or a drain asked through the control API (`p2pc contribute --drain`), it
 * lets running tasks finish or checkpoint and gives back its other claims; a second signal
 * ends the process at once.
 */
export async function contributeUntilStopped(peer: Peer, say: (line: string) => void): Promise<void> {
  const drainedRemotely = new Promise<'drained'>((resolve) =>
    peer.addEventListener('drained', () => resolve('drained'), { once: true }),
  )
  const reason = await Promise.race([
    untilSignal(() =>
      say('draining: finishing running tasks, giving back the others (again to stop at once)'),
    ),
    drainedRemotely,
  ])
  if (reason !== 'drained') await peer.drain()
  say('drained; stopping')
  await peer.stop()
}

/**
 * Asks the contributor running on a data dir to drain and stop, and waits until it has drained.
 *
 * @throws UsageError when no peer runs there
 */
export async function drainRunningContributor(dataDir: string): Promise<void> {
  const socket = join(dataDir, CONTROL_SOCKET)
  if (!(await probeControl(socket))) throw new UsageError(`no p2pc peer runs on the data dir ${dataDir}`)
  await controlClient(socket).drain()
}
