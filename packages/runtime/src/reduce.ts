import type { Workload } from '@p2pc/sdk'
import { ReduceFailedError } from './errors.ts'

const POOL_ERRORS = new Set([
  'TaskFailedError',
  'TaskTimeoutError',
  'TaskOutOfMemoryError',
  'TaskAbortedError',
  'InvalidOutputError',
])

/**
 * The error to show for a workload's `reduce` that failed, naming reduce and the workload: `err`
 * is what reduce threw here, or what a pool's evaluation of it answered.
 */
export function reduceFailure(workload: string, err: unknown): ReduceFailedError {
  const error = err as { name?: unknown; message?: unknown; causeName?: unknown } | null
  const name = typeof error?.name === 'string' ? error.name : 'Error'
  const message = typeof error?.message === 'string' ? error.message : String(err)
  // A pool's errors are sentences already ("TypeError: …", "the task did not finish…").
  const pooled = POOL_ERRORS.has(name)
  const causeName = pooled && typeof error?.causeName === 'string' ? error.causeName : name
  return new ReduceFailedError(
    `the reduce of workload ${workload} failed: ${pooled ? message : `${name}: ${message}`}`,
    causeName,
  )
}

/**
 * Calls a workload's `reduce` in this process.
 *
 * @throws ReduceFailedError naming the workload when reduce throws or rejects
 */
export async function reduceHere(
  workload: Workload,
  name: string,
  results: Parameters<Workload['reduce']>[0],
  params: unknown,
  failed: Parameters<Workload['reduce']>[2],
): Promise<unknown> {
  try {
    return await workload.reduce(results, params, failed)
  } catch (err) {
    throw reduceFailure(name, err)
  }
}
