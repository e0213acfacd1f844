import { mkdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { createMarket, type Market, type MarketAction } from '@p2pc/market'
import {
  MAX_ENVELOPE_BYTES,
  decode,
  jobIdOf,
  openEnvelope,
  parseCid,
  peerIdOf,
  sealEnvelope,
  type Ed25519PrivateKey,
  type Json,
  type Message,
  type SealedEnvelope,
} from '@p2pc/protocol'
import { createSandboxedTaskPool, createTaskPool, type GovernorInit, type TaskPool } from '@p2pc/runtime'
import { createStore, writeFileAtomic, type Store } from '@p2pc/store'
import {
  ADDRESS_BOOK_TRIM_MS,
  DEFAULT_DRAIN_GRACE_MS,
  DEFAULT_LONELY_MS,
  DEFAULT_HEARTBEAT_MS,
  DEFAULT_REANNOUNCE_MS,
  DEFAULT_REDIAL_MS,
  DEFAULT_SYNC_MS,
  DEFAULT_TICK_MS,
  BUNDLE_RETRY_MS,
  DIRECT_RETRY_MS,
  DIRECT_UPGRADE_TIMEOUT_MS,
  DISK_FULL_RETRY_MS,
  KNOWN_PEER_DIALS,
  PEER_EXCHANGE_TARGET,
  PEER_RECORD_MS,
  RELAY_GATE_TICK_MS,
  RESULT_BATCH_BYTES,
  SEAL_BATCH_MS,
} from './constants.ts'
import { AddressBook, addressBookOptions } from './address-book.ts'
import { InvalidOptionError, PeerNotStartedError, UnknownJobError } from './errors.ts'
import { CONTROL_SOCKET } from './control-client.ts'
import { serveControl } from './control-server.ts'
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts'
import { DiskFullRetry } from './disk-full-retry.ts'
import { fetchBlob, serveBlobs } from './fetch-protocol.ts'
import { sealBatcher } from './job-batcher.ts'
import { JobCode } from './job-code.ts'
import { GossipMarket } from './gossip-market.ts'
import { upgradeRelayedConnections } from './direct-upgrade.ts'
import { createHost, type Host } from './host.ts'
import { connectionsOf, relayStatus } from './host-status.ts'
import { exchangePeers } from './peer-exchange.ts'
import { checkListenAddresses, listenError } from './listen-error.ts'
import { localPeerApi, type PeerStatus } from './peer-api.ts'
import { planJob, type PublishOptions } from './plan-job.ts'
import { relayGate, type RelayGate } from './relay-gate.ts'
import { relaySettings, type RelayOptions, type RelaySettings } from './relay-options.ts'
import { serveSync, syncFrom } from './sync-protocol.ts'
import { TaskRunner } from './task-runner.ts'
import { webrtcPeerStarted, webrtcPeerStopped } from './webrtc-threads.ts'
import { taskResults, type TaskResult } from './task-results.ts'

/** Options of {@link createPeer}; all but `dataDir` are optional. */
export interface PeerInit {
  /** The peer's data directory: key, database, blobs, bundles. The peer holds it alone while it runs. */
  dataDir: string
  /** Multiaddrs to listen on. @default ['/ip4/0.0.0.0/tcp/0'] */
  listen?: string[]
  /** Multiaddrs (with /p2p/ ids) of peers to join the swarm through. @default [] */
  bootstrap?: string[]
  /** Find peers on the local network with multicast DNS. @default true */
  mdns?: boolean
  /** Serve circuit relay v2 for the swarm, with these caps. @default undefined: do not */
  relay?: RelayOptions
  /** STUN servers (`stun:host:port`) for direct WebRTC connections through NATs. @default [] */
  stun?: string[]
  /** Ask the home router by UPnP to forward a port to this peer. @default false */
  upnp?: boolean
  /** Publishers whose jobs this peer runs, besides its own. @default [] */
  trust?: string[]
  /** Run any publisher's jobs. @default false */
  trustAny?: boolean
  /** Run tasks for the market. @default false */
  contribute?: boolean
  /** Worker threads when contributing. @default the runtime's default */
  threads?: number
  /** Deadline of one task in ms; 0 means none. @default 0 */
  taskTimeoutMs?: number
  /** Heap limit of each worker thread in MiB. @default the runtime's default */
  memoryMb?: number
  /** How politely the pool runs: CPU cap, idle-only, pause on battery. @default none */
  governor?: GovernorInit
  /**
   * Run workload code in the runtime's sandbox process (Node's permission model) rather than
   * in this process's threads. @default true
   */
  sandbox?: boolean
  /** Serve the local control API on `<dataDir>/control.sock`. @default true */
  control?: boolean
  /** Timers, shortened by tests. */
  heartbeatMs?: number
  tickMs?: number
  syncMs?: number
  reannounceMs?: number
  redialMs?: number
  /** How often this peer publishes where it can be dialled. @default 30000 */
  peerRecordMs?: number
  /** How long one attempt to replace a relayed connection by a direct one may take. @default 20000 */
  directUpgradeTimeoutMs?: number
  /** How long a peer that knows no one waits to be found before it emits `lonely`. @default 5000 */
  lonelyMs?: number
  /** How often writes that found the disk full try again. @default 1000 */
  diskFullRetryMs?: number
}

/** Parts a caller may supply instead of the defaults (the test suite's misbehaving peers do). */
export interface PeerComponents {
  pool?: TaskPool
}

/** A job as `peer.jobs()` lists it. */
export interface JobSummary {
  jobId: string
  name: string
  version: string
  publisher: string
  status: 'open' | 'complete'
  tasks: { total: number; validated: number; failed: number; pending: number }
}

/** What `peer.results(jobId)` returns, and `p2pc results --json` prints. */
export interface JobResults {
  status: 'open' | 'complete'
  tasks: { total: number; validated: number; failed: number; pending: number }
  /** The workload's `reduce` over the validated outputs, once every task is settled; else null. */
  aggregate: unknown
  /** Every signer with a result in a settled task; credit is seconds of validated compute. */
  contributors: Array<{ peer: string; validated: number; invalid: number; credit: number }>
}

/** Events of a Peer, as CustomEvents. */
export interface PeerEvents {
  /** A job's counts changed. */
  progress: { jobId: string; tasks: JobResults['tasks'] }
  /** This peer started or finished a task. */
  task: { jobId: string; task: number; state: 'started' | 'done' | 'failed'; error?: string }
  /** A drain has ended: nothing runs, the claims not answered are given back. */
  drained: Record<string, never>
  /**
   * A write found the disk of the data dir full (`full`, with its error): the peer claims nothing
   * new and its writes try again; or a write succeeded again (not `full`), and work goes on.
   */
  disk: { full: boolean; error?: string }
  /**
   * Once, `lonelyMs` after start, when the peer knew no one (no bootstrap, an empty address book)
   * and no one has found it since, on mDNS or by dialling it: it may wait for ever.
   */
  lonely: { mdns: boolean }
}

/** A p2pc peer: the libp2p host, gossip market, fetch and sync, its market, pool and store. */
export interface Peer extends EventTarget {
  readonly peerId: string
  start(): Promise<void>
  stop(): Promise<void>
  /** Multiaddrs others can dial, with /p2p/. */
  addresses(): string[]
  /** Peers connected now. */
  connections(): string[]
  /** Bundles a workload package, plans it, signs and announces the job; returns its jobId. */
  publish(workloadDir: string, params?: unknown, options?: PublishOptions): Promise<string>
  jobs(): JobSummary[]
  results(jobId: string): Promise<JobResults>
  /**
   * Stops contributing, politely: claims nothing more, lets running tasks finish within
   * `graceMs`, stops the others (their checkpoints are kept) and gives their claims back to
   * the swarm. The peer stays online; call `stop()` after.
   */
  drain(graceMs?: number): Promise<void>
  /** Every task of a job in index order: its status and, once validated, its output. */
  taskResults(jobId: string): Promise<TaskResult[]>
  /** Runs anti-entropy with every connected peer now. */
  syncNow(): Promise<void>
  /** Peer id, addresses, connections, jobs, running tasks and credit. */
  status(): PeerStatus
  /** The gossipsub score this peer gives another: below zero once it sent invalid messages. */
  gossipScore(peerId: string): number
}

class P2pcPeer extends EventTarget implements Peer {
  peerId = ''
  private readonly init: PeerInit
  private readonly suppliedPool: TaskPool | undefined
  private readonly store: Store
  private key: Ed25519PrivateKey | undefined
  private market: Market<SealedEnvelope> | undefined
  private host: Host | undefined
  private book: AddressBook | undefined
  /** The bootstrap multiaddrs but this peer's own: a shared list of a network's peers names them all. */
  private bootstrap: string[] = []
  private gossip: GossipMarket | undefined
  private pool: TaskPool | undefined
  private readonly timers: NodeJS.Timeout[] = []
  private readonly bundles = new Map<string, Promise<string>>()
  private readonly ownJobs = new Set<string>()
  private readonly running = new Set<Promise<void>>()
  private readonly syncing = new Set<string>()
  private stopping = false
  private runner: TaskRunner | undefined
  private control: { close(): Promise<void> } | undefined
  private lock: DataDirLock | undefined
  private readonly disk: DiskFullRetry
  private readonly code: JobCode
  private readonly relay: { settings: RelaySettings; gate: RelayGate } | undefined
  private upgrades: { stop(): void } | undefined
  private exchange: { stop(): void } | undefined
  /** This peer's seals of the tasks of its own jobs, many to a Seal. */
  private readonly seals = sealBatcher({
    windowMs: SEAL_BATCH_MS,
    maxBytes: RESULT_BATCH_BYTES,
    publish: (message) => this.signAndPublish(message),
  })

  constructor(init: PeerInit, components: PeerComponents) {
    super()
    if (init.threads !== undefined && (!Number.isInteger(init.threads) || init.threads < 1)) {
      throw new InvalidOptionError('options.threads must be a positive integer')
    }
    this.init = init
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
    this.code = new JobCode({
      self: () => this.peerId,
      bundle: (cid) => this.bundle(cid),
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
    this.bootstrap = (this.init.bootstrap ?? []).filter((address) => peerIdIn(address) !== this.peerId)
    this.disk.start()
    if (this.init.control !== false) {
      this.control = await serveControl(localPeerApi(this), join(this.init.dataDir, CONTROL_SOCKET))
    }
    const threads = this.init.threads
    this.market = createMarket<SealedEnvelope>({
      self: this.peerId,
      trust: new Set(this.init.trust ?? []),
      trustAny: this.init.trustAny ?? false,
      // A reader never claims; a contributor's capacity is set once its pool is up.
      maxActiveClaims: 0,
    })
    await this.replayLog()
    for (const jobId of this.ownJobs) this.judgeOwnJob(jobId)
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
        pool: this.pool,
        market: this.market,
        store: this.store,
        bundle: (cid, deadline) => this.bundleBefore(cid, deadline),
        publish: (message) => this.signAndPublish(message),
        fill: () => this.tick(),
        holdsBack: () => this.disk.error !== undefined,
        keep: (write) => this.disk.write(write),
        onTask: (detail) => this.emit('task', detail),
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
    this.book = book
    // Before libp2p starts, which dials at once the keep-alive peers of the last run.
    await book.prune()
    const knowsNoOne = this.bootstrap.length === 0 && (await book.known()).length === 0
    this.gossip = new GossipMarket({
      pubsub: host.services.pubsub,
      maxBytes: MAX_ENVELOPE_BYTES,
      onEnvelope: (envelope) => this.ingest(envelope),
    })
    await serveBlobs(host, this.store.blobs)
    await serveSync(host, this.store)
    host.addEventListener('peer:identify', (event) => {
      const { peerId, protocols } = event.detail
      // Every peer met is remembered and kept alive, so libp2p redials it after a drop.
      void book.met(peerId).catch(() => {})
      if (protocols.includes('/p2pc/sync/1.0.0')) void this.syncWith(peerId)
    })
    try {
      await host.start()
    } catch (err) {
      throw listenError(err)
    }
    webrtcPeerStarted()
    this.gossip.start()
    this.upgrades = upgradeRelayedConnections(host, {
      timeoutMs: this.init.directUpgradeTimeoutMs ?? DIRECT_UPGRADE_TIMEOUT_MS,
      retryMs: DIRECT_RETRY_MS,
    })
    for (const jobId of this.market.jobIds()) this.gossip.followJob(jobId)
    if (this.relay !== undefined) {
      const gate = this.relay.gate
      this.every(RELAY_GATE_TICK_MS, () => gate.tick(RELAY_GATE_TICK_MS / 1000))
    }
    this.every(this.init.tickMs ?? DEFAULT_TICK_MS, () => this.tick())
    this.every(this.init.syncMs ?? DEFAULT_SYNC_MS, () => void this.syncNow())
    this.every(this.init.reannounceMs ?? DEFAULT_REANNOUNCE_MS, () => void this.reannounce())
    this.every(this.init.redialMs ?? DEFAULT_REDIAL_MS, () => void this.redial())
    this.every(ADDRESS_BOOK_TRIM_MS, () => void book.trim().catch(() => {}))
    void this.redial()
    const exchange = exchangePeers(host, { privateKey: this.key, target: PEER_EXCHANGE_TARGET })
    this.exchange = exchange
    this.every(this.init.peerRecordMs ?? PEER_RECORD_MS, () => this.track(exchange.publish()))
    if (knowsNoOne) this.after(this.init.lonelyMs ?? DEFAULT_LONELY_MS, () => this.sayIfLonely())
  }

  async stop(): Promise<void> {
    if (this.host === undefined) return
    // Seals still gathering go out first; any lost are asked for again when the log is replayed.
    await this.seals.flushAll()
    await this.letGo()
  }

  /** Stops and lets go of whatever this peer holds, in the reverse order of start; the data dir last. */
  private async letGo(): Promise<void> {
    this.stopping = true
    for (const timer of this.timers.splice(0)) clearInterval(timer)
    this.upgrades?.stop()
    this.upgrades = undefined
    if (this.host?.status === 'started') this.exchange?.stop()
    this.exchange = undefined
    // A libp2p that failed to start has stopped itself, and its gossip never started.
    if (this.host?.status === 'started') this.gossip?.stop()
    // Writes still waiting for space give up, or the tasks whose answers they hold would never end.
    this.disk.stop()
    await this.runner?.stop()
    await this.pool?.stop()
    await Promise.allSettled(this.running)
    await this.code.stop()
    const wasOnline = this.host?.status === 'started'
    await this.host?.stop()
    if (wasOnline) webrtcPeerStopped()
    await this.control?.close()
    this.control = undefined
    this.host = undefined
    this.book = undefined
    this.gossip = undefined
    this.pool = undefined
    this.runner = undefined
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
    })
    this.bundles.set(planned.announce.workload.cid, Promise.resolve(planned.bundlePath))
    this.ownJobs.add(planned.jobId)
    const key = this.key as Ed25519PrivateKey
    const envelopes: SealedEnvelope[] = [await sealEnvelope(planned.announce, key)]
    for (const batch of planned.batches) envelopes.push(await sealEnvelope(batch, key))
    for (const envelope of envelopes) this.ingest(envelope)
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
      }
    })
  }

  async results(jobId: string): Promise<JobResults> {
    const { market } = this.started()
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
      }))
      .sort((a, b) => b.credit - a.credit || a.peer.localeCompare(b.peer))
    let aggregate: unknown = null
    if (view.status === 'complete') {
      const results = []
      for (const output of market.outputs(jobId)) {
        // A null output is an output: only an undefined one travelled by CID.
        const value =
          output.output !== undefined ? output.output : (decode(await this.blob(output.outputHash)) as Json)
        results.push({ index: output.index, input: output.input, output: value })
      }
      aggregate = await this.code.reduce(view.announce, results)
    }
    return { status: view.status, tasks: view.progress, aggregate, contributors }
  }

  async drain(graceMs = DEFAULT_DRAIN_GRACE_MS): Promise<void> {
    this.started()
    await this.runner?.drain(graceMs)
    this.emit('drained', {})
  }

  taskResults(jobId: string): Promise<TaskResult[]> {
    const { market } = this.started()
    return taskResults(jobId, { market, blob: (cid) => this.blob(cid), now: Date.now() })
  }

  async syncNow(): Promise<void> {
    const { host } = this.started()
    await Promise.allSettled(host.getPeers().map((peer) => this.syncWith(peer)))
  }

  status(): PeerStatus {
    const { market } = this.started()
    return {
      peerId: this.peerId,
      addresses: this.addresses(),
      connections: connectionsOf(this.started().host),
      ...(this.relay === undefined ? {} : { relay: relayStatus(this.started().host, this.relay.gate) }),
      jobs: market.jobIds().length,
      running: this.runner?.running ?? 0,
      credit: market.signer(this.peerId).creditMs / 1000,
      gossip: { ...this.started().gossip.traffic },
      paused: this.disk.error !== undefined ? 'disk-full' : this.pool?.pausedFor?.(),
      diskFull: this.disk.error?.message,
    }
  }

  gossipScore(peerId: string): number {
    // getScore exists on the running router but is missing from gossipsub's exported type.
    const pubsub = this.started().host.services.pubsub as unknown as { getScore(id: string): number }
    return pubsub.getScore(peerId)
  }

  /** Feeds one verified envelope to the market and carries out what it asks. */
  private ingest(envelope: SealedEnvelope): void {
    const market = this.market
    if (market === undefined) return
    const isNew = market.receive(envelope, Date.now())
    if (isNew && envelope.message.type === 'JobAnnounce') this.onJobKnown(jobIdOf(envelope.message))
    if (isNew) this.emitProgress(envelope.message)
    this.act()
  }

  private onJobKnown(jobId: string): void {
    this.gossip?.followJob(jobId)
    this.judgeOwnJob(jobId)
  }

  /** On this peer's own job, its workload judges outputs, and its seals carry that to every reader. */
  private judgeOwnJob(jobId: string): void {
    const announce = this.market?.job(jobId)?.announce
    if (this.market === undefined || announce === undefined) return
    this.code.judge(announce, jobId, this.market, () => this.act())
  }

  private act(): void {
    const market = this.market
    if (market === undefined) return
    for (const action of market.takeActions()) this.carryOut(action)
  }

  private carryOut(action: MarketAction<SealedEnvelope>): void {
    switch (action.type) {
      case 'persist':
        // Group commit, waiting out a full disk. A write that fails otherwise stops this peer's own
        // envelopes from going out unkept (see signAndPublish); one from others is heard again through sync.
        this.disk.write(() => this.store.appendEnvelope(action.envelope)).catch(() => {})
        break
      case 'claim':
        void this.signAndPublish({
          type: 'Claim',
          v: 1,
          jobId: action.jobId,
          tasks: action.tasks,
          leaseEnd: action.leaseEnd,
        })
        break
      case 'run':
        this.runner?.run(action)
        break
      case 'fetch':
        this.track(this.fetchInputs(action.jobId, action.cid))
        break
      case 'seal': {
        const { jobId, task, outputHash } = action
        this.track(this.seals.add(jobId, { task, outputHash }, outputHash.length + 16))
        break
      }
    }
  }

  private async fetchInputs(jobId: string, cid: string): Promise<void> {
    const inputs = decode(await this.blob(cid))
    if (Array.isArray(inputs)) this.market?.supplyInputs(jobId, cid, inputs as Json[])
    this.act()
  }

  private async signAndPublish(message: Message): Promise<void> {
    if (this.key === undefined || this.stopping) return
    const envelope = await sealEnvelope(message, this.key)
    if (message.type !== 'Claim') {
      this.ingest(envelope)
      // A result frees its claim's slot: fill it now rather than at the next tick, or short tasks
      // would wait for the timer (and for this result's commit) more than they run.
      this.tick()
      // What the swarm hears of this peer, this peer keeps: a result goes out only once stored,
      // however long a full disk makes that take. Appending it again joins the persist's own group
      // commit, and is a no-op once that has kept it.
      await this.disk.write(() => this.store.appendEnvelope(envelope))
    }
    await this.gossip?.publish(envelope).catch(() => {})
  }

  private tick(): void {
    this.runner?.refreshCapacity()
    this.market?.tick(Date.now())
    this.act()
  }

  private async syncWith(peer: PeerId): Promise<void> {
    const host = this.host
    const id = peer.toString()
    if (host === undefined || this.syncing.has(id)) return
    this.syncing.add(id)
    try {
      await syncFrom(host, peer, {
        store: this.store,
        maxBytes: MAX_ENVELOPE_BYTES,
        receive: (envelope) => this.ingest(envelope),
      })
    } catch {
      // A peer that does not answer is asked again at the next round.
    } finally {
      this.syncing.delete(id)
    }
  }

  private async reannounce(): Promise<void> {
    const { gossip } = this.started()
    for (const jobId of this.ownJobs) {
      if (this.market?.job(jobId)?.status !== 'open') continue
      // The log holds these envelopes verified already: send their bytes as they are.
      for (const type of ['JobAnnounce', 'TaskBatch'] as const) {
        for (const id of this.store.envelopeIds(jobId, type)) {
          const bytes = this.store.getEnvelope(id)
          if (bytes !== undefined) await gossip.publishMarketBytes(bytes)
        }
      }
    }
  }

  /**
   * Dials the bootstrap peers that are not connected and, with no connection at all, some of the
   * peers met before: libp2p's own redial gives up after a while, and then drops their keep-alive
   * tag, so it would not dial them at the next start either.
   */
  private async redial(): Promise<void> {
    const { host, book } = this
    if (host === undefined || book === undefined) return
    const dial = (target: Multiaddr | PeerId): void =>
      void host.dial(target, { signal: AbortSignal.timeout(5_000) }).catch(() => {})
    const connected = new Set(this.connections())
    for (const address of this.bootstrap) {
      const id = peerIdIn(address)
      if (id === undefined || !connected.has(id)) dial(multiaddr(address))
    }
    if (connected.size > 0) return
    for (const peer of await book.nextToDial(KNOWN_PEER_DIALS).catch(() => [])) dial(peer)
  }

  private sayIfLonely(): void {
    if (this.host !== undefined && this.connections().length === 0) {
      this.emit('lonely', { mdns: this.init.mdns ?? true })
    }
  }

  /**
   * The bundle, asked for again until the lease ends: the peers that have it may be away for a
   * moment (the publisher often leaves right after announcing).
   */
  private async bundleBefore(cid: string, deadline: number): Promise<string> {
    for (;;) {
      try {
        return await this.bundle(cid)
      } catch (err) {
        if (this.stopping || Date.now() + BUNDLE_RETRY_MS >= deadline) throw err
        await new Promise((resolve) => setTimeout(resolve, BUNDLE_RETRY_MS))
      }
    }
  }

  /** The path of a workload bundle, fetched from peers if this peer has none. */
  private bundle(cid: string): Promise<string> {
    let path = this.bundles.get(cid)
    if (path === undefined) {
      path = (async () => {
        const file = join(this.bundleDir(), `${cid}.mjs`)
        if ((await stat(file).catch(() => undefined))?.isFile() === true) return file
        const bytes = await this.blob(cid)
        await mkdir(this.bundleDir(), { recursive: true })
        await writeFileAtomic(file, bytes)
        return file
      })()
      path.catch(() => this.bundles.delete(cid))
      this.bundles.set(cid, path)
    }
    return path
  }

  /** A blob from the store, else from connected peers (checked, then stored, so this peer serves it on). */
  private async blob(cid: string): Promise<Uint8Array> {
    const local = await this.store.blobs.get(cid)
    if (local !== undefined) return local
    const { host } = this.started()
    const bytes = await fetchBlob(host, host.getPeers(), cid)
    await this.store.blobs.put(bytes, parseCid(cid).code)
    return bytes
  }

  private async replayLog(): Promise<void> {
    const now = Date.now()
    for (let after = 0; ;) {
      const page = this.store.envelopes({ after, limit: 1000 })
      if (page.length === 0) break
      for (const row of page) {
        const envelope = await openEnvelope(row.bytes).catch(() => undefined)
        if (envelope !== undefined) this.market?.receive(envelope, now)
        if (envelope?.message.type === 'JobAnnounce' && envelope.signer === this.peerId) {
          this.ownJobs.add(jobIdOf(envelope.message))
        }
      }
      after = page.at(-1)!.seq
    }
    // Everything replayed is in the log already: drop the persist actions, keep the fetches.
    for (const action of this.market?.takeActions() ?? []) if (action.type === 'fetch') this.carryOut(action)
  }

  private emitProgress(message: Message): void {
    const jobId = message.type === 'JobAnnounce' ? jobIdOf(message) : message.jobId
    const view = this.market?.job(jobId)
    if (view !== undefined) this.emit('progress', { jobId, tasks: view.progress })
  }

  private emit<K extends keyof PeerEvents>(type: K, detail: PeerEvents[K]): void {
    this.dispatchEvent(new CustomEvent(type, { detail }))
  }

  private track(work: Promise<void>): void {
    const tracked = work.catch(() => {}).finally(() => this.running.delete(tracked))
    this.running.add(tracked)
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms)
    timer.unref()
    this.timers.push(timer)
  }

  private after(ms: number, fn: () => void): void {
    const timer = setTimeout(fn, ms)
    timer.unref()
    // clearInterval, in letGo, clears a timeout too: both are Node's Timeout.
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

/** The peer a multiaddr names: its last /p2p/ (a relayed address names the relay first). */
function peerIdIn(address: string): string | undefined {
  return multiaddr(address)
    .getComponents()
    .findLast((c) => c.name === 'p2p')?.value
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
