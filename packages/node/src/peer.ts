import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { PeerId } from '@libp2p/interface'
import { createMarket, errorRateBound, type Market } from '@p2pc/market'
import {
  MAX_ENVELOPE_BYTES,
  decode,
  peerIdOf,
  sealEnvelope,
  type Ed25519PrivateKey,
  type Json,
  type SealedEnvelope,
} from '@p2pc/protocol'
import { createSandboxedTaskPool, createTaskPool, type TaskPool } from '@p2pc/runtime'
import { createStore, type Store } from '@p2pc/store'
import {
  DEFAULT_DRAIN_GRACE_MS,
  DEFAULT_LONELY_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_REANNOUNCE_MS,
  DEFAULT_REDIAL_MS,
  DEFAULT_STRANGER_JOB_AGE_MS,
  DEFAULT_STRANGER_JOB_BYTES,
  DEFAULT_STRANGER_JOBS,
  DEFAULT_SYNC_MS,
  DEFAULT_TICK_MS,
  DIRECT_UPGRADE_TIMEOUT_MS,
  DISK_FULL_RETRY_MS,
  PEER_RECORD_MS,
  TASK_COUNTS_FLUSH_MS,
  CREDIT_RECORD_MS,
} from './constants.ts'
import { BlobSource } from './blob-source.ts'
import { AddressBook, addressBookOptions } from './address-book.ts'
import { InvalidOptionError, NotPublisherError, PeerNotStartedError, UnknownJobError } from './errors.ts'
import { CONTROL_SOCKET } from './control-client.ts'
import { serveControl } from './control-server.ts'
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts'
import { DiskFullRetry } from './disk-full-retry.ts'
import { LISTED_FAILURES, failureReport } from './failure-report.ts'
import { nextSync } from './first-sync.ts'
import { serveBlobs } from './fetch-protocol.ts'
import { JobCode } from './job-code.ts'
import { GossipMarket } from './gossip-market.ts'
import { createHost, type Host } from './host.ts'
import { connectionsOf, relayStatus } from './host-status.ts'
import { startReach } from './reach.ts'
import { peerIdIn, stayConnected } from './stay-connected.ts'
import { checkListenAddresses, listenError } from './listen-error.ts'
import { localPeerApi } from './peer-api.ts'
import type {
  CreditReport,
  ControlsStatus,
  JobControl,
  FirstSync,
  JobResults,
  JobVerification,
  JobSummary,
  Peer,
  PeerComponents,
  PeerEvents,
  PeerInit,
  PeerStatus,
} from './peer-types.ts'
import { planJob, type PublishOptions } from './plan-job.ts'
import { relayGate, type RelayGate } from './relay-gate.ts'
import { relaySettings, type RelaySettings } from './relay-options.ts'
import { serveSync, syncFrom } from './sync-protocol.ts'
import { MarketDriver } from './market-driver.ts'
import type { StrangerJobLimits } from './stranger-jobs.ts'
import { TaskCounts } from './task-counts.ts'
import { CreditLedger } from './credit-ledger.ts'
import { answerKeysOf } from './private-answers.ts'
import { SpotChecker, spotCheckSecret } from './spot-checker.ts'
import { TaskRunner } from './task-runner.ts'
import { webrtcPeerStarted, webrtcPeerStopped } from './webrtc-threads.ts'
import { taskResults, type TaskResult } from './task-results.ts'
import { VolunteerControls } from './volunteer-controls.ts'

class P2pcPeer extends EventTarget implements Peer {
  peerId = ''
  private readonly init: PeerInit
  private readonly suppliedPool: TaskPool | undefined
  private readonly store: Store
  private key: Ed25519PrivateKey | undefined
  private market: Market<SealedEnvelope> | undefined
  private host: Host | undefined
  private links: { stop(): Promise<void> } | undefined
  /** The bootstrap multiaddrs but this peer's own: a shared list of a network's peers names them all. */
  private bootstrap: string[] = []
  private gossip: GossipMarket | undefined
  private pool: TaskPool | undefined
  private readonly timers: NodeJS.Timeout[] = []
  private readonly blobs: BlobSource
  private driver: MarketDriver | undefined
  private readonly syncing = new Set<string>()
  /** Sync sessions that ended since this peer started. */
  private synced = 0
  /** Whether this peer knew no one at start (no bootstrap peer, an empty address book), and is still alone. */
  private knewNoOne = false
  private lonely = false
  private stopping = false
  private runner: TaskRunner | undefined
  private controls: VolunteerControls | undefined
  private control: { close(): Promise<void> } | undefined
  private lock: DataDirLock | undefined
  private readonly disk: DiskFullRetry
  private readonly counts: TaskCounts
  private credits: CreditLedger | undefined
  private readonly code: JobCode
  /** This peer's spot checks of its own jobs, while it runs. */
  private spotChecks: SpotChecker | undefined
  private readonly relay: { settings: RelaySettings; gate: RelayGate } | undefined
  private reach: { stop(): void } | undefined
  private readonly strangerLimits: StrangerJobLimits

  constructor(init: PeerInit, components: PeerComponents) {
    super()
    if (init.threads !== undefined && (!Number.isInteger(init.threads) || init.threads < 1)) {
      throw new InvalidOptionError('options.threads must be a positive integer')
    }
    this.init = init
    this.strangerLimits = strangerJobLimits(init.strangerJobs)
    this.suppliedPool = components.pool
    if (init.relay !== undefined) {
      const settings = relaySettings(init.relay)
      this.relay = {
        settings,
        gate: relayGate(settings, () => {
          const host = this.host
          return (
            host && { getConnections: (peer) => host.getConnections(peer), relay: () => host.services.relay }
          )
        }),
      }
    }
    this.store = createStore({ dir: init.dataDir })
    this.blobs = new BlobSource({
      blobs: this.store.blobs,
      bundleDir: this.bundleDir(),
      host: () => this.host,
      stopping: () => this.stopping,
    })
    this.code = new JobCode({
      self: () => this.peerId,
      bundle: (cid) => this.blobs.bundle(cid),
      pool: () => this.pool,
      readerPool: {
        sandbox: init.sandbox !== false,
        bundleDir: this.bundleDir(),
        taskTimeoutMs: init.taskTimeoutMs,
        memoryMb: init.memoryMb,
      },
    })
    this.disk = new DiskFullRetry({
      retryMs: init.diskFullRetryMs ?? DISK_FULL_RETRY_MS,
      onChange: (error) => {
        this.runner?.refreshCapacity()
        this.emit('disk', error === undefined ? { full: false } : { full: true, error: error.message })
      },
    })
    this.counts = new TaskCounts({
      store: this.store,
      flushMs: TASK_COUNTS_FLUSH_MS,
      attempt: (write) => this.disk.attempt(write),
    })
  }

  async start(): Promise<void> {
    if (this.host !== undefined) return
    this.stopping = false
    try {
      await this.goOnline()
    } catch (err) {
      // Let go of all this start took (a listening socket kept the process alive for ever).
      await this.letGo()
      throw err
    }
  }

  private async goOnline(): Promise<void> {
    // The data dir first, before anything of this peer listens: one identity is online once.
    this.lock = await lockDataDir(this.init.dataDir)
    await this.store.start()
    this.key = await this.store.key()
    this.peerId = peerIdOf(this.key)
    this.counts.start()
    this.bootstrap = (this.init.bootstrap ?? []).filter((address) => peerIdIn(address) !== this.peerId)
    this.disk.start()
    if (this.init.control !== false) {
      this.control = await serveControl(localPeerApi(this), join(this.init.dataDir, CONTROL_SOCKET))
    }
    const threads = this.init.threads
    const trust = new Set(this.init.trust ?? [])
    const controls = new VolunteerControls({
      pool: () => this.pool,
      runner: () => this.runner,
      trust,
      self: () => this.peerId,
      publisherOf: (jobId) => this.market?.job(jobId)?.announce.publisher,
      fill: () => this.driver?.tick(),
      now: () => Date.now(),
      onChange: (status) => this.emit('controls', status),
    })
    this.controls = controls
    this.market = createMarket<SealedEnvelope>({
      self: this.peerId,
      trust,
      trustAny: this.init.trustAny ?? false,
      works: (jobId) => controls.works(jobId),
      // A reader never claims; a contributor's capacity is set once its pool is up.
      maxActiveClaims: 0,
      // Its task runner boxes answers to jobs with private answers for their publisher.
      answersPrivately: true,
    })
    const driver = new MarketDriver({
      market: this.market,
      self: this.peerId,
      key: this.key,
      store: this.store,
      disk: this.disk,
      blobs: this.blobs,
      code: this.code,
      gossip: () => this.gossip,
      runner: () => this.runner,
      stopping: () => this.stopping,
      onProgress: (detail) => this.emit('progress', detail),
      trusted: (publisher) => trust.has(publisher),
      strangerJobs: this.strangerLimits,
      settled: (jobId, task) => this.spotChecks?.settled(jobId, task),
      check: (jobId, task) => this.spotChecks?.answer(jobId, task),
    })
    this.driver = driver
    this.spotChecks = new SpotChecker({
      market: this.market,
      store: this.store,
      secret: spotCheckSecret(this.key),
      run: async (announce, input, signal) => {
        let runMs = 0
        const output = await this.code.runOwn(announce, input, { signal, onRunTime: (ms) => (runMs = ms) })
        return { output, runMs }
      },
      publish: (message) => driver.signAndPublish(message),
      keep: (write) => this.disk.write(write),
    })
    for (const jobId of this.init.follow ?? []) driver.follow(jobId)
    await driver.replayLog()
    const credits = new CreditLedger({
      market: this.market,
      store: this.store,
      attempt: (write) => this.disk.attempt(write),
    })
    credits.start()
    // What a run that ended before writing it down validated, dated today.
    credits.record(Date.now())
    this.credits = credits
    if (this.init.contribute === true) {
      // The sandbox may read the bundle folder only if it exists when the sandbox starts.
      await mkdir(this.bundleDir(), { recursive: true })
      const checkpoints = {
        load: (key: string) => this.store.loadCheckpoint(key),
        save: (key: string, state: unknown) => this.disk.attempt(() => this.store.saveCheckpoint(key, state)),
      }
      const { taskTimeoutMs, memoryMb, governor } = this.init
      const poolInit = { threads, checkpoints, taskTimeoutMs, memoryMb, governor }
      this.pool =
        this.suppliedPool ??
        (this.init.sandbox === false
          ? createTaskPool(poolInit)
          : createSandboxedTaskPool({ ...poolInit, bundleDir: this.bundleDir() }))
      this.pool.start()
      this.runner = new TaskRunner({
        self: this.peerId,
        pool: this.pool,
        market: this.market,
        store: this.store,
        bundle: (cid, deadline) => this.blobs.bundleBefore(cid, deadline),
        publish: (message) => driver.signAndPublish(message),
        fill: () => driver.tick(),
        holdsBack: () => this.disk.error !== undefined || controls.holdsBack,
        keep: (write) => this.disk.write(write),
        onTask: (detail) => {
          this.counts.count(detail.state)
          this.emit('task', detail)
        },
      })
    }
    const listen = this.init.listen ?? ['/ip4/0.0.0.0/tcp/0']
    checkListenAddresses(listen)
    const host = await createHost({
      privateKey: this.key,
      listen,
      bootstrap: this.bootstrap,
      mdns: this.init.mdns ?? true,
      heartbeatMs: this.init.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      relay: this.relay,
      stun: this.init.stun ?? [],
      upnp: this.init.upnp ?? false,
      addressBook: addressBookOptions(this.store.datastore),
    })
    this.host = host
    const book = new AddressBook({ peerStore: host.peerStore })
    // Before libp2p starts, which dials at once the keep-alive peers of the last run.
    await book.prune()
    const knewNoOne = this.bootstrap.length === 0 && (await book.known()).length === 0
    this.knewNoOne = knewNoOne
    this.gossip = new GossipMarket({
      pubsub: host.services.pubsub,
      maxBytes: MAX_ENVELOPE_BYTES,
      onEnvelope: (envelope) => driver.ingest(envelope),
      rateLimits: this.init.gossipRateLimits,
    })
    await serveBlobs(host, this.store.blobs)
    await serveSync(host, this.store)
    host.addEventListener('peer:identify', (event) => {
      const { peerId, protocols } = event.detail
      if (protocols.includes('/p2pc/sync/1.0.0')) void this.syncWith(peerId)
    })
    // Before libp2p starts, so that the peers it meets at once are remembered too.
    this.links = stayConnected(host, {
      bootstrap: this.bootstrap,
      book,
      redialMs: this.init.redialMs ?? DEFAULT_REDIAL_MS,
      lonelyMs: this.init.lonelyMs ?? DEFAULT_LONELY_MS,
      knewNoOne,
      onLonely: () => {
        this.lonely = true
        this.emit('lonely', { mdns: this.init.mdns ?? true })
      },
    })
    try {
      await host.start()
    } catch (err) {
      throw listenError(err)
    }
    webrtcPeerStarted()
    this.gossip.start()
    this.reach = startReach(host, {
      privateKey: this.key,
      directUpgradeTimeoutMs: this.init.directUpgradeTimeoutMs ?? DIRECT_UPGRADE_TIMEOUT_MS,
      peerRecordMs: this.init.peerRecordMs ?? PEER_RECORD_MS,
      relayGate: this.relay?.gate,
    })
    for (const jobId of this.market.jobIds()) this.gossip.followJob(jobId)
    this.every(this.init.tickMs ?? DEFAULT_TICK_MS, () => {
      driver.tick()
      void controls.review()
    })
    this.every(this.init.syncMs ?? DEFAULT_SYNC_MS, () => void this.syncNow())
    this.every(this.init.reannounceMs ?? DEFAULT_REANNOUNCE_MS, () => void driver.reannounce())
    this.every(CREDIT_RECORD_MS, () => credits.record(Date.now()))
    // Checks a run that stopped never made, now that the pools are up.
    this.spotChecks?.resume(driver.ownJobs)
  }

  async stop(): Promise<void> {
    if (this.host === undefined) return
    await this.driver?.flushSeals()
    await this.letGo()
  }

  /** Stops and lets go of whatever this peer holds, in the reverse order of start; the data dir last. */
  private async letGo(): Promise<void> {
    this.stopping = true
    this.synced = 0
    this.lonely = false
    for (const timer of this.timers.splice(0)) clearInterval(timer)
    this.controls?.stop()
    if (this.host?.status === 'started') this.reach?.stop()
    this.reach = undefined
    await this.links?.stop()
    this.links = undefined
    // A libp2p that failed to start has stopped itself, and its gossip never started.
    if (this.host?.status === 'started') this.gossip?.stop()
    // Writes still waiting for space give up, or the tasks whose answers they hold would never end.
    this.disk.stop()
    await this.spotChecks?.stop()
    this.spotChecks = undefined
    await this.runner?.stop()
    await this.pool?.stop()
    await this.driver?.settle()
    await this.code.stop()
    const wasOnline = this.host?.status === 'started'
    await this.host?.stop()
    if (wasOnline) webrtcPeerStopped()
    await this.control?.close()
    this.control = undefined
    this.host = undefined
    this.gossip = undefined
    this.pool = undefined
    this.runner = undefined
    this.counts.stop()
    this.credits?.record(Date.now())
    this.credits = undefined
    await this.store.stop()
    this.lock?.release()
    this.lock = undefined
  }

  addresses(): string[] {
    return this.started()
      .host.getMultiaddrs()
      .map((address) => address.toString())
  }

  connections(): string[] {
    return [
      ...new Set(
        this.started()
          .host.getConnections()
          .map((c) => c.remotePeer.toString()),
      ),
    ]
  }

  async publish(workloadDir: string, params?: unknown, options: PublishOptions = {}): Promise<string> {
    const { gossip } = this.started()
    const planned = await planJob(workloadDir, params, options, {
      publisher: this.peerId,
      blobs: this.store.blobs,
      bundleDir: this.bundleDir(),
      now: Date.now(),
      answerKey: (nonce) => answerKeysOf(this.key as Ed25519PrivateKey, nonce).publicKey,
    })
    this.blobs.remember(planned.announce.workload.cid, planned.bundlePath)
    const key = this.key as Ed25519PrivateKey
    const envelopes: SealedEnvelope[] = [await sealEnvelope(planned.announce, key)]
    for (const batch of planned.batches) envelopes.push(await sealEnvelope(batch, key))
    this.driver!.published(planned.jobId, envelopes)
    // The job is this peer's to keep before anyone hears of it.
    await this.store.committed()
    for (const envelope of envelopes) await gossip.publish(envelope)
    return planned.jobId
  }

  jobs(): JobSummary[] {
    const { market } = this.started()
    return market.jobIds().map((jobId) => {
      const view = market.job(jobId)!
      return {
        jobId,
        name: view.announce.workload.name,
        version: view.announce.workload.version,
        publisher: view.announce.publisher,
        status: view.status,
        tasks: view.progress,
        quorum: view.announce.quorum,
        ...(this.driver!.ownJobs.has(jobId) ? { workers: this.driver!.workers.count(jobId) ?? 0 } : {}),
      }
    })
  }

  async results(jobId: string): Promise<JobResults> {
    const { market } = this.started()
    // Asked before it is heard of too: `results --wait` follows a job that is still to come.
    this.driver!.follow(jobId)
    const view = market.job(jobId)
    if (view === undefined) throw new UnknownJobError(`this peer knows no job ${jobId}`)
    const contributors = market
      .signers(jobId)
      .filter((stats) => stats.valid + stats.invalid > 0)
      .map((stats) => ({
        peer: stats.peerId,
        validated: stats.valid,
        invalid: stats.invalid,
        credit: stats.creditMs / 1000,
        caught: market.spotChecks(jobId, stats.peerId).caught,
      }))
      .sort((a, b) => b.credit - a.credit || a.peer.localeCompare(b.peer))
    const outputs = market.outputs(jobId)
    const errors = market.checkedErrors(jobId)
    const errorBound = errors.checked === 0 ? null : errorRateBound(errors.wouldErr, errors.checked)
    const targetError = view.announce.targetError ?? null
    const verification: JobVerification = {
      mode: view.announce.verification ?? 'strict',
      answers: view.announce.answers ?? 'public',
      spotCheckRate: view.announce.spotCheckRate ?? 0,
      quorum: 0,
      checked: 0,
      single: 0,
      sealed: 0,
      checksMade: view.checks.made,
      checksDisagreed: view.checks.disagreed,
      checksWouldErr: errors.wouldErr,
      errorBound,
      targetError,
      targetMet: targetError === null ? null : errorBound !== null && errorBound <= targetError,
    }
    for (const { verified } of outputs) verification[verified]++
    const failed = view.progress.failed > 0 ? market.failures(jobId) : []
    const reports = failed.map(failureReport)
    let aggregate: unknown = null
    if (view.status === 'complete') {
      const results = []
      for (const output of outputs) {
        // A null output is an output: only an undefined one travelled by CID.
        const value =
          output.output !== undefined
            ? output.output
            : (decode(await this.blobs.blob(output.outputHash)) as Json)
        results.push({ index: output.index, input: output.input, output: value })
      }
      const told = failed.map(({ index, input }, i) => ({ index, input, reason: reports[i]!.reason }))
      aggregate = await this.code.reduce(view.announce, results, told)
    }
    const failures = reports.slice(0, LISTED_FAILURES)
    return { status: view.status, tasks: view.progress, aggregate, contributors, failures, verification }
  }

  async drain(graceMs = DEFAULT_DRAIN_GRACE_MS): Promise<void> {
    this.started()
    this.emit('draining', { graceMs })
    await this.runner?.drain(graceMs)
    this.emit('drained', {})
  }

  pause(forMs?: number): Promise<ControlsStatus> {
    this.started()
    return this.controls!.pause(forMs)
  }

  resume(): ControlsStatus {
    this.started()
    return this.controls!.resume()
  }

  finish(): ControlsStatus {
    this.started()
    return this.controls!.finish()
  }

  setTrust(publisher: string, trusted: boolean): Promise<void> {
    this.started()
    return this.controls!.setTrust(publisher, trusted)
  }

  controlJob(jobId: string, action: JobControl): Promise<ControlsStatus> {
    this.started()
    return this.controls!.controlJob(jobId, action)
  }

  /**
   * Cancels one of this peer's own jobs: a signed Cancel tells contributors to stop its tasks and
   * readers that it was cancelled. A job already complete stays complete.
   *
   * @throws UnknownJobError for a job this peer does not know, NotPublisherError for a stranger's
   */
  async cancel(jobId: string): Promise<void> {
    const { market } = this.started()
    const view = market.job(jobId)
    if (view === undefined) throw new UnknownJobError(`this peer knows no job ${jobId}`)
    if (view.announce.publisher !== this.peerId) {
      throw new NotPublisherError(`only its publisher ${view.announce.publisher} can cancel the job ${jobId}`)
    }
    await this.driver!.signAndPublish({ type: 'Cancel', v: 1, jobId })
  }

  taskResults(jobId: string): Promise<TaskResult[]> {
    const { market } = this.started()
    this.driver!.follow(jobId)
    return taskResults(jobId, { market, blob: (cid) => this.blobs.blob(cid), now: Date.now() })
  }

  async syncNow(): Promise<void> {
    const { host } = this.started()
    await Promise.allSettled(host.getPeers().map((peer) => this.syncWith(peer)))
  }

  async firstSync({ timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal }): Promise<FirstSync> {
    this.started()
    if (this.synced > 0) return 'synced'
    if (this.lonely || (this.knewNoOne && !(this.init.mdns ?? true))) return 'alone'
    return nextSync(this, { timeoutMs, signal })
  }

  status(): PeerStatus {
    const { market } = this.started()
    return {
      peerId: this.peerId,
      addresses: this.addresses(),
      connections: connectionsOf(this.started().host),
      ...(this.relay === undefined ? {} : { relay: relayStatus(this.started().host, this.relay.gate) }),
      jobs: market.jobIds().length,
      strangerJobs: {
        kept: this.driver!.strangers.count,
        bytes: this.driver!.strangers.bytes,
        forgotten: this.driver!.strangers.forgotten,
      },
      running: this.runner?.running ?? 0,
      queued: this.runner?.queued ?? 0,
      held: this.runner?.held ?? 0,
      tasks: this.runner?.runningTasks(Date.now()) ?? [],
      done: this.counts.done,
      failed: this.counts.failed,
      credit: market.signer(this.peerId).creditMs / 1000,
      gossip: { ...this.started().gossip.traffic },
      paused: this.disk.error !== undefined ? 'disk-full' : this.pool?.pausedFor?.(),
      diskFull: this.disk.error?.message,
      ...(this.runner === undefined ? {} : { controls: this.controls!.status() }),
    }
  }

  credit(): CreditReport {
    this.started()
    const credits = this.credits!
    credits.record(Date.now())
    return credits.report()
  }

  gossipScore(peerId: string): number {
    // getScore exists on the running router but is missing from gossipsub's exported type.
    const pubsub = this.started().host.services.pubsub as unknown as { getScore(id: string): number }
    return pubsub.getScore(peerId)
  }

  private async syncWith(peer: PeerId): Promise<void> {
    const host = this.host
    const id = peer.toString()
    if (host === undefined || this.syncing.has(id)) return
    this.syncing.add(id)
    try {
      const received = await syncFrom(host, peer, {
        store: this.store,
        maxBytes: MAX_ENVELOPE_BYTES,
        receive: (envelope) => this.driver?.ingest(envelope),
      })
      this.synced++
      this.emit('sync', { peer: id, received })
    } catch {
      // A peer that does not answer is asked again at the next round.
    } finally {
      this.syncing.delete(id)
    }
  }

  private emit<K extends keyof PeerEvents>(type: K, detail: PeerEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms)
    timer.unref()
    this.timers.push(timer)
  }

  private bundleDir(): string {
    return join(this.init.dataDir, 'bundles')
  }

  private started(): { host: Host; gossip: GossipMarket; market: Market<SealedEnvelope> } {
    if (this.host === undefined || this.gossip === undefined || this.market === undefined) {
      throw new PeerNotStartedError()
    }
    return { host: this.host, gossip: this.gossip, market: this.market }
  }
}

/** The bounds on strangers' jobs, checked. */
function strangerJobLimits(options: PeerInit['strangerJobs'] = {}): StrangerJobLimits {
  const limits = {
    maxJobs: options.maxJobs ?? DEFAULT_STRANGER_JOBS,
    maxAgeMs: options.maxAgeMs ?? DEFAULT_STRANGER_JOB_AGE_MS,
    maxBytes: options.maxBytes ?? DEFAULT_STRANGER_JOB_BYTES,
  }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 0) {
      throw new InvalidOptionError(`options.strangerJobs.${name} must be a non-negative integer`)
    }
  }
  return limits
}

/**
 * Creates a p2pc peer. Call `start()` to go online.
 *
 * @example
 * ```ts
 * const peer = createPeer({ dataDir, bootstrap: [address], contribute: true, trust: [publisher] })
 * await peer.start()
 * ```
 */
export function createPeer(init: PeerInit, components: PeerComponents = {}): Peer {
  return new P2pcPeer(init, components)
}
