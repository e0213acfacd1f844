import type { Market, RunAction } from '@p2pc/market'
import {
  MAX_CLAIM_TASKS,
  failureHashOf,
  type Json,
  type Message,
  type ResultEntry,
  type SealedEnvelope,
} from '@p2pc/protocol'
import type { TaskPool } from '@p2pc/runtime'
import type { Store } from '@p2pc/store'
import { claimCapacity, RunTimeMean } from './claim-capacity.ts'
import { RESULT_BATCH_BYTES, RESULT_BATCH_MS } from './constants.ts'
import { resultBatcher, type JobBatcher } from './job-batcher.ts'
import { answersArePrivate, boxedEntry } from './private-answers.ts'
import type { PeerEvents, RunningTaskStatus } from './peer-types.ts'
import { RUNTIME_CLASS, resultEntry } from './result-entry.ts'
import { failureVerdict } from './task-failure.ts'
import { runningTaskStatus } from './task-progress.ts'

/** What a {@link TaskRunner} works with: the peer's pool, market and store, and its ways out. */
export interface TaskRunnerInit {
  /** This peer's id: its answers to jobs with private answers are boxed for it as their signer. */
  self: string
  pool: TaskPool
  market: Market<SealedEnvelope>
  store: Store
  /** The path of a workload bundle, fetched if need be, given up at `deadline`. */
  bundle(cid: string, deadline: number): Promise<string>
  /** Signs a message, keeps it, and sends it to the swarm. */
  publish(message: Message): Promise<void>
  /** Lets the market claim work for free slots now. */
  fill(): void
  /** Whether the peer holds new work back for a reason of its own (a full disk). @default never */
  holdsBack?(): boolean
  /** Runs a write to the store, waiting out a full disk. @default runs it once */
  keep?<T>(write: () => T | Promise<T>): Promise<T>
  onTask(event: PeerEvents['task']): void
}

/** A claimed task on its way through the pool. */
interface RunningTask {
  jobId: string
  task: number
  abort: AbortController
  /** Until the pool hands its output back; after, its answer waits to be sent. */
  inPool: boolean
  /** When a worker began it; until then it waits in the pool for a thread. */
  startedAt: number | undefined
  /** The last `ctx.progress` it reported, and when. */
  progress: { fraction: number; at: number } | undefined
  leaseEnd: number
  /** Given back at the owner's word (see `giveBack`): the market may claim it again once its run ends. */
  givenBack?: boolean
}

/** A task this peer holds, as {@link TaskRunner.giveBack} shows it. */
export interface HeldTask {
  jobId: string
  task: number
  leaseEnd: number
}

/**
 * Runs a contributor's claimed tasks in its pool and publishes their results; sizes its claims
 * to the run time of its tasks; and drains: finishes or stops its tasks and gives back the
 * claims it will not answer.
 */
export class TaskRunner {
  private readonly init: TaskRunnerInit
  /** In the order the pool got them, which is the order it starts them. */
  private readonly tasks = new Set<RunningTask>()
  private readonly work = new Set<Promise<void>>()
  private readonly runTimes = new RunTimeMean()
  private readonly givenUp = new Map<string, Set<number>>()
  /** Runs of a task so far on this peer, by `jobId/task`, while a failure of the machine is retried. */
  private readonly attempts = new Map<string, number>()
  private draining = false
  private stopped = false
  private readonly results: JobBatcher<ResultEntry>

  constructor(init: TaskRunnerInit) {
    this.init = init
    this.results = resultBatcher({
      windowMs: RESULT_BATCH_MS,
      maxBytes: RESULT_BATCH_BYTES,
      runtime: RUNTIME_CLASS,
      publish: init.publish,
    })
    this.refreshCapacity()
  }

  /**
   * Tells the market how much work to hold: none while draining, while the governor holds the
   * pool back (idle-only, on battery) or while the peer does (a full disk), since claimed tasks
   * would wait out their leases there; else enough for the pool's threads at the run time seen so far.
   */
  refreshCapacity(): void {
    const { market, pool } = this.init
    const held = this.draining || pool.pausedFor?.() !== undefined || this.init.holdsBack?.() === true
    if (held) market.setCapacity({ maxActiveClaims: 0 })
    else market.setCapacity(claimCapacity(pool.threads, this.runTimes.value))
  }

  /** Tasks a worker runs now: begun, output not yet handed back. */
  get running(): number {
    let running = 0
    for (const entry of this.tasks) if (entry.inPool && entry.startedAt !== undefined) running++
    return running
  }

  /** The tasks a worker runs now, oldest first, with their progress and how long they may take yet. */
  runningTasks(now: number): RunningTaskStatus[] {
    const running: RunningTaskStatus[] = []
    for (const entry of this.tasks) {
      const { startedAt } = entry
      if (entry.inPool && startedAt !== undefined)
        running.push(runningTaskStatus({ ...entry, startedAt }, now))
    }
    return running
  }

  /** Tasks whose work has not ended: queued, running, or run with the answer still being kept. */
  get held(): number {
    return this.tasks.size
  }

  /** Tasks in the pool that wait for a thread. */
  get queued(): number {
    let queued = 0
    for (const entry of this.tasks) if (entry.inPool && entry.startedAt === undefined) queued++
    return queued
  }

  run(action: RunAction): void {
    const entry: RunningTask = {
      jobId: action.jobId,
      task: action.task,
      abort: new AbortController(),
      inPool: true,
      startedAt: undefined,
      progress: undefined,
      leaseEnd: action.leaseEnd,
    }
    this.tasks.add(entry)
    const work = this.runTask(action, entry)
      .catch(() => {})
      .finally(() => {
        this.tasks.delete(entry)
        this.work.delete(work)
        if (entry.givenBack === true && !this.stopped) this.init.market.giveBack(entry.jobId, entry.task)
      })
    this.work.add(work)
  }

  /**
   * Takes no more work, lets the tasks that are running finish within `graceMs` (the ones
   * still waiting for a thread are not started), stops the rest, whose checkpoints are kept,
   * and tells the swarm it gives their claims up, so that others need not wait for the leases.
   */
  async drain(graceMs: number): Promise<void> {
    this.draining = true
    this.refreshCapacity()
    // The pool starts tasks in the order it got them: the first `threads` in it are running.
    let ahead = 0
    for (const entry of this.tasks) {
      if (entry.inPool && ahead++ >= this.init.pool.threads) entry.abort.abort()
    }
    const grace = setTimeout(() => {
      for (const entry of this.tasks) entry.abort.abort()
    }, graceMs)
    await Promise.allSettled(this.work)
    clearTimeout(grace)
    await this.giveUpClaims()
  }

  /**
   * Gives back the tasks in the pool that `which` picks, at the owner's word (a long pause, a
   * suspended or aborted job, a publisher no longer trusted): stops them, their checkpoints kept,
   * and tells the swarm at once with a claim whose lease end is past. Once a run has ended, the
   * market may claim its task again. A stopped sandbox hears of the stop when it is continued.
   *
   * @returns how many tasks it gave back
   */
  async giveBack(which: (task: HeldTask) => boolean): Promise<number> {
    const byJob = new Map<string, number[]>()
    for (const entry of this.tasks) {
      if (!entry.inPool || entry.givenBack === true || !which(entry)) continue
      entry.givenBack = true
      entry.abort.abort()
      byJob.set(entry.jobId, [...(byJob.get(entry.jobId) ?? []), entry.task])
    }
    const leaseEnd = Date.now() - 1
    let count = 0
    for (const [jobId, tasks] of byJob) {
      count += tasks.length
      tasks.sort((a, b) => a - b)
      for (let at = 0; at < tasks.length; at += MAX_CLAIM_TASKS) {
        const chunk = tasks.slice(at, at + MAX_CLAIM_TASKS)
        await this.init.publish({ type: 'Claim', v: 1, jobId, tasks: chunk, leaseEnd })
      }
    }
    return count
  }

  /** Stops at once: the pool ends its workers, and the tasks' claims run out with their leases. */
  async stop(): Promise<void> {
    this.draining = true
    this.stopped = true
    await this.init.pool.stop()
    await Promise.allSettled(this.work)
  }

  private async runTask(action: RunAction, entry: RunningTask): Promise<void> {
    const { jobId, task, input, leaseEnd } = action
    const { pool, market, store } = this.init
    const key = `${jobId}/${task}`
    let ranAt: number | undefined
    try {
      const bundle = await this.init.bundle(action.workload.cid, leaseEnd)
      entry.abort.signal.throwIfAborted()
      let runMs = 0
      ranAt = Date.now()
      const output = (await pool.run(
        { bundle, input, checkpointKey: `${jobId}/${task}` },
        {
          signal: entry.abort.signal,
          onRunTime: (ms) => (runMs = ms),
          // When a worker begins it, not when it joins the pool's queue.
          onStart: () => {
            entry.startedAt = Date.now()
            this.init.onTask({ jobId, task, state: 'started' })
          },
          onProgress: (fraction) => (entry.progress = { fraction, at: Date.now() }),
        },
      )) as Json
      entry.inPool = false
      this.runTimes.add(runMs)
      this.refreshCapacity()
      const announce = market.job(jobId)?.announce
      const answer = answersArePrivate(announce)
        ? boxedEntry(announce!, jobId, this.init.self, task, { output }, Math.round(runMs))
        : await resultEntry(task, output, Math.round(runMs), (write) => this.keep(write), store)
      await this.results.add(jobId, answer.entry, answer.bytes)
      // Only now: killed before its answer was kept, the task resumes from its checkpoint.
      await this.keep(() => store.deleteCheckpoint(`${jobId}/${task}`))
      this.attempts.delete(key)
      this.init.onTask({ jobId, task, state: 'done' })
    } catch (err) {
      if (this.stopped) return
      const message = (err as Error).message
      const attempts = (this.attempts.get(key) ?? 0) + 1
      // Only a run in the pool says something about the task: a bundle that could not be
      // fetched, or this peer stopping it, does not.
      const verdict =
        ranAt === undefined || entry.abort.signal.aborted
          ? { kind: 'give-up' as const }
          : failureVerdict(err, attempts)
      this.init.onTask({ jobId, task, state: 'failed', error: message })
      if (verdict.kind === 'retry' && !this.draining && Date.now() < leaseEnd) {
        this.attempts.set(key, attempts)
        this.run(action)
        return
      }
      this.attempts.delete(key)
      if (verdict.kind === 'publish') {
        entry.inPool = false
        const { error } = verdict
        const durationMs = Date.now() - ranAt!
        const announce = market.job(jobId)?.announce
        const answer = answersArePrivate(announce)
          ? boxedEntry(announce!, jobId, this.init.self, task, { error }, durationMs)
          : { entry: { task, outputHash: failureHashOf(error), error, durationMs }, bytes: error.length }
        await this.results.add(jobId, answer.entry, answer.bytes)
        await this.keep(() => store.deleteCheckpoint(key))
        return
      }
      market.release(jobId, task)
      if (entry.abort.signal.aborted) this.remember(jobId, task)
      if (!this.draining) this.init.fill()
    }
  }

  private keep<T>(write: () => T | Promise<T>): Promise<T> {
    return this.init.keep === undefined ? Promise.resolve().then(write) : this.init.keep(write)
  }

  private remember(jobId: string, task: number): void {
    const tasks = this.givenUp.get(jobId) ?? new Set()
    tasks.add(task)
    this.givenUp.set(jobId, tasks)
  }

  /** A claim of the tasks with a lease end in the past: the market of every peer frees them at once. */
  private async giveUpClaims(): Promise<void> {
    const leaseEnd = Date.now() - 1
    for (const [jobId, given] of this.givenUp) {
      const tasks = [...given].sort((a, b) => a - b)
      for (let at = 0; at < tasks.length; at += MAX_CLAIM_TASKS) {
        const chunk = tasks.slice(at, at + MAX_CLAIM_TASKS)
        await this.init.publish({ type: 'Claim', v: 1, jobId, tasks: chunk, leaseEnd })
      }
    }
    this.givenUp.clear()
  }
}
