import type { Market, MarketAction } from '@p2pc/market'
import {
  decode,
  encode,
  jobIdOf,
  openEnvelope,
  sealEnvelope,
  type Ed25519PrivateKey,
  type Json,
  type Message,
  type SealedEnvelope,
} from '@p2pc/protocol'
import type { Store } from '@p2pc/store'
import type { BlobSource } from './blob-source.ts'
import { RESULT_BATCH_BYTES, SEAL_BATCH_MS } from './constants.ts'
import type { DiskFullRetry } from './disk-full-retry.ts'
import type { GossipMarket } from './gossip-market.ts'
import { sealBatcher } from './job-batcher.ts'
import { AnswerOpener } from './private-answers.ts'
import { JobWorkers } from './job-workers.ts'
import type { JobCode } from './job-code.ts'
import type { PeerEvents } from './peer-types.ts'
import { StrangerJobs, type StrangerJobLimits } from './stranger-jobs.ts'
import type { TaskRunner } from './task-runner.ts'

/** The job a message belongs to: a JobAnnounce is its own job, every other message names one. */
function jobOf(message: Message): string {
  return message.type === 'JobAnnounce' ? jobIdOf(message) : message.jobId
}

/** What the driver works with; the parts that come and go with the network are read when needed. */
export interface MarketDriverInit {
  market: Market<SealedEnvelope>
  self: string
  key: Ed25519PrivateKey
  store: Store
  disk: DiskFullRetry
  blobs: BlobSource
  code: JobCode
  gossip(): GossipMarket | undefined
  runner(): TaskRunner | undefined
  /** Whether the peer is stopping: it then signs nothing more. */
  stopping(): boolean
  /** A job's counts changed. */
  onProgress(detail: PeerEvents['progress']): void
  /** Publishers whose jobs this peer follows, besides its own (its trust list). */
  trusted(publisher: string): boolean
  /** How many jobs of publishers it does not follow this peer keeps, for how long, in how many bytes. */
  strangerJobs: StrangerJobLimits
  /** A task of this peer's own job is settled in its market: the moment a spot check may be made. */
  settled?(jobId: string, task: number): void
  /** A task of this peer's own job that only its own answer can settle now (`CheckAction`). */
  check?(jobId: string, task: number): void
}

/**
 * The market's only driver (the market itself does no I/O): it feeds it every verified envelope
 * with the clock, lets its time pass, and carries out its actions: persist to the store, sign and
 * publish claims, results and seals, run tasks, fetch batch inputs.
 */
export class MarketDriver {
  /** The jobs this peer published. */
  readonly ownJobs = new Set<string>()
  /** Who works on them: the distinct signers of their claims and results. */
  readonly workers = new JobWorkers()
  /** Jobs this peer works on, or was asked about by a reader: followed whoever published them. */
  private readonly followed = new Set<string>()
  /** The jobs of strangers, kept within bounds. */
  readonly strangers: StrangerJobs
  private readonly init: MarketDriverInit
  private readonly running = new Set<Promise<void>>()
  /** Opens the boxed answers to this peer's own jobs with private answers. */
  private readonly answers: AnswerOpener
  /** This peer's seals of the tasks of its own jobs, many to a Seal. */
  private readonly seals = sealBatcher({
    windowMs: SEAL_BATCH_MS,
    maxBytes: RESULT_BATCH_BYTES,
    publish: (message) => this.signAndPublish(message),
  })

  constructor(init: MarketDriverInit) {
    this.init = init
    this.answers = new AnswerOpener(init.key, init.self)
    this.strangers = new StrangerJobs({
      ...init.strangerJobs,
      follows: (jobId) => this.follows(jobId),
      forget: (jobId, envelopeIds) => this.forget(jobId, envelopeIds),
    })
  }

  /** Replays the envelope log into the market, verifying each envelope again, and judges this peer's own jobs. */
  async replayLog(): Promise<void> {
    const { market, store, self } = this.init
    const now = Date.now()
    for (let after = 0; ;) {
      const page = store.envelopes({ after, limit: 1000 })
      if (page.length === 0) break
      for (const row of page) {
        const envelope = await openEnvelope(row.bytes).catch(() => undefined)
        if (envelope === undefined) continue
        if (market.receive(envelope, now)) this.answers.open(market, envelope)
        const jobId = jobOf(envelope.message)
        if (envelope.message.type === 'JobAnnounce' && envelope.signer === self) this.own(jobId)
        this.workers.saw(jobId, envelope.signer, envelope.message.type)
        if (envelope.signer === self) this.followed.add(jobId)
        this.strangers.observe(jobId, envelope.id, envelope.bytes.length, row.receivedAt)
      }
      after = page.at(-1)!.seq
    }
    // Only now, once every job's envelopes are in: a job is judged on all of them, and the bounds
    // (which may have been lowered since the last run) hold from the start.
    this.strangers.trim(now)
    // Everything replayed is in the log already: drop the persist actions, keep the fetches.
    for (const action of market.takeActions()) if (action.type === 'fetch') this.carryOut(action)
    for (const jobId of this.ownJobs) this.judgeOwnJob(jobId)
  }

  /** Feeds one verified envelope to the market and carries out what it asks. */
  ingest(envelope: SealedEnvelope): void {
    const now = Date.now()
    const jobId = jobOf(envelope.message)
    if (envelope.signer === this.init.self) this.followed.add(jobId)
    this.workers.saw(jobId, envelope.signer, envelope.message.type)
    const isNew = this.init.market.receive(envelope, now)
    if (isNew) this.answers.open(this.init.market, envelope)
    if (isNew && envelope.message.type === 'JobAnnounce') this.onJobKnown(jobId)
    if (isNew) this.emitProgress(envelope.message)
    this.act()
    this.strangers.observe(jobId, envelope.id, envelope.bytes.length, now)
    this.strangers.trim(now)
  }

  /** A reader asked about a job (its results, its tasks): this peer follows it from now on. */
  follow(jobId: string): void {
    this.followed.add(jobId)
    this.strangers.follow(jobId)
  }

  /** Whether this peer follows a job: its own, one of a trusted publisher, one it works on or was asked about. */
  private follows(jobId: string): boolean {
    if (this.ownJobs.has(jobId) || this.followed.has(jobId)) return true
    const publisher = this.init.market.job(jobId)?.announce.publisher
    return publisher !== undefined && this.init.trusted(publisher)
  }

  /** Forgets a stranger's job: the market's state, the log's envelopes, the job's gossip topic. */
  private forget(jobId: string, envelopeIds: string[]): void {
    this.init.market.forget(jobId, envelopeIds)
    this.init.gossip()?.unfollowJob(jobId)
    try {
      this.init.disk.attempt(() => this.init.store.forgetJob(jobId))
    } catch {
      // The store is stopping, or the delete failed: the job is still in the log, and is bounded
      // again when the log is replayed at the next start.
    }
  }

  /** Envelopes of a job this peer has just made: they are its own, and the market hears of them first. */
  published(jobId: string, envelopes: SealedEnvelope[]): void {
    this.own(jobId)
    for (const envelope of envelopes) this.ingest(envelope)
  }

  /** Lets the market's time pass (leases end, claims are made) and the runner fill its slots. */
  tick(): void {
    const now = Date.now()
    this.init.runner()?.refreshCapacity()
    this.init.market.tick(now)
    this.act()
    this.strangers.trim(now)
  }

  /** Signs a message of this peer, keeps it (all but claims) and publishes it. */
  async signAndPublish(message: Message): Promise<void> {
    if (this.init.stopping()) return
    const envelope = await sealEnvelope(message, this.init.key)
    if (message.type !== 'Claim') {
      this.ingest(envelope)
      // A result frees its claim's slot: fill it now rather than at the next tick, or short tasks
      // would wait for the timer (and for this result's commit) more than they run.
      this.tick()
      // What the swarm hears of this peer, this peer keeps: a result goes out only once stored,
      // however long a full disk makes that take. Appending it again joins the persist's own group
      // commit, and is a no-op once that has kept it.
      await this.init.disk.write(() => this.init.store.appendEnvelope(envelope))
    }
    await this.init
      .gossip()
      ?.publish(envelope)
      .catch(() => {})
  }

  /** Announces this peer's open jobs again, for peers that missed them. */
  async reannounce(): Promise<void> {
    const { market, store } = this.init
    const gossip = this.init.gossip()
    if (gossip === undefined) return
    for (const jobId of this.ownJobs) {
      if (market.job(jobId)?.status !== 'open') continue
      // The log holds these envelopes verified already: send their bytes as they are.
      for (const type of ['JobAnnounce', 'TaskBatch'] as const) {
        for (const id of store.envelopeIds(jobId, type)) {
          const bytes = store.getEnvelope(id)
          if (bytes !== undefined) await gossip.publishMarketBytes(bytes)
        }
      }
    }
  }

  /** Seals still gathering go out now; any lost are asked for again when the log is replayed. */
  flushSeals(): Promise<void> {
    return this.seals.flushAll()
  }

  /** Waits for the fetches and seals under way (once the peer is stopping, no new ones start). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.running)
  }

  private own(jobId: string): void {
    this.ownJobs.add(jobId)
    this.workers.track(jobId)
  }

  private onJobKnown(jobId: string): void {
    this.init.gossip()?.followJob(jobId)
    this.judgeOwnJob(jobId)
  }

  /** On this peer's own job, its workload judges outputs, and its seals carry that to every reader. */
  private judgeOwnJob(jobId: string): void {
    const { market, code } = this.init
    const announce = market.job(jobId)?.announce
    if (announce !== undefined) code.judge(announce, jobId, market, () => this.act())
  }

  private act(): void {
    for (const action of this.init.market.takeActions()) this.carryOut(action)
  }

  private carryOut(action: MarketAction<SealedEnvelope>): void {
    switch (action.type) {
      case 'persist':
        // Group commit, waiting out a full disk. A write that fails otherwise stops this peer's own
        // envelopes from going out unkept (see signAndPublish); one from others is heard again through sync.
        this.init.disk.write(() => this.init.store.appendEnvelope(action.envelope)).catch(() => {})
        break
      case 'claim':
        // This peer's own claims are not fed back to it: it works on its own job too.
        this.workers.saw(action.jobId, this.init.self, 'Claim')
        void this.signAndPublish({
          type: 'Claim',
          v: 1,
          jobId: action.jobId,
          tasks: action.tasks,
          leaseEnd: action.leaseEnd,
        })
        break
      case 'run':
        this.follow(action.jobId)
        this.init.runner()?.run(action)
        break
      case 'fetch':
        this.track(this.fetchInputs(action.jobId, action.cid))
        break
      case 'seal': {
        const { jobId, task, outputHash } = action
        this.track(
          this.seals.add(jobId, { kind: 'seal', entry: { task, outputHash } }, outputHash.length + 16),
        )
        this.init.settled?.(jobId, task)
        break
      }
      case 'open': {
        // The openings of a settled task of a job with private answers, with its output inline.
        const bytes = encode(action.opened).length + 16
        this.track(this.seals.add(action.jobId, { kind: 'open', entry: action.opened }, bytes))
        break
      }
      case 'check':
        this.init.check?.(action.jobId, action.task)
        break
      case 'target':
        this.track(
          this.seals.add(
            action.jobId,
            { kind: 'target', entry: { task: action.task, target: action.target } },
            24,
          ),
        )
        break
      case 'cancel': {
        // Its running tasks stop (the market claims none of them again); their claims are handed back.
        const runner = this.init.runner()
        if (runner !== undefined)
          this.track(runner.giveBack((task) => task.jobId === action.jobId).then(() => {}))
        break
      }
    }
  }

  private async fetchInputs(jobId: string, cid: string): Promise<void> {
    const inputs = decode(await this.init.blobs.blob(cid))
    if (Array.isArray(inputs)) this.init.market.supplyInputs(jobId, cid, inputs as Json[])
    this.act()
  }

  private emitProgress(message: Message): void {
    const jobId = message.type === 'JobAnnounce' ? jobIdOf(message) : message.jobId
    const view = this.init.market.job(jobId)
    if (view !== undefined) this.init.onProgress({ jobId, tasks: view.progress })
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch(() => {}).finally(() => this.running.delete(tracked))
    this.running.add(tracked)
  }
}
