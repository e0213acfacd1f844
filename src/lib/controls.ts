import { join } from 'node:path'
import {
  CONTROL_SOCKET,
  controlClient,
  probeControl,
  type ControlsStatus,
  type PeerApi,
  type PeerStatus,
} from '@p2pc/node'
import { UsageError } from '../errors.ts'

/**
 * The control API of the peer running on a data dir, for the controls that act on it alone
 * (`pause`, `resume`, `finish`, `job …`): starting a peer to pause it would make no sense.
 *
 * @throws UsageError when no peer runs there
 */
export async function runningPeer(dataDir: string): Promise<PeerApi> {
  const socket = join(dataDir, CONTROL_SOCKET)
  if (!(await probeControl(socket))) throw new UsageError(`no p2pc peer runs on the data dir ${dataDir}`)
  return controlClient(socket)
}

/** The peer running on a data dir, if one does: `trust add` and `remove` tell it too. */
export async function runningPeerIfAny(dataDir: string): Promise<PeerApi | undefined> {
  const socket = join(dataDir, CONTROL_SOCKET)
  return (await probeControl(socket)) ? controlClient(socket) : undefined
}

/** Why a contributor's tasks are paused, in words. */
export const PAUSED: Record<NonNullable<PeerStatus['paused']>, string> = {
  'idle-only': 'the machine is busy',
  'on-battery': 'on battery',
  volunteer: 'by the volunteer',
  'disk-full': 'the disk is full',
}

/** What holds a contributor's work back, in one line for its live status; undefined when nothing does. */
export function heldBack(status: PeerStatus): string | undefined {
  const parts: string[] = []
  // The volunteer's pause is said by the controls, with until when.
  if (status.paused !== undefined && status.paused !== 'volunteer')
    parts.push(`paused (${PAUSED[status.paused]})`)
  if (status.controls !== undefined) {
    const controls = describeControls(status.controls)
    if (controls !== TAKING_TASKS) parts.push(controls)
  }
  return parts.length === 0 ? undefined : parts.join('; ')
}

const TAKING_TASKS = 'taking tasks'

/** What the volunteer's controls hold now, in one line, e.g. `paused until 2026-12-02T18:00:00.000Z`. */
export function describeControls(status: ControlsStatus): string {
  const parts: string[] = []
  if (status.pausedUntil === null) parts.push('paused until `p2pc resume`')
  else if (status.pausedUntil !== undefined)
    parts.push(`paused until ${new Date(status.pausedUntil).toISOString()}`)
  if (status.finishing) parts.push('finishing its tasks, taking no new ones until `p2pc resume`')
  if (status.suspendedJobs.length > 0) parts.push(`jobs suspended: ${status.suspendedJobs.join(' ')}`)
  if (status.abortedJobs.length > 0) parts.push(`jobs aborted: ${status.abortedJobs.join(' ')}`)
  return parts.length === 0 ? TAKING_TASKS : parts.join('; ')
}

/** `p2pc finish` and `p2pc contribute --no-new-tasks`: the running contributor finishes its tasks, then idles. */
export async function finishRunningContributor(dataDir: string, json: boolean): Promise<void> {
  const status = await (await runningPeer(dataDir)).finish()
  if (json) process.stdout.write(`${JSON.stringify(status)}\n`)
  else process.stderr.write(`p2pc: ${describeControls(status)}\n`)
}
