import {
  DEFAULT_ABORT_GRACE_MS,
  DEFAULT_CHECKPOINT_INTERVAL_MS,
  DEFAULT_TASK_MEMORY_MB,
  DEFAULT_THREADS,
} from './constants.ts'
import { InvalidOptionError } from './errors.ts'
import type { TaskPoolInit } from './task-pool.ts'

/** What a worker pool needs to know, with every default applied: plain numbers, so they cross to the sandbox process. */
export interface WorkerPoolSettings {
  threads: number
  taskTimeoutMs: number
  memoryMb: number
  abortGraceMs: number
}

/** A pool's settings: the worker pool's, and the host side's checkpoint interval. */
export interface PoolSettings extends WorkerPoolSettings {
  checkpointIntervalMs: number
}

/**
 * Applies the defaults to a pool's options and checks them.
 *
 * @throws InvalidOptionError naming the option
 */
export function poolSettings(init: TaskPoolInit): PoolSettings {
  return {
    threads: positiveInteger('threads', init.threads ?? DEFAULT_THREADS),
    taskTimeoutMs: nonNegative('taskTimeoutMs', init.taskTimeoutMs ?? 0),
    memoryMb: positiveInteger('memoryMb', init.memoryMb ?? DEFAULT_TASK_MEMORY_MB),
    abortGraceMs: nonNegative('abortGraceMs', init.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS),
    checkpointIntervalMs: nonNegative(
      'checkpointIntervalMs',
      init.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
    ),
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidOptionError(`options.${name} must be a positive integer`)
  }
  return value
}

function nonNegative(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new InvalidOptionError(`options.${name} must be a number of at least 0`)
  }
  return value
}
