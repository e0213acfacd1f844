import type { CheckpointStore } from './checkpoints.ts'
import { CheckpointThrottle } from './checkpoint-throttle.ts'
import type { HostApi } from './host-api.ts'

/** What the host side of one task's `ctx` needs. */
export interface TaskHostInit {
  checkpoints: CheckpointStore
  /** Names the task's checkpoints in the store; without it, they live as long as the run. */
  checkpointKey: string | undefined
  checkpointIntervalMs: number
  onProgress?(fraction: number): void
  onLog?(message: string): void
}

/**
 * Runs one task with the host side of its `ctx`, in the process that owns the pool: both pools
 * answer `ctx` with it, the in-process one through Comlink, the sandboxed one through the relay
 * in its child process. When the task ends, its checkpoints are settled before this returns.
 */
export async function withTaskHost<T>(init: TaskHostInit, run: (host: HostApi) => Promise<T>): Promise<T> {
  const key = init.checkpointKey
  const throttle =
    key === undefined
      ? undefined
      : new CheckpointThrottle((state) => init.checkpoints.save(key, state), init.checkpointIntervalMs)
  // Without a key nothing is stored, so there is nothing to spare either.
  let ephemeral: unknown
  const host: HostApi = {
    progress: (fraction) => init.onProgress?.(clamp(Number(fraction))),
    log: (message) => init.onLog?.(String(message)),
    checkpoint: async (state) => {
      if (throttle === undefined) ephemeral = state
      else await throttle.checkpoint(state)
    },
    restore: async () => {
      if (throttle === undefined || key === undefined) return ephemeral
      const pending = throttle.pendingState()
      return pending === undefined ? init.checkpoints.load(key) : pending.state
    },
    flush: () => {},
  }
  let failed = true
  try {
    const output = await run(host)
    failed = false
    return output
  } finally {
    await throttle?.close(failed)
  }
}

function clamp(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0
}
