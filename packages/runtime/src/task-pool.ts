import { MessageChannel } from 'node:worker_threads'
import * as Comlink from 'comlink'
import { Piscina } from 'piscina'
import { DEFAULT_ABORT_GRACE_MS, DEFAULT_TASK_MEMORY_MB, DEFAULT_THREADS } from './constants.ts'
import { memoryCheckpoints, type CheckpointStore } from './checkpoints.ts'
import {
  InvalidOptionError,
  TaskAbortedError,
  TaskFailedError,
  TaskOutOfMemoryError,
  TaskTimeoutError,
} from './errors.ts'
import { isStartedNotice, type AbortRequest, type HostApi } from './host-api.ts'
import type { WorkerOutcome, WorkerTask } from './worker-protocol.ts'

/** Options of {@link createTaskPool}; all are optional. */
export interface TaskPoolInit {
  /** Worker threads. @default every core but one, at least one */
  threads?: number
  /** Deadline of one task in ms; 0 means none. @default 0 */
  taskTimeoutMs?: number
  /** Heap limit of each worker thread in MiB. @default 512 */
  memoryMb?: number
  /** How long an aborted task may take to honour `ctx.signal` before its worker is terminated. @default 1000 */
  abortGraceMs?: number
  /** Where `ctx.checkpoint` saves and `ctx.restore` reads. @default in memory */
  checkpoints?: CheckpointStore
}

/** One task for the pool. */
export interface TaskRequest {
  /** Path of the bundled workload module. */
  bundle: string
  input: unknown
  /** Names the task's checkpoints, so a rerun of the same task resumes; without it, they are not kept. */
  checkpointKey?: string
}

/** Per-run callbacks and cancellation. */
export interface RunTaskOptions {
  signal?: AbortSignal
  onProgress?(fraction: number): void
  onLog?(message: string): void
}

/** A pool of worker threads that runs workload tasks. */
export interface TaskPool {
  readonly threads: number
  start(): void
  /** Ends the workers; tasks still running are aborted. */
  stop(): Promise<void>
  /**
   * Runs one task and returns its output.
   *
   * @throws TaskFailedError, TaskTimeoutError, TaskOutOfMemoryError or TaskAbortedError
   */
  run(task: TaskRequest, options?: RunTaskOptions): Promise<unknown>
}

const WORKER_FILE = new URL('./worker.js', import.meta.url).href

class PiscinaTaskPool implements TaskPool {
  readonly threads: number
  private readonly taskTimeoutMs: number
  private readonly memoryMb: number
  private readonly abortGraceMs: number
  private readonly checkpoints: CheckpointStore
  private pool: Piscina<WorkerTask, WorkerOutcome> | undefined

  constructor(init: TaskPoolInit) {
    this.threads = positiveInteger('threads', init.threads ?? DEFAULT_THREADS)
    this.taskTimeoutMs = nonNegative('taskTimeoutMs', init.taskTimeoutMs ?? 0)
    this.memoryMb = positiveInteger('memoryMb', init.memoryMb ?? DEFAULT_TASK_MEMORY_MB)
    this.abortGraceMs = nonNegative('abortGraceMs', init.abortGraceMs ?? DEFAULT_ABORT_GRACE_MS)
    this.checkpoints = init.checkpoints ?? memoryCheckpoints()
  }

  start(): void {
    this.pool ??= new Piscina({
      filename: WORKER_FILE,
      minThreads: this.threads,
      maxThreads: this.threads,
      resourceLimits: { maxOldGenerationSizeMb: this.memoryMb },
    })
  }

  async stop(): Promise<void> {
    const pool = this.pool
    this.pool = undefined
    await pool?.destroy()
  }

  async run(task: TaskRequest, options: RunTaskOptions = {}): Promise<unknown> {
    if (this.pool === undefined) throw new InvalidOptionError('the task pool is not started')
    options.signal?.throwIfAborted()
    const { port1, port2 } = new MessageChannel()
    let ephemeral: unknown
    const key = task.checkpointKey
    const host: HostApi = {
      progress: (fraction) => options.onProgress?.(clamp(Number(fraction))),
      log: (message) => options.onLog?.(String(message)),
      checkpoint: async (state) => {
        if (key === undefined) ephemeral = state
        else await this.checkpoints.save(key, state)
      },
      restore: async () => (key === undefined ? ephemeral : this.checkpoints.load(key)),
      flush: () => {},
    }
    Comlink.expose(host, port1)

    // Two steps to stop a task: ask it through ctx.signal, then terminate its worker.
    const terminate = new AbortController()
    let stopReason: 'timeout' | 'aborted' | undefined
    let graceTimer: NodeJS.Timeout | undefined
    const stop = (reason: 'timeout' | 'aborted', message: string): void => {
      if (stopReason !== undefined) return
      stopReason = reason
      const request: AbortRequest = {
        p2pcAbort: { name: reason === 'timeout' ? 'TimeoutError' : 'AbortError', message },
      }
      port1.postMessage(request)
      graceTimer = setTimeout(() => terminate.abort(), this.abortGraceMs)
    }
    // The deadline runs from the moment a worker starts the task, not while it waits in the queue.
    let timeoutTimer: NodeJS.Timeout | undefined
    let settled = false
    if (this.taskTimeoutMs > 0) {
      port1.on('message', (data: unknown) => {
        if (!isStartedNotice(data) || settled || timeoutTimer !== undefined) return
        timeoutTimer = setTimeout(
          () => stop('timeout', `the task ran longer than ${this.taskTimeoutMs} ms`),
          this.taskTimeoutMs,
        )
      })
    }
    const onCallerAbort = (): void => stop('aborted', 'the task was aborted')
    options.signal?.addEventListener('abort', onCallerAbort, { once: true })

    try {
      let outcome: WorkerOutcome
      try {
        outcome = await this.pool.run(
          { bundle: task.bundle, input: task.input, port: port2, notifyStart: this.taskTimeoutMs > 0 },
          { transferList: [port2], signal: terminate.signal },
        )
      } catch (err) {
        throw this.translateWorkerDeath(err, stopReason)
      }
      if (stopReason === 'timeout') throw this.timeoutError()
      if (stopReason === 'aborted') throw new TaskAbortedError()
      if (!outcome.ok) {
        throw new TaskFailedError(`${outcome.error.name}: ${outcome.error.message}`, outcome.error.name)
      }
      return outcome.output
    } finally {
      settled = true
      clearTimeout(timeoutTimer)
      clearTimeout(graceTimer)
      options.signal?.removeEventListener('abort', onCallerAbort)
      port1.close()
    }
  }

  private translateWorkerDeath(err: unknown, stopReason: 'timeout' | 'aborted' | undefined): Error {
    if (stopReason === 'timeout') return this.timeoutError()
    if (stopReason === 'aborted') return new TaskAbortedError()
    const { code, message } = err as { code?: string; message?: string }
    if (code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return new TaskOutOfMemoryError(`the task exceeded its memory limit of ${this.memoryMb} MiB`)
    }
    return new TaskFailedError(`the task's worker died: ${message ?? String(err)}`, 'WorkerError')
  }

  private timeoutError(): TaskTimeoutError {
    return new TaskTimeoutError(`the task did not finish within ${this.taskTimeoutMs} ms`)
  }
}

/**
 * Creates a pool of worker threads for workload tasks.
 *
 * @example
 * ```ts
 * const pool = createTaskPool({ threads: 2, taskTimeoutMs: 30_000 })
 * pool.start()
 * const output = await pool.run({ bundle: bundle.path, input: { from: 0, to: 1000 } })
 * await pool.stop()
 * ```
 */
export function createTaskPool(init: TaskPoolInit = {}): TaskPool {
  return new PiscinaTaskPool(init)
}

function clamp(fraction: number): number {
  return Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0
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
