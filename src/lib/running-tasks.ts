import type { RunningTaskStatus } from '@p2pc/node'

/** Running tasks listed one per line; more are summed up in one line. */
const MAX_TASK_LINES = 8

/**
 * One line per running task, e.g. `  task 5 of job …ywgwkxijjq  1m 15s  40%  eta 1m 52s`: how
 * long it has run, and what it reported of its progress with the time it may still take.
 */
export function runningTaskLines(tasks: readonly RunningTaskStatus[]): string[] {
  const lines = tasks.slice(0, MAX_TASK_LINES).map((task) => {
    const parts = [`  task ${task.task} of job ${shortId(task.jobId)}`, formatElapsed(task.runningMs)]
    if (task.progress !== undefined) parts.push(`${Math.floor(task.progress * 100)}%`)
    if (task.etaMs !== undefined) parts.push(`eta ${formatElapsed(task.etaMs)}`)
    return parts.join('  ')
  })
  if (tasks.length > MAX_TASK_LINES) lines.push(`  and ${tasks.length - MAX_TASK_LINES} more`)
  return lines
}

/** The end of a job id, enough to tell jobs apart on one screen. */
export function shortId(jobId: string): string {
  return jobId.length > 12 ? `…${jobId.slice(-10)}` : jobId
}

/** A duration in whole seconds: `42s`, `3m 5s`, `2h 7m`. */
export function formatElapsed(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000))
  if (seconds < 60) return `${seconds}s`
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`
  return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m`
}
