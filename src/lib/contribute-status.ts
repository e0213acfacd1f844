import type { PeerStatus } from '@p2pc/node'

/** What `p2pc contribute` counts from its peer's task events. */
export interface ContributeCounters {
  /** Tasks this peer finished and published a result for. */
  done: number
  failed: number
  /** Tasks started and not yet done or failed, oldest first; `since` in ms. */
  running: ReadonlyArray<{ jobId: string; task: number; since: number }>
  /** The last failure, as `task N of job …: message`. */
  lastFailure?: string
}

/** Running tasks listed one per line; more are summed up in one line. */
const MAX_TASK_LINES = 8

/**
 * The lines of contribute's live status on a terminal, e.g.
 * `peers 3 · jobs 1 · running 2 · done 17 · failed 0 · credit 42.1 s`, then one line per running task;
 * while `draining` (until when the running tasks may finish), a line that says so comes first.
 */
export function formatContributeStatus(
  status: PeerStatus,
  counters: ContributeCounters,
  now: number,
  draining?: { until: number },
): string[] {
  const lines = [
    [
      `peers ${new Set(status.connections.map((c) => c.peer)).size}`,
      `jobs ${status.jobs}`,
      `running ${status.running}`,
      `done ${counters.done}`,
      `failed ${counters.failed}`,
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
  for (const { jobId, task, since } of counters.running.slice(0, MAX_TASK_LINES)) {
    lines.push(`  task ${task} of job ${shortId(jobId)}  ${formatElapsed(now - since)}`)
  }
  if (counters.running.length > MAX_TASK_LINES) {
    lines.push(`  and ${counters.running.length - MAX_TASK_LINES} more`)
  }
  if (counters.lastFailure !== undefined) lines.push(`last failure: ${counters.lastFailure}`)
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

/** The end of a job id, enough to tell jobs apart on one screen. */
export function shortId(jobId: string): string {
  return jobId.length > 12 ? `…${jobId.slice(-10)}` : jobId
}

function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`
}
