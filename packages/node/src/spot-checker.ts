import { createHash, createHmac } from 'node:crypto'
import type { Market } from '@p2pc/market'
import type { Ed25519PrivateKey, JobAnnounce, Json, Message, SealedEnvelope } from '@p2pc/protocol'
import type { Store } from '@p2pc/store'
import { RUNTIME_CLASS, resultEntry } from './result-entry.ts'

/** The secret a peer draws its spot checks with: a hash of its private key, for this use only. */
export function spotCheckSecret(key: Ed25519PrivateKey): Uint8Array {
  return createHash('sha256').update('p2pc spot checks\n').update(key.raw).digest()
}

/** What a {@link SpotChecker} works with. */
export interface SpotCheckerInit {
  market: Market<SealedEnvelope>
  store: Store
  /**
   * This peer's secret for drawing which tasks it checks: derived from its private key, so the
   * same tasks are drawn after a restart, and nobody else can tell which.
   */
  secret: Uint8Array
  /** Runs one task of this peer's own job (see `JobCode.runOwn`). */
  run(announce: JobAnnounce, input: Json, signal: AbortSignal): Promise<{ output: unknown; runMs: number }>
  /** Signs a message, keeps it and sends it to the swarm. */
  publish(message: Message): Promise<void>
  /** Runs a write to the store, waiting out a full disk. */
  keep<T>(write: () => T | Promise<T>): Promise<T>
}

/**
 * The publisher's spot checks: of its own jobs with a `spotCheckRate`, it computes the drawn
 * tasks itself once each is settled (never before, so no contributor can tell which are checked),
 * and publishes the answer as a Result marked `check`. The market then judges everyone who
 * answered the task by it (docs/ARCHITECTURE.md, "Verification").
 */
export class SpotChecker {
  private readonly init: SpotCheckerInit
  /** Tasks checked or being checked, by `jobId/task`, so that each is computed once per run. */
  private readonly started = new Set<string>()
  private readonly abort = new AbortController()
  private readonly running = new Set<Promise<void>>()

  constructor(init: SpotCheckerInit) {
    this.init = init
  }

  /**
   * Whether this peer checks a settled task of its job: a keyed draw, at the rate its market gives
   * (the announce's, or more where no credible signer vouches for the task).
   */
  private isChecked(jobId: string, task: number): boolean {
    const rate = this.init.market.checkRate(jobId, task)
    if (rate <= 0) return false
    const digest = createHmac('sha256', this.init.secret).update(`${jobId}/${task}`).digest()
    return digest.readUInt32BE(0) / 2 ** 32 < rate
  }

  /** A task of this peer's own job is settled: checks it if it is drawn and not checked yet. */
  settled(jobId: string, task: number): void {
    if (!this.isChecked(jobId, task)) return
    this.answer(jobId, task)
  }

  /**
   * Checks a task of this peer's own job whether it is drawn or not: the market asks for it
   * (`CheckAction`) where only this peer's own answer can settle it.
   */
  answer(jobId: string, task: number): void {
    const { market } = this.init
    const announce = market.job(jobId)?.announce
    if (announce === undefined) return
    const key = `${jobId}/${task}`
    if (this.started.has(key) || this.abort.signal.aborted) return
    const view = market.task(jobId, task, Date.now())
    if (view === undefined || view.input === undefined || view.tally.verified === 'checked') return
    this.started.add(key)
    const work = this.check(jobId, announce, task, view.input)
      // A check that fails (the peer stops, the run fails here) is a check not made: the task
      // stands as the vote left it.
      .catch(() => {})
      .finally(() => this.running.delete(work))
    this.running.add(work)
  }

  /** After a restart: the settled tasks of this peer's own jobs that were drawn and never checked. */
  resume(jobIds: Iterable<string>): void {
    for (const jobId of jobIds) {
      const view = this.init.market.job(jobId)
      if (view === undefined || (view.announce.spotCheckRate ?? 0) <= 0) continue
      for (const { index } of this.init.market.outputs(jobId)) this.settled(jobId, index)
    }
  }

  /** Stops the checks under way; the tasks they were for stand as the vote left them. */
  async stop(): Promise<void> {
    this.abort.abort()
    await Promise.allSettled(this.running)
  }

  private async check(jobId: string, announce: JobAnnounce, task: number, input: Json): Promise<void> {
    const { output, runMs } = await this.init.run(announce, input, this.abort.signal)
    const { store, keep } = this.init
    const { entry } = await resultEntry(task, output as Json, Math.round(runMs), keep, store)
    await this.init.publish({
      type: 'Result',
      v: 1,
      jobId,
      runtime: RUNTIME_CLASS,
      check: true,
      ...entry,
    } as Message)
  }
}
