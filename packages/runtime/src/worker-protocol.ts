import type { MessagePort } from 'node:worker_threads'
import type { EvaluateCall } from './evaluate.ts'

/** What a worker does with a bundle: run a task, or evaluate another of its functions. */
export type WorkerJob = { kind: 'run'; input: unknown } | { kind: 'evaluate'; call: EvaluateCall }

/** What the pool hands a worker for one task. */
export interface WorkerTask {
  /** Path of the bundled workload module. */
  bundle: string
  job: WorkerJob
  /** The task's own port: the host API answers on it through Comlink. */
  port: MessagePort
  /** Whether the host wants to hear when the task starts: a task with a deadline, or whose caller asked. */
  notifyStart: boolean
}

/** A task's outcome. Errors travel as plain data because custom error classes and properties do not cross threads. */
export type WorkerOutcome =
  { ok: true; output: unknown; runMs: number } | { ok: false; error: { name: string; message: string } }
