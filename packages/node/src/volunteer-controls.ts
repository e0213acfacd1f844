import type { TaskPool } from '@p2pc/runtime'
import { GIVE_BACK_MARGIN_MS } from './constants.ts'
import { InvalidOptionError, JobAbortedError, NotContributingError, UnknownJobError } from './errors.ts'
import type { ControlsStatus, JobControl } from './peer-types.ts'
import type { TaskRunner } from './task-runner.ts'

/** What the controls work with: the contributor's parts (none on a peer that does not contribute). */
export interface VolunteerControlsInit {
  pool(): TaskPool | undefined
  runner(): TaskRunner | undefined
  /** The publishers this peer trusts, read by its market on every tick. */
  trust: Set<string>
  /** This peer's id: its own jobs are always trusted. */
  self(): string
  /** The publisher of a job this peer knows, else undefined. */
  publisherOf(jobId: string): string | undefined
  /** Lets the market claim work for free slots now. */
  fill(): void
  now(): number
  /** What the controls hold changed (a pause began or ended, a job was suspended…). */
  onChange?(status: ControlsStatus): void
}

/**
 * The volunteer's hand on a running contributor (`p2pc pause`, `resume`, `finish`, `trust`,
 * `job suspend|resume|abort`), effective at once. A pause is the governor's own (the sandbox
 * stopped, checkpoints and claims kept); a claim whose lease would run out before the pause ends
 * is given back, so that others need not wait for it. A suspended job keeps its checkpoints and
 * is taken up again on resume; an aborted one is not taken again while the peer runs.
 */
export class VolunteerControls {
  private readonly init: VolunteerControlsInit
  /** While paused: until when (ms since the epoch), or null until resumed. */
  private pausedUntil: number | null | undefined
  private resumeTimer: NodeJS.Timeout | undefined
  private finishing = false
  private readonly suspended = new Set<string>()
  private readonly aborted = new Set<string>()

  constructor(init: VolunteerControlsInit) {
    this.init = init
  }

  /** Whether the volunteer holds new work back: a pause or a finish. */
  get holdsBack(): boolean {
    return this.finishing || this.pausedUntil !== undefined
  }

  /** Whether the market may take tasks of this job. */
  works(jobId: string): boolean {
    return !this.suspended.has(jobId) && !this.aborted.has(jobId)
  }

  /**
   * Pauses the pool for `forMs`, or until resumed, and gives back the claims that would lapse meanwhile.
   *
   * @throws InvalidOptionError for a length that is not a positive number of ms; NotContributingError
   */
  async pause(forMs?: number): Promise<ControlsStatus> {
    if (forMs !== undefined && (!Number.isFinite(forMs) || forMs <= 0)) {
      throw new InvalidOptionError('a pause must last a positive number of ms')
    }
    const { pool } = this.contributing()
    clearTimeout(this.resumeTimer)
    this.resumeTimer = undefined
    this.pausedUntil = forMs === undefined ? null : this.init.now() + forMs
    if (forMs !== undefined) {
      this.resumeTimer = setTimeout(() => this.endPause(), forMs)
      this.resumeTimer.unref()
    }
    pool.pause?.()
    await this.review()
    return this.changed()
  }

  /** Ends a pause and a finish: the pool runs and the peer takes tasks again. */
  resume(): ControlsStatus {
    this.contributing()
    this.finishing = false
    return this.endPause()
  }

  private endPause(): ControlsStatus {
    clearTimeout(this.resumeTimer)
    this.resumeTimer = undefined
    this.pausedUntil = undefined
    this.init.pool()?.resume?.()
    this.init.runner()?.refreshCapacity()
    this.init.fill()
    return this.changed()
  }

  /** Lets the tasks this peer holds finish, and takes no new ones until resumed. */
  finish(): ControlsStatus {
    const { runner } = this.contributing()
    this.finishing = true
    runner.refreshCapacity()
    return this.changed()
  }

  /** Trusts a publisher from now on, or stops: its tasks running here are given back. */
  async setTrust(publisher: string, trusted: boolean): Promise<void> {
    if (trusted) {
      this.init.trust.add(publisher)
      this.init.fill()
      return
    }
    this.init.trust.delete(publisher)
    if (publisher === this.init.self()) return
    await this.init.runner()?.giveBack((task) => this.init.publisherOf(task.jobId) === publisher)
  }

  /**
   * Suspends a job (its tasks given back, checkpoints kept), takes it up again, or aborts it.
   *
   * @throws UnknownJobError, JobAbortedError (resuming an aborted job), NotContributingError
   */
  async controlJob(jobId: string, action: JobControl): Promise<ControlsStatus> {
    if (this.init.publisherOf(jobId) === undefined) {
      throw new UnknownJobError(`this peer knows no job ${jobId}`)
    }
    const { runner } = this.contributing()
    if (action === 'resume') {
      if (this.aborted.has(jobId)) throw new JobAbortedError(`the job ${jobId} was aborted on this peer`)
      this.suspended.delete(jobId)
      this.init.fill()
      return this.changed()
    }
    if (action === 'abort') {
      this.aborted.add(jobId)
      this.suspended.delete(jobId)
    } else if (!this.aborted.has(jobId)) this.suspended.add(jobId)
    await runner.giveBack((task) => task.jobId === jobId)
    return this.changed()
  }

  /**
   * While paused, gives back each claim whose lease ends before the pause does (an open pause:
   * within the margin), so that other peers take its task at once. Called on every tick.
   */
  async review(): Promise<void> {
    if (this.pausedUntil === undefined) return
    const runner = this.init.runner()
    if (runner === undefined) return
    const horizon = (this.pausedUntil ?? this.init.now()) + GIVE_BACK_MARGIN_MS
    await runner.giveBack((task) => task.leaseEnd <= horizon)
  }

  status(): ControlsStatus {
    return {
      ...(this.pausedUntil === undefined ? {} : { pausedUntil: this.pausedUntil }),
      finishing: this.finishing,
      suspendedJobs: [...this.suspended].sort(),
      abortedJobs: [...this.aborted].sort(),
    }
  }

  private changed(): ControlsStatus {
    const status = this.status()
    this.init.onChange?.(status)
    return status
  }

  stop(): void {
    clearTimeout(this.resumeTimer)
    this.resumeTimer = undefined
  }

  private contributing(): { pool: TaskPool; runner: TaskRunner } {
    const pool = this.init.pool()
    const runner = this.init.runner()
    if (pool === undefined || runner === undefined) {
      throw new NotContributingError('this peer does not contribute: start it with `p2pc contribute`')
    }
    return { pool, runner }
  }
}
