import { join } from 'node:path'
import { CONTROL_SOCKET, controlClient, probeControl, type Peer } from '@p2pc/node'
import { UsageError } from '../errors.ts'
import { untilSignal } from './run-until-signal.ts'

/** What contribute says when a second signal stops it in the middle of a drain. */
export const STOPPED_AT_ONCE =
  'stopped without finishing: running tasks were cut short (their checkpoints are kept for the next start), and claims not yet given back lapse when their lease ends'

/**
 * Runs a contributing peer until it is asked to stop, then stops it politely: on the first
 * SIGINT or SIGTERM, or a drain asked through the control API (`p2pc contribute --drain`), it
 * lets running tasks finish or checkpoint and gives back its other claims; a second signal
 * ends the process at once, with one line ({@link STOPPED_AT_ONCE}) after `freeze` has frozen
 * whatever draws the status.
 */
export async function contributeUntilStopped(
  peer: Peer,
  say: (line: string) => void,
  freeze: () => void = () => {},
): Promise<void> {
  const drainedRemotely = new Promise<'drained'>((resolve) =>
    peer.addEventListener('drained', () => resolve('drained'), { once: true }),
  )
  const reason = await Promise.race([
    untilSignal({
      onFirst: () => say('draining: finishing running tasks, giving back the others (again to stop at once)'),
      onSecond: () => {
        freeze()
        say(STOPPED_AT_ONCE)
      },
    }),
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
