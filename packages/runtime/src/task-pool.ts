import { MessageChannel } from 'node:worker_threads'
import * as Comlink from 'comlink'
import { memoryCheckpoints, type CheckpointStore } from './checkpoints.ts'
import {
  InvalidOptionError,
  InvalidOutputError,
  TaskAbortedError,
  TaskFailedError,
  TaskOutOfMemoryError,
  TaskTimeoutError,
} from './errors.ts'
import { Governor, type PauseReason } from './governor.ts'
import { governorSettings, type GovernorInit, type GovernorSettings } from './governor-settings.ts'
import { isStartedNotice, type AbortRequest, type HostApi } from './host-api.ts'
import { PauseGate } from './pause-gate.ts'
import { poolSettings } from './pool-settings.ts'
import { TaskDeadline } from './task-deadline.ts'
import { withTaskHost } from './task-host.ts'
import {
  checkEvaluateCall,
  checkEvaluation,
  NO_HOST,
  type EvaluateCall,
  type EvaluateOptions,
} from './evaluate.ts'
import type { WorkerJob, WorkerOutcome } from './worker-protocol.ts'
import { WorkerSlots } from './worker-slots.ts'

/** Options of {@link createTaskPool}; all are optional. */
export interface TaskPoolInit {
  /**
   * Tasks that run at once, each in a worker thread of its bundle; as many idle threads again may
   * stay warm for their bundles. @default every core but one, at least one
   */
  threads?: number
  /** Deadline of one task in ms; 0 means none. @default 0 */
  taskTimeoutMs?: number
  /** Heap limit of each worker thread in MiB. @default 512 */
  memoryMb?: number
  /** How long an aborted task may take to honour `ctx.signal` before its worker is terminated. @default 1000 */
  abortGraceMs?: number
  /** Where `ctx.checkpoint` saves and `ctx.restore` reads. @default in memory */
  checkpoints?: CheckpointStore
  /**
   * Shortest time in ms between two saved checkpoints of one task. A checkpoint that comes sooner
   * is kept pending, replaced by newer ones, and saved when the interval has passed or when the
   * task fails or is aborted. @default 5000
   */
  checkpointIntervalMs?: number
  /**
   * Keep the pool out of the machine owner's way: a CPU cap, running only while the machine is
   * otherwise idle, pausing on battery. With a governor, the workers also run at the lowest
   * scheduling priority. @default none: the pool runs flat out at normal priority
   */
  governor?: GovernorInit
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
  /** Hears how long the task ran in its worker, in ms, not counting its wait in the queue. */
  onRunTime?(ms: number): void
  /**
   * Called once when a worker really begins the task, after its wait in the queue for a thread
   * (and, in the sandbox, for the sandbox process); never for a task that leaves the queue first.
   */
  onStart?(): void
}

/** What {@link PiscinaTaskPool.runJob} takes besides the job: cancellation and what the caller hears. */
export interface RunJobOptions {
  signal?: AbortSignal
  onRunTime?(ms: number): void
  onStart?(): void
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
  /**
   * Calls another of a bundle's functions, or reads what it declares, in a worker thread of the
   * pool like a task: the same threads bound to one bundle, deadline, heap limit and errors. So
   * a peer can validate and reduce a job without importing its bundle into its own process.
   *
   * @returns what {@link EvaluateCall} says for its `fn`, checked to have that shape
   * @throws InvalidOptionError for a malformed call; TaskFailedError, TaskTimeoutError,
   *   TaskOutOfMemoryError or TaskAbortedError as for `run`
   * @example
   * ```ts
   * const { hasEquals } = (await pool.evaluate(bundle, { fn: 'describe' })) as WorkloadDescription
   * const same = (await pool.evaluate(bundle, { fn: 'equals', pairs: [[a, b]] })) as boolean[]
   * ```
   */
  evaluate(bundle: string, call: EvaluateCall, options?: EvaluateOptions): Promise<unknown>
  /**
   * Why the governor holds the pool back now, if it does: the machine is busy (`idle-only`) or
   * on battery (`on-battery`). The short pauses of a CPU cap are not reported.
   */
  pausedFor?(): Exclude<PauseReason, 'max-cpu'> | undefined
  /**
   * Pauses the pool at its owner's word, the way the governor does (`pausedFor()` says
   * `volunteer`) until `resume()`: the sandboxed pool stops its process, tasks and all; the
   * in-process pool holds new tasks back. Safe to call twice.
   */
  pause?(): void
  /** Ends a pause of `pause()`; the governor's own reasons may still hold the pool. */
  resume?(): void
}

/** What only the pool inside the sandbox process is given. */
export interface PiscinaTaskPoolOptions {
  /**
   * The clock task deadlines are measured on, in ms. The sandbox's leaves out the time its
   * governor kept the process stopped. @default performance.now
   */
  clock?: () => number
  /**
   * The Node.js flags of the worker threads. The sandbox's have the permission model and no
   * `--allow-worker`. @default the flags of this process
   */
  execArgv?: string[]
}

const WORKER_FILE = new URL('./worker.js', import.meta.url).href

/**
 * The Piscina pool and the life of a task in it: deadline, abort, errors. It runs in the
 * contributor's process for {@link createTaskPool}, and inside the sandbox process for the
 * sandboxed pool, which hands it a `ctx` host that relays to its parent.
 */
export class PiscinaTaskPool implements TaskPool {
  readonly threads: number
  private readonly taskTimeoutMs: number
  private readonly memoryMb: number
  private readonly abortGraceMs: number
  private readonly checkpointIntervalMs: number
  private readonly checkpoints: CheckpointStore
  private readonly clock: () => number
  private readonly execArgv: string[] | undefined
  private readonly governorSettings: GovernorSettings | undefined
  private readonly gate = new PauseGate()
  private governor: Governor | undefined
  private slots: WorkerSlots | undefined

  constructor(init: TaskPoolInit, options: PiscinaTaskPoolOptions = {}) {
    const settings = poolSettings(init)
    this.governorSettings = init.governor === undefined ? undefined : governorSettings(init.governor)
    this.clock = options.clock ?? (() => performance.now())
    this.execArgv = options.execArgv
    this.threads = settings.threads
    this.taskTimeoutMs = settings.taskTimeoutMs
    this.memoryMb = settings.memoryMb
    this.abortGraceMs = settings.abortGraceMs
    this.checkpointIntervalMs = settings.checkpointIntervalMs
    this.checkpoints = init.checkpoints ?? memoryCheckpoints()
  }

  start(): void {
    this.slots ??= new WorkerSlots({
      filename: WORKER_FILE,
      threads: this.threads,
      memoryMb: this.memoryMb,
      niceIncrement: this.governorSettings?.nice ?? 0,
      execArgv: this.execArgv,
    })
    // Without settings the governor runs no loop, and only pauses the pool by hand.
    if (this.governor === undefined) {
      this.governor = new Governor({
        settings: this.governorSettings,
        threads: this.threads,
        // The threads cannot be stopped in the middle of workload code, so the pool pauses by
        // holding new tasks back, and its CPU time is the whole process's (the peer's own is small).
        pool: {
          cpuTimeMs: async () => {
            const { user, system } = process.cpuUsage()
            return (user + system) / 1000
          },
          pause: () => this.gate.close(),
          resume: () => this.gate.open(),
        },
      })
      this.governor.start()
    }
  }

  async stop(): Promise<void> {
    const slots = this.slots
    this.slots = undefined
    this.governor?.stop()
    this.governor = undefined
    await slots?.close()
  }

  pausedFor(): Exclude<PauseReason, 'max-cpu'> | undefined {
    return this.governor?.pausedFor
  }

  pause(): void {
    this.governor?.holdByHand(true)
  }

  resume(): void {
    this.governor?.holdByHand(false)
  }

  async run(task: TaskRequest, options: RunTaskOptions = {}): Promise<unknown> {
    if (this.slots === undefined) throw new InvalidOptionError('the task pool is not started')
    options.signal?.throwIfAborted()
    await this.gate.pass(options.signal)
    return withTaskHost(
      {
        checkpoints: this.checkpoints,
        checkpointKey: task.checkpointKey,
        checkpointIntervalMs: this.checkpointIntervalMs,
        onProgress: options.onProgress,
        onLog: options.onLog,
      },
      (host) =>
        this.runJob(task.bundle, { kind: 'run', input: task.input }, host, {
          signal: options.signal,
          onRunTime: options.onRunTime,
          onStart: options.onStart,
        }),
    )
  }

  async evaluate(bundle: string, call: EvaluateCall, options: EvaluateOptions = {}): Promise<unknown> {
    if (this.slots === undefined) throw new InvalidOptionError('the task pool is not started')
    checkEvaluateCall(call)
    options.signal?.throwIfAborted()
    await this.gate.pass(options.signal)
    const answer = await this.runJob(bundle, { kind: 'evaluate', call }, NO_HOST, { signal: options.signal })
    return checkEvaluation(call, answer)
  }

  /** Runs one job of a bundle in a worker; a task's `ctx` calls go to `host`. */
  async runJob(bundle: string, job: WorkerJob, host: HostApi, options: RunJobOptions = {}): Promise<unknown> {
    const { signal, onRunTime, onStart } = options
    const slots = this.slots
    if (slots === undefined) throw new InvalidOptionError('the task pool is not started')
    signal?.throwIfAborted()
    const { port1, port2 } = new MessageChannel()
    Comlink.expose(host, port1)

    // Two steps to stop a task: ask it through ctx.signal, then terminate its worker. A task
    // still waiting for a thread leaves the queue at once.
    const terminate = new AbortController()
    const dequeue = new AbortController()
    let stopReason: 'timeout' | 'aborted' | undefined
    let graceTimer: NodeJS.Timeout | undefined
    const stop = (reason: 'timeout' | 'aborted', message: string): void => {
      if (stopReason !== undefined) return
      stopReason = reason
      dequeue.abort()
      const request: AbortRequest = {
        p2pcAbort: { name: reason === 'timeout' ? 'TimeoutError' : 'AbortError', message },
      }
      port1.postMessage(request)
      graceTimer = setTimeout(() => terminate.abort(), this.abortGraceMs)
    }
    // The deadline runs from the moment a worker starts the task, not while it waits in the queue.
    const deadline = new TaskDeadline(this.taskTimeoutMs, this.clock, () =>
      stop('timeout', `the task ran longer than ${this.taskTimeoutMs} ms`),
    )
    // The worker says when it begins only to a host that wants to hear it.
    const notifyStart = this.taskTimeoutMs > 0 || onStart !== undefined
    let started = false
    if (notifyStart) {
      port1.on('message', (data: unknown) => {
        if (!isStartedNotice(data) || started) return
        started = true
        if (this.taskTimeoutMs > 0) deadline.start()
        onStart?.()
      })
    }
    const onCallerAbort = (): void => stop('aborted', 'the task was aborted')
    signal?.addEventListener('abort', onCallerAbort, { once: true })

    try {
      let outcome: WorkerOutcome
      try {
        outcome = await slots.run(
          { bundle, job, port: port2, notifyStart },
          { transferList: [port2], signal: terminate.signal, dequeue: dequeue.signal },
        )
      } catch (err) {
        // A pool being stopped ends its tasks: they are aborted, not failed.
        throw this.translateWorkerDeath(err, slots.closed ? 'aborted' : stopReason)
      }
      if (stopReason === 'timeout') throw this.timeoutError()
      if (stopReason === 'aborted') throw new TaskAbortedError()
      if (!outcome.ok) {
        const { name, message } = outcome.error
        // The worker's own refusal of the output, in its own words; anything else is the workload's.
        if (name === 'InvalidOutputError') throw new InvalidOutputError(message)
        throw new TaskFailedError(`${name}: ${message}`, name)
      }
      onRunTime?.(outcome.runMs)
      return outcome.output
    } finally {
      deadline.cancel()
      clearTimeout(graceTimer)
      signal?.removeEventListener('abort', onCallerAbort)
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
