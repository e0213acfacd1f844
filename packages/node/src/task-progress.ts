import type { RunningTaskStatus } from './peer-types.ts'

/** What the runner knows of a task a worker runs: when it began, and its last `ctx.progress`. */
export interface TaskProgressState {
  jobId: string
  task: number
  startedAt: number
  progress: { fraction: number; at: number } | undefined
}

/**
 * A running task as status shows it. The estimate assumes the task goes on at the mean rate it
 * reported so far (its progress over the time from its start to its last report), less the time
 * since that report; a task that reported no progress yet, or none above zero, has none.
 */
export function runningTaskStatus(state: TaskProgressState, now: number): RunningTaskStatus {
  const status: RunningTaskStatus = {
    jobId: state.jobId,
    task: state.task,
    runningMs: Math.max(0, now - state.startedAt),
  }
  const progress = state.progress
  if (progress === undefined) return status
  status.progress = progress.fraction
  if (progress.fraction <= 0) return status
  const perFraction = Math.max(0, progress.at - state.startedAt) / progress.fraction
  const left = perFraction * (1 - progress.fraction) - Math.max(0, now - progress.at)
  status.etaMs = Math.max(0, Math.round(left))
  return status
}
