/**
 * One sandbox process seen from its parent: starts it, sends it tasks, answers the `ctx` calls it
 * relays with each task's host, and fails the running tasks if it dies.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import type { Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CHANNEL_KEY_BYTES, FrameReader, FrameWriter } from './sandbox-channel.ts'
import { SANDBOX_STALL_CHECK_MS } from './constants.ts'
import { TaskAbortedError, TaskFailedError } from './errors.ts'
import type { HostApi } from './host-api.ts'
import { lowerPriority } from './process-priority.ts'
import type { WorkerPoolSettings } from './pool-settings.ts'
import type { SandboxFlags } from './sandbox-permissions.ts'
import type { WorkerJob } from './worker-protocol.ts'
import {
  errorData,
  parseChildMessage,
  taskError,
  type ChildMessage,
  type ParentMessage,
} from './sandbox-protocol.ts'
import { SandboxWatchdog } from './sandbox-watchdog.ts'

const MAIN_FILE = fileURLToPath(new URL('./sandbox-main.js', import.meta.url))

/** How much of the process's stderr is kept to explain a failed start. */
const STDERR_KEPT = 4096

interface RunningTask {
  host: HostApi
  aborted: boolean
  resolve(output: unknown): void
  onRunTime: ((ms: number) => void) | undefined
  onStart: (() => void) | undefined
  reject(error: Error): void
}

export interface SandboxProcessInit {
  flags: SandboxFlags
  settings: WorkerPoolSettings
  /** The nice value to start the process at (0: the contributor's own). */
  nice: number
  /** How long the channel may stand still with work on it before the process is ended. */
  stallMs: number
  /** Called once when the process has ended, whatever the reason. */
  onExit(): void
}

export class SandboxProcess {
  private readonly child: ChildProcess
  private readonly writer: FrameWriter
  private readonly reader: FrameReader
  /** Frames sent to the child, and how many of them it says it has read. */
  private sent = 0
  private acked = 0
  /** What the last stall check saw, and since when nothing has moved on a channel with work. */
  private lastSeen = { frames: 0, acked: 0 }
  private stalledSince: number | undefined
  private readonly stallTimer: NodeJS.Timeout
  private readonly stallMs: number
  /** The process's working directory: an empty folder of its own, removed when it ends. */
  private readonly workDir: string
  private readonly running = new Map<number, RunningTask>()
  private nextTask = 0
  private ready = false
  private stopping = false
  private ended: Error | undefined
  private stderr = ''
  private readonly exited: Promise<void>
  /** When the governor stopped the process (SIGSTOP), on the performance.now clock. */
  private pausedAt: number | undefined
  /** Kills the process if this one dies while it is stopped; started before the first stop. */
  private watchdog: SandboxWatchdog | undefined

  constructor(init: SandboxProcessInit) {
    // Node.js lets every worker thread read below the working directory. An Environment under
    // --permission implicitly allows reading its entry point, argv[1] (src/env.cc, "Implicit
    // allow entrypoint to kFileSystemRead"), but a worker's argv holds only argv[0]
    // (src/node_worker.cc), so the path allowed is '', which resolves to the working directory;
    // NODE_DEBUG_NATIVE=PERMISSION_MODEL shows the grant. Started where the contributor is (`/`
    // under a service manager, the home folder, the data dir), workload code could read all of
    // it. So the process works in an empty folder made for it, which it cannot write to and which
    // is removed when it ends; relative paths and `..` resolve from there, and worker threads
    // cannot change directory (ERR_WORKER_UNSUPPORTED_OPERATION).
    this.workDir = makeWorkDir()
    this.child = spawn(process.execPath, [...init.flags.process, MAIN_FILE], {
      cwd: this.workDir,
      // Nothing of the contributor's environment (tokens, keys, paths) reaches workload code.
      env: {},
      // Workload code reports through ctx.log; its console output is not the contributor's to
      // read. Descriptor 3 is the channel (sandbox-channel.ts), not Node's IPC.
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    })
    lowerPriority(this.child.pid, init.nice)
    const channel = this.child.stdio[3] as Socket
    const key = randomBytes(CHANNEL_KEY_BYTES)
    this.writer = new FrameWriter(channel, key)
    this.reader = new FrameReader(
      key,
      (data) => this.receive(data),
      (reason) => this.kill(`sent ${reason}`),
    )
    // The key goes first, before the child has started any worker thread.
    channel.write(key)
    channel.on('data', (chunk: Buffer) => this.reader.push(chunk))
    // A channel that closes or fails means the process is ending: its 'exit' fails the tasks.
    channel.on('error', ignore)
    this.stallMs = init.stallMs
    this.stallTimer = setInterval(() => this.checkStall(), Math.min(SANDBOX_STALL_CHECK_MS, init.stallMs / 4))
    this.stallTimer.unref()
    this.child.stderr?.setEncoding('utf8')
    this.child.stderr?.on('data', (chunk: string) => {
      if (!this.ready && this.stderr.length < STDERR_KEPT) this.stderr += chunk
    })
    this.exited = new Promise((resolve) => {
      let gone = false
      const end = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (gone) return
        gone = true
        this.watchdog?.dismiss()
        clearInterval(this.stallTimer)
        removeWorkDir(this.workDir)
        this.end(describeExit(code, signal))
        process.off('exit', this.killOnExit)
        init.onExit()
        resolve()
      }
      this.child.once('exit', end)
      // A process that never started emits 'error' and maybe no 'exit'.
      this.child.on('error', (err) => {
        if (this.child.pid === undefined) end(null, null)
        else this.stderr ||= err.message
      })
    })
    this.send({ type: 'init', settings: init.settings, workerExecArgv: init.flags.workers })
  }

  /** False once the process has died or been condemned: it takes no more tasks. */
  get alive(): boolean {
    return this.ended === undefined
  }

  /** The process id, while the process runs. */
  get pid(): number | undefined {
    return this.ended === undefined ? this.child.pid : undefined
  }

  /**
   * Stops the process where it stands (SIGSTOP): its threads get no CPU and lose no work. Its
   * tasks' deadlines do not count the pause (see task-deadline.ts).
   */
  pause(): void {
    if (this.ended !== undefined || this.pausedAt !== undefined || process.platform === 'win32') return
    // A stopped process cannot see its parent go: if this process is killed, the watchdog ends
    // it (see sandbox-watchdog.ts); if this process exits, it takes it along.
    if (this.child.pid !== undefined) this.watchdog ??= new SandboxWatchdog(this.child.pid)
    this.pausedAt = performance.now()
    this.child.kill('SIGSTOP')
    process.on('exit', this.killOnExit)
  }

  /**
   * Continues a paused process (SIGCONT). It hears how long the pause was before it runs again,
   * so its deadlines can leave the pause out.
   */
  resume(): void {
    const pausedAt = this.pausedAt
    if (pausedAt === undefined) return
    this.pausedAt = undefined
    process.off('exit', this.killOnExit)
    if (this.ended !== undefined) return
    // A stop is no stall: the clock of the stall check starts again.
    this.stalledSince = undefined
    this.send({ type: 'resumed', pausedMs: performance.now() - pausedAt }, () => this.child.kill('SIGCONT'))
  }

  /** Runs one job of a bundle in the process; a task's `ctx` calls go to `host`. */
  run(
    task: { bundle: string; job: WorkerJob },
    host: HostApi,
    options: { signal?: AbortSignal; onRunTime?(ms: number): void; onStart?(): void } = {},
  ): Promise<unknown> {
    const { signal, onRunTime, onStart } = options
    if (this.ended !== undefined) return Promise.reject(this.ended)
    const id = this.nextTask++
    const onAbort = (): void => {
      const running = this.running.get(id)
      if (running === undefined) return
      running.aborted = true
      this.send({ type: 'abort', task: id })
    }
    return new Promise<unknown>((resolve, reject) => {
      this.running.set(id, { host, aborted: false, resolve, reject, onRunTime, onStart })
      signal?.addEventListener('abort', onAbort, { once: true })
      try {
        this.send({
          type: 'run',
          task: id,
          bundle: task.bundle,
          job: task.job,
          notifyStart: onStart !== undefined,
        })
      } catch (err) {
        this.running.delete(id)
        reject(
          new TaskFailedError(
            `the task cannot be sent to the sandbox: ${(err as Error).message}`,
            'DataCloneError',
          ),
        )
      }
    }).finally(() => signal?.removeEventListener('abort', onAbort))
  }

  /** Ends the process; tasks still running are aborted. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopping = true
    if (this.ended === undefined) this.child.kill('SIGKILL')
    await this.exited
  }

  private receive(data: unknown): void {
    const message = parseChildMessage(data)
    if (message === undefined) {
      // Only workload code writing to the channel's descriptor sends such a thing.
      this.kill('the sandbox process sent a malformed message')
      return
    }
    if (message.type === 'ready') {
      this.ready = true
      return
    }
    if (message.type === 'ack') {
      // More than was sent is a lie only workload code could tell, and the channel authenticates
      // its frames, so it cannot come; the check costs nothing.
      if (message.frames > this.sent) this.kill('acknowledged frames never sent')
      else this.acked = Math.max(this.acked, message.frames)
      return
    }
    const task = this.running.get(message.task)
    switch (message.type) {
      case 'started': {
        // Once only: workload code could forge the message again.
        const onStart = task?.onStart
        if (task !== undefined) task.onStart = undefined
        onStart?.()
        break
      }
      case 'progress':
        task?.host.progress(message.fraction)
        break
      case 'log':
        task?.host.log(message.message)
        break
      case 'call':
        void this.answer(message, task)
        break
      case 'done':
        if (task === undefined) break
        this.running.delete(message.task)
        if (message.outcome.ok) {
          task.onRunTime?.(message.outcome.runMs)
          task.resolve(message.outcome.output)
        } else task.reject(taskError(message.outcome.error))
        break
    }
  }

  private async answer(
    message: Extract<ChildMessage, { type: 'call' }>,
    task: RunningTask | undefined,
  ): Promise<void> {
    let reply: ParentMessage
    try {
      if (task === undefined) throw new TaskAbortedError('the task has ended')
      const value =
        message.method === 'checkpoint'
          ? await task.host.checkpoint(message.state)
          : await task.host.restore()
      reply = { type: 'reply', call: message.call, ok: true, value }
    } catch (err) {
      reply = { type: 'reply', call: message.call, ok: false, error: errorData(err) }
    }
    if (this.ended !== undefined) return
    try {
      this.send(reply)
    } catch (err) {
      // A checkpoint too large for the channel: the task hears why instead of waiting for ever.
      this.send({ type: 'reply', call: message.call, ok: false, error: errorData(err) })
    }
  }

  private readonly killOnExit = (): void => {
    // The watchdog first: once this process is gone it would signal an id the sandbox no longer holds.
    this.watchdog?.dismiss()
    this.child.kill('SIGKILL')
  }

  private kill(reason: string): void {
    this.end(reason)
    this.child.kill('SIGKILL')
  }

  /** Fails every running task once the process is gone or condemned. */
  private end(reason: string): void {
    if (this.ended !== undefined) return
    const startup = this.ready ? '' : errorLine(this.stderr)
    this.ended = new TaskFailedError(
      `the sandbox process ${reason}${startup === '' ? '' : `: ${startup}`}`,
      'SandboxError',
    )
    for (const task of this.running.values()) {
      task.reject(this.stopping || task.aborted ? new TaskAbortedError() : this.ended)
    }
    this.running.clear()
  }

  /**
   * Sends a message on the channel.
   *
   * @throws DataCloneError when the message cannot be cloned, RangeError when it is too large
   */
  private send(message: ParentMessage, done?: () => void): void {
    this.writer.send(message, done)
    this.sent++
  }

  /**
   * Ends a process whose channel has stood still with work on it for `stallMs`
   * while it ran: a frame begun and never finished, or frames the child never read. Only
   * workload code does either (a bogus length written to the channel, bytes read off it), and
   * it would leave the sandbox's tasks waiting for ever. A process stopped by the governor is
   * not stalled, and any frame read or acknowledged is progress.
   */
  private checkStall(): void {
    if (this.ended !== undefined || this.pausedAt !== undefined) return
    const seen = { frames: this.reader.frames, acked: this.acked }
    const moved = seen.frames !== this.lastSeen.frames || seen.acked !== this.lastSeen.acked
    this.lastSeen = seen
    const waiting = this.reader.pending || this.acked < this.sent
    if (moved || !waiting) {
      this.stalledSince = undefined
      return
    }
    const now = performance.now()
    this.stalledSince ??= now
    if (now - this.stalledSince >= this.stallMs) this.kill('stalled its channel')
  }
}

/** Working directories of sandbox processes still running, removed at the latest when this process exits. */
const workDirs = new Set<string>()

function makeWorkDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'p2pc-sandbox-'))
  if (workDirs.size === 0) process.on('exit', removeAllWorkDirs)
  workDirs.add(dir)
  return dir
}

function removeWorkDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
  workDirs.delete(dir)
  if (workDirs.size === 0) process.off('exit', removeAllWorkDirs)
}

function removeAllWorkDirs(): void {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true })
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  if (signal !== null) return `died (killed by ${signal})`
  if (code === null) return 'could not start'
  return `died (exit code ${code})`
}

/**
 * The error line of what the process printed before it was ready, with the path it was denied
 * if any (a package the sandbox does not let it read), kept short and printable.
 */
function errorLine(text: string): string {
  const lines = text.split('\n')
  const line =
    lines.find((candidate) => /^\w*Error\b/.test(candidate)) ?? lines.find((l) => l.trim() !== '') ?? ''
  const resource = /^\s*resource: '([^']*)'/m.exec(text)?.[1]
  return resource === undefined ? printable(line) : `${printable(line)} (${printable(resource)})`
}

// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g

/** Text without control characters (no terminal escapes), at most 200 characters. */
function printable(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '').trim().slice(0, 200)
}

function ignore(): void {}
