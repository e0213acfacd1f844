import type { PeerStatus } from '@p2pc/node'
import { heldBack } from './controls.ts'
import { runningTaskLines } from './running-tasks.ts'

export { shortId } from './running-tasks.ts'

/**
 * The lines of contribute's live status on a terminal, e.g.
 * `peers 3 · jobs 1 · running 2 · done 17 · failed 0 · credit 42.1 s` (done and failed over the
 * peer's whole life), then what holds its work back (a pause, a finish, suspended jobs), if
 * anything does, then one line per running task, with its progress and the time it may still
 * take when the workload reports progress, and the last failure `lastFailure` seen. While
 * `draining` (until when the running tasks may finish), a line that says so comes first.
 */
export function formatContributeStatus(
  status: PeerStatus,
  lastFailure: string | undefined,
  now: number,
  draining?: { until: number },
): string[] {
  const lines = [
    [
      `peers ${new Set(status.connections.map((c) => c.peer)).size}`,
      `jobs ${status.jobs}`,
      `running ${status.running}`,
      `done ${status.done}`,
      `failed ${status.failed}`,
      `credit ${status.credit.toFixed(1)} s`,
    ].join(' · '),
  ]
  if (draining !== undefined) {
    const left = Math.max(0, Math.ceil((draining.until - now) / 1000))
    lines.unshift(
      status.running === 0
        ? 'draining: no task runs any more; giving back the other claims'
        : `draining: ${status.running} running ${status.running === 1 ? 'task has' : 'tasks have'} ${left}s left to finish; checkpoints are kept`,
    )
  }
  const held = heldBack(status)
  if (held !== undefined) lines.push(held)
  lines.push(...runningTaskLines(status.tasks))
  if (lastFailure !== undefined) lines.push(`last failure: ${lastFailure}`)
  return lines
}

/**
 * What to write to replace a block of `previous` lines drawn last time with `lines`: the cursor
 * goes back up to the block's first line, clears to the end of the screen and draws again. Lines
 * are cut to the terminal's width, since a wrapped line would throw the count off.
 */
export function redrawBlock(previous: number, lines: readonly string[], columns: number): string {
  const up = previous > 0 ? `\u001b[${previous}A` : ''
  const width = Math.max(1, columns - 1)
  const body = lines.map((line) => (line.length > width ? `${line.slice(0, width - 1)}…` : line)).join('\n')
  return `${up}\r\u001b[J${body}\n`
}
