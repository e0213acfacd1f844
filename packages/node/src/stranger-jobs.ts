/** Bounds on the jobs a peer keeps of publishers it does not follow. */
export interface StrangerJobLimits {
  /** Jobs kept at most. */
  maxJobs: number
  /** How long after this peer first heard of one a job is kept. */
  maxAgeMs: number
  /** Envelope bytes kept at most over all of them. */
  maxBytes: number
}

/** Options of {@link StrangerJobs}. */
export interface StrangerJobsInit extends StrangerJobLimits {
  /** Whether this peer follows a job: such a job is never counted, nor forgotten. */
  follows(jobId: string): boolean
  /** Forgets a job everywhere this peer keeps it; `envelopeIds` are those heard of it. */
  forget(jobId: string, envelopeIds: string[]): void
}

interface Tracked {
  since: number
  bytes: number
  envelopeIds: string[]
}

/**
 * The jobs of strangers: announced by a publisher this peer does not follow, or not announced at
 * all. Anyone can announce jobs from fresh keys for free, and every peer would keep them for ever;
 * so these are kept only within a count, an age and a size, and the oldest go first. A forgotten
 * job may come back (sync, gossip): it is then a new stranger's job, bounded again.
 */
export class StrangerJobs {
  private readonly init: StrangerJobsInit
  /** In the order this peer first heard of them, oldest first. */
  private readonly jobs = new Map<string, Tracked>()
  private totalBytes = 0
  /** Jobs forgotten since this peer started. */
  forgotten = 0

  constructor(init: StrangerJobsInit) {
    this.init = init
  }

  /** Jobs counted now. */
  get count(): number {
    return this.jobs.size
  }

  /** Envelope bytes counted now. */
  get bytes(): number {
    return this.totalBytes
  }

  /**
   * Counts an envelope of a job heard at `now`; a job this peer follows is not counted (and no
   * longer is, if it was). Call {@link trim} to apply the bounds.
   */
  observe(jobId: string, envelopeId: string, bytes: number, now: number): void {
    if (this.init.follows(jobId)) {
      this.follow(jobId)
      return
    }
    let tracked = this.jobs.get(jobId)
    if (tracked === undefined) this.jobs.set(jobId, (tracked = { since: now, bytes: 0, envelopeIds: [] }))
    tracked.bytes += bytes
    tracked.envelopeIds.push(envelopeId)
    this.totalBytes += bytes
  }

  /** Stops counting a job, which this peer now follows: it is kept whatever the bounds. */
  follow(jobId: string): void {
    const tracked = this.jobs.get(jobId)
    if (tracked === undefined) return
    this.jobs.delete(jobId)
    this.totalBytes -= tracked.bytes
  }

  /** Forgets the jobs too old at `now`, then the oldest until the count and size are within bounds. */
  trim(now: number): void {
    const { maxJobs, maxAgeMs, maxBytes } = this.init
    for (const [jobId, tracked] of this.jobs) {
      if (now - tracked.since >= maxAgeMs) this.evict(jobId, tracked)
    }
    for (const [jobId, tracked] of this.jobs) {
      if (this.jobs.size <= maxJobs && this.totalBytes <= maxBytes) break
      this.evict(jobId, tracked)
    }
  }

  private evict(jobId: string, tracked: Tracked): void {
    this.jobs.delete(jobId)
    this.totalBytes -= tracked.bytes
    this.forgotten++
    this.init.forget(jobId, tracked.envelopeIds)
  }
}
