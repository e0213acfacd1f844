import { relative, resolve, isAbsolute } from 'node:path'
import { memoryCheckpoints, type CheckpointStore } from './checkpoints.ts'
import { processCpuTimeMs } from './cpu-time.ts'
import { SANDBOX_STALL_MS } from './constants.ts'
import { InvalidOptionError } from './errors.ts'
import {
  checkEvaluateCall,
  checkEvaluation,
  NO_HOST,
  type EvaluateCall,
  type EvaluateOptions,
} from './evaluate.ts'
import { Governor, type PauseReason } from './governor.ts'
import { governorSettings, type GovernorSettings } from './governor-settings.ts'
import { poolSettings, type PoolSettings } from './pool-settings.ts'
import { sandboxExecArgv, type SandboxFlags } from './sandbox-permissions.ts'
import { SandboxProcess } from './sandbox-process.ts'
import { withTaskHost } from './task-host.ts'
import type { RunTaskOptions, TaskPool, TaskPoolInit, TaskRequest } from './task-pool.ts'

/** Options of {@link createSandboxedTaskPool}: those of a task pool, and the bundle cache. */
export interface SandboxedTaskPoolInit extends TaskPoolInit {
  /** The bundle cache: the only folder of the machine that workload code may read. Every task's bundle lies in it. */
  bundleDir: string
  /**
   * How long the channel to the sandbox may stand still with work on it, while the sandbox runs,
   * before the sandbox is ended (sandbox-process.ts). @default 120000
   */
  channelStallMs?: number
}

class SandboxedTaskPool implements TaskPool {
  readonly threads: number
  private readonly settings: PoolSettings
  private readonly checkpoints: CheckpointStore
  private readonly bundleDir: string
  private readonly channelStallMs: number
  private flags: SandboxFlags | undefined
  private started = false
  private sandbox: SandboxProcess | undefined
  private readonly governorSettings: GovernorSettings | undefined
  private governor: Governor | undefined
  /** Whether the governor holds the pool back: a sandbox process started meanwhile starts stopped. */
  private paused = false
  /** CPU time of the sandbox processes that came before the current one, and the last reading of it. */
  private readonly cpu = { earlierMs: 0, pid: undefined as number | undefined, lastMs: 0 }

  constructor(init: SandboxedTaskPoolInit) {
    if (typeof init.bundleDir !== 'string' || init.bundleDir === '') {
      throw new InvalidOptionError('options.bundleDir must be the path of the bundle cache')
    }
    this.settings = poolSettings(init)
    this.governorSettings = init.governor === undefined ? undefined : governorSettings(init.governor)
    this.threads = this.settings.threads
    this.checkpoints = init.checkpoints ?? memoryCheckpoints()
    this.bundleDir = resolve(init.bundleDir)
    const stallMs = init.channelStallMs ?? SANDBOX_STALL_MS
    if (!Number.isFinite(stallMs) || stallMs <= 0) {
      throw new InvalidOptionError('options.channelStallMs must be a number of ms above 0')
    }
    this.channelStallMs = stallMs
  }

  start(): void {
    this.started = true
    this.process()
    // Without settings the governor runs no loop, and only pauses the pool by hand.
    if (this.governor === undefined) {
      this.governor = new Governor({
        settings: this.governorSettings,
        threads: this.threads,
        pool: {
          cpuTimeMs: () => this.cpuTimeMs(),
          pause: () => {
            this.paused = true
            this.sandbox?.pause()
          },
          resume: () => {
            this.paused = false
            this.sandbox?.resume()
          },
        },
      })
      this.governor.start()
    }
  }

  async stop(): Promise<void> {
    this.started = false
    this.governor?.stop()
    this.governor = undefined
    const sandbox = this.sandbox
    this.sandbox = undefined
    await sandbox?.stop()
  }

  async run(task: TaskRequest, options: RunTaskOptions = {}): Promise<unknown> {
    if (!this.started) throw new InvalidOptionError('the task pool is not started')
    options.signal?.throwIfAborted()
    const bundle = this.cached(task.bundle)
    const sandbox = this.process()
    return withTaskHost(
      {
        checkpoints: this.checkpoints,
        checkpointKey: task.checkpointKey,
        checkpointIntervalMs: this.settings.checkpointIntervalMs,
        onProgress: options.onProgress,
        onLog: options.onLog,
      },
      (host) =>
        sandbox.run({ bundle, job: { kind: 'run', input: task.input } }, host, {
          signal: options.signal,
          onRunTime: options.onRunTime,
          onStart: options.onStart,
        }),
    )
  }

  async evaluate(bundle: string, call: EvaluateCall, options: EvaluateOptions = {}): Promise<unknown> {
    if (!this.started) throw new InvalidOptionError('the task pool is not started')
    checkEvaluateCall(call)
    options.signal?.throwIfAborted()
    const path = this.cached(bundle)
    const answer = await this.process().run({ bundle: path, job: { kind: 'evaluate', call } }, NO_HOST, {
      signal: options.signal,
    })
    // The sandbox's answer is believed only once checked: workload code can forge it.
    return checkEvaluation(call, answer)
  }

  /** The absolute path of a bundle, which must lie in the bundle cache. */
  private cached(bundle: string): string {
    const path = resolve(bundle)
    const fromCache = relative(this.bundleDir, path)
    if (fromCache === '' || fromCache.startsWith('..') || isAbsolute(fromCache)) {
      throw new InvalidOptionError(`the bundle ${bundle} does not lie in the sandbox's bundle folder`)
    }
    return path
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

  /** CPU time of every sandbox process this pool has run, each thread of each counted. */
  private async cpuTimeMs(): Promise<number | undefined> {
    const pid = this.sandbox?.pid
    if (pid !== this.cpu.pid) {
      this.cpu.earlierMs += this.cpu.lastMs
      this.cpu.pid = pid
      this.cpu.lastMs = 0
    }
    if (pid === undefined) return this.cpu.earlierMs
    const ms = await processCpuTimeMs(pid)
    if (ms === undefined) return undefined
    if (this.cpu.pid === pid) this.cpu.lastMs = Math.max(this.cpu.lastMs, ms)
    return this.cpu.earlierMs + this.cpu.lastMs
  }

  /** The running sandbox process, started anew if the last one died. */
  private process(): SandboxProcess {
    if (this.sandbox?.alive === true) return this.sandbox
    this.flags ??= sandboxExecArgv([this.bundleDir])
    const { threads, taskTimeoutMs, memoryMb, abortGraceMs } = this.settings
    const sandbox = new SandboxProcess({
      flags: this.flags,
      settings: { threads, taskTimeoutMs, memoryMb, abortGraceMs },
      nice: this.governorSettings?.nice ?? 0,
      stallMs: this.channelStallMs,
      onExit: () => {
        if (this.sandbox === sandbox) this.sandbox = undefined
      },
    })
    this.sandbox = sandbox
    if (this.paused) sandbox.pause()
    return sandbox
  }
}

/**
 * Creates a task pool that runs workload code in a sandbox: a child process under Node's
 * permission model, which may read the bundle cache and the runtime's own files and nothing
 * else, with the Piscina pool inside it. `ctx` reaches the tasks over the process's IPC
 * channel; errors, deadlines and memory limits are those of {@link createTaskPool}. If the
 * process dies, its running tasks fail with a TaskFailedError (`causeName` 'SandboxError') and
 * the next task starts a new one.
 *
 * @example
 * ```ts
 * const pool = createSandboxedTaskPool({ bundleDir: cacheDir, taskTimeoutMs: 30_000 })
 * pool.start()
 * const output = await pool.run({ bundle: bundle.path, input: { from: 0, to: 1000 } })
 * await pool.stop()
 * ```
 */
export function createSandboxedTaskPool(init: SandboxedTaskPoolInit): TaskPool {
  return new SandboxedTaskPool(init)
}
