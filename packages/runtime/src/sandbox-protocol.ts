/**
 * The messages between the contributor's process (the parent) and its sandbox process (the
 * child), as structured clones in the authenticated frames of sandbox-channel.ts.
 *
 * Only the sandbox's main thread holds the channel's key, so a frame that authenticates comes
 * from p2pc's own code; the parent checks every message all the same before it believes it.
 */
import {
  InvalidOutputError,
  TaskAbortedError,
  TaskFailedError,
  TaskOutOfMemoryError,
  TaskTimeoutError,
} from './errors.ts'
import type { WorkerPoolSettings } from './pool-settings.ts'
import type { WorkerJob } from './worker-protocol.ts'

/** An error as data: classes and custom properties do not cross a process boundary. */
export interface ErrorData {
  name: string
  message: string
  /** The workload's own error name, when the error is a TaskFailedError. */
  causeName?: string
}

/** What the parent sends. */
export type ParentMessage =
  /** The pool's settings, and the flags of its worker threads. */
  | { type: 'init'; settings: WorkerPoolSettings; workerExecArgv: string[] }
  /**
   * A task of the bundle, or an evaluation of its other functions; with `notifyStart`, the child
   * says when a worker begins it.
   */
  | { type: 'run'; task: number; bundle: string; job: WorkerJob; notifyStart: boolean }
  | { type: 'abort'; task: number }
  /** Sent just before SIGCONT: how long the governor kept the process stopped. */
  | { type: 'resumed'; pausedMs: number }
  | { type: 'reply'; call: number; ok: true; value: unknown }
  | { type: 'reply'; call: number; ok: false; error: ErrorData }

/** What the child sends: `ctx` calls of running tasks, and their outcomes. */
export type ChildMessage =
  | { type: 'ready' }
  /** The child has read this many of the parent's frames: a channel that stops reading is ended. */
  | { type: 'ack'; frames: number }
  /** A worker has begun the task: it has left the queue. */
  | { type: 'started'; task: number }
  | { type: 'progress'; task: number; fraction: number }
  | { type: 'log'; task: number; message: string }
  | { type: 'call'; task: number; call: number; method: 'checkpoint'; state: unknown }
  | { type: 'call'; task: number; call: number; method: 'restore' }
  | { type: 'done'; task: number; outcome: SandboxOutcome }

/** How a task ended in the sandbox. */
export type SandboxOutcome = { ok: true; output: unknown; runMs: number } | { ok: false; error: ErrorData }

/** Checks a message from the child; anything else is a broken or forged channel. */
export function parseChildMessage(data: unknown): ChildMessage | undefined {
  if (data === null || typeof data !== 'object') return undefined
  const message = data as Record<string, unknown>
  switch (message.type) {
    case 'ready':
      return { type: 'ready' }
    case 'ack':
      return isId(message.frames) ? { type: 'ack', frames: message.frames } : undefined
    case 'started':
      return isId(message.task) ? { type: 'started', task: message.task } : undefined
    case 'progress':
      return isId(message.task) && typeof message.fraction === 'number'
        ? { type: 'progress', task: message.task, fraction: message.fraction }
        : undefined
    case 'log':
      return isId(message.task) && typeof message.message === 'string'
        ? { type: 'log', task: message.task, message: message.message }
        : undefined
    case 'call':
      if (!isId(message.task) || !isId(message.call)) return undefined
      if (message.method === 'restore')
        return { type: 'call', task: message.task, call: message.call, method: 'restore' }
      if (message.method === 'checkpoint' && 'state' in message) {
        return {
          type: 'call',
          task: message.task,
          call: message.call,
          method: 'checkpoint',
          state: message.state,
        }
      }
      return undefined
    case 'done': {
      const outcome = parseOutcome(message.outcome)
      return isId(message.task) && outcome !== undefined
        ? { type: 'done', task: message.task, outcome }
        : undefined
    }
    default:
      return undefined
  }
}

/** The data of an error thrown in the child, for the parent to rebuild with {@link taskError}. */
export function errorData(err: unknown): ErrorData {
  const error = err as { name?: unknown; message?: unknown; causeName?: unknown } | null
  const data: ErrorData = {
    name: typeof error?.name === 'string' ? error.name : 'Error',
    message: typeof error?.message === 'string' ? error.message : String(err),
  }
  if (typeof error?.causeName === 'string') data.causeName = error.causeName
  return data
}

/** Rebuilds a task's error from its data: the same classes the in-process pool throws. */
export function taskError(data: ErrorData): Error {
  switch (data.name) {
    case 'TaskFailedError':
      return new TaskFailedError(data.message, data.causeName)
    case 'TaskTimeoutError':
      return new TaskTimeoutError(data.message)
    case 'TaskOutOfMemoryError':
      return new TaskOutOfMemoryError(data.message)
    case 'TaskAbortedError':
      return new TaskAbortedError(data.message)
    case 'InvalidOutputError':
      return new InvalidOutputError(data.message)
    default:
      return new TaskFailedError(`${data.name}: ${data.message}`, data.name)
  }
}

function parseOutcome(data: unknown): SandboxOutcome | undefined {
  const outcome = data as { ok?: unknown; output?: unknown; runMs?: unknown; error?: unknown } | null
  if (outcome?.ok === true && 'output' in outcome) {
    const { runMs } = outcome
    if (typeof runMs !== 'number' || !(runMs >= 0)) return undefined
    return { ok: true, output: outcome.output, runMs }
  }
  const error = outcome?.error as Record<string, unknown> | undefined
  if (outcome?.ok !== false || typeof error?.name !== 'string' || typeof error.message !== 'string') {
    return undefined
  }
  const parsed: ErrorData = { name: error.name, message: error.message }
  if (typeof error.causeName === 'string') parsed.causeName = error.causeName
  return { ok: false, error: parsed }
}

function isId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0
}
