import type { JobView } from '@p2pc/market'
import type { GovernorInit, TaskPool } from '@p2pc/runtime'
import type { FailureReport } from './failure-report.ts'
import type { ConnectionStatus, RelayStatus } from './host-status.ts'
import type { GossipKind } from './gossip-market.ts'
import type { PublishOptions } from './plan-job.ts'
import type { RateLimit } from './rate-limit.ts'
import type { RelayOptions } from './relay-options.ts'
import type { TaskResult } from './task-results.ts'

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
  /**
   * How many jobs of publishers this peer does not follow it keeps, for how long, and in how many
   * envelope bytes; the oldest are forgotten first. It follows its own jobs, its trusted
   * publishers' (not every publisher's with `trustAny`), those it works on and those a reader
   * asked about (`results`, `taskResults`). @default 100 jobs, 7 days, 16 MiB
   */
  strangerJobs?: { maxJobs?: number; maxAgeMs?: number; maxBytes?: number }
  /**
   * Jobs this peer follows from the start, whoever publishes them: a reader's, so that the bounds
   * on strangers' jobs never forget the one it came to read. @default []
   */
  follow?: string[]
  /**
   * Gossip messages one peer may pass on to this one, by kind (announce, batch, claim, result):
   * a burst, then so many a second. @default GOSSIP_RATE_LIMITS
   */
  gossipRateLimits?: Partial<Record<GossipKind, RateLimit>>
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
  status: JobView['status']
  tasks: { total: number; validated: number; failed: number; pending: number }
  /** Agreeing results from distinct peers that validate a task. */
  quorum: number
  /**
   * On this peer's own jobs only: the distinct peers seen working on it, the signers of its claims
   * and results (this peer among them when it contributes too). Claims are not kept, so after a
   * restart this counts the result signers until new claims come in.
   */
  workers?: number
}

/** What `peer.results(jobId)` returns, and `p2pc results --json` prints. */
export interface JobResults {
  status: JobView['status']
  tasks: { total: number; validated: number; failed: number; pending: number }
  /** The workload's `reduce` over the validated outputs, once every task is settled; else null. */
  aggregate: unknown
  /**
   * Every signer with a result in a settled task; credit is seconds of validated compute. `caught`:
   * the publisher's spot checks caught it giving a wrong output, so nothing of it counts here.
   */
  contributors: Array<{ peer: string; validated: number; invalid: number; credit: number; caught: boolean }>
  /** How the job verifies its tasks, and how its validated tasks were verified so far. */
  verification: JobVerification
  /** The first failed tasks (`LISTED_FAILURES`), in task order, each with why it failed. */
  failures: FailureReport[]
}

/** What {@link JobResults.verification} says. */
export interface JobVerification {
  mode: 'strict' | 'adaptive'
  /** `private`: answers were boxed for the publisher, so none could be copied (JobAnnounce.answers). */
  answers: 'public' | 'private'
  /** Fraction of the tasks the publisher checks itself. */
  spotCheckRate: number
  /** Validated tasks: by a quorum of agreeing contributors. */
  quorum: number
  /** … by the publisher's own spot check. */
  checked: number
  /** … by one contributor with a clean record of spot checks alone (adaptive jobs). */
  single: number
  /** … by the publisher's seal of a vote it saw (how, the seal does not say). */
  sealed: number
  /** Spot checks the publisher made so far, and how many of them found someone answering otherwise. */
  checksMade: number
  checksDisagreed: number
  /** Spot checks whose other answers alone would have validated a wrong output under the job's rules. */
  checksWouldErr: number
  /**
   * The job's estimated error rate: a 95 % upper bound, from its spot checks, on the share of tasks
   * its rules accept with a wrong output (`errorRateBound` in `@p2pc/market`); null before any check.
   * Wrong outputs a check finds are run again, so what the job ends with errs less.
   */
  errorBound: number | null
  /** The publisher's target error rate (JobAnnounce.targetError), or null. */
  targetError: number | null
  /** Whether `errorBound` is at most `targetError`; null without a target. */
  targetMet: boolean | null
}

/** Events of a Peer, as CustomEvents. */
export interface PeerEvents {
  /** A job's counts changed. */
  progress: { jobId: string; tasks: JobResults['tasks'] }
  /** This peer started or finished a task. */
  task: { jobId: string; task: number; state: 'started' | 'done' | 'failed'; error?: string }
  /** A drain has begun: running tasks have `graceMs` to finish, the others are given back. */
  draining: { graceMs: number }
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
  /** The volunteer paused or resumed this contributor, made it finish, or suspended or aborted a job. */
  controls: ControlsStatus
  /** A sync session with a peer ended: this peer pulled the `received` envelopes it lacked. */
  sync: { peer: string; received: number }
}

/**
 * How {@link Peer.firstSync} ended: it synced with a peer; it has no one to sync with (it knew
 * no peer and does not look on the local network, or found no one there); or it knew peers but
 * none synced with it in time.
 */
export type FirstSync = 'synced' | 'alone' | 'unreached'

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
  /**
   * Pauses contributing at once for `forMs`, or until `resume()`, as the governor pauses (the
   * sandbox is stopped, checkpoints kept); claims whose lease would end before the pause does are
   * given back to the swarm.
   *
   * @throws NotContributingError, InvalidOptionError
   */
  pause(forMs?: number): Promise<ControlsStatus>
  /** Ends a pause and a finish: the peer takes tasks again. @throws NotContributingError */
  resume(): ControlsStatus
  /** Lets the tasks this peer holds finish, then idles, online, until `resume()`. @throws NotContributingError */
  finish(): ControlsStatus
  /** Trusts a publisher (its jobs are run from now on), or stops (its tasks here are given back). */
  setTrust(publisher: string, trusted: boolean): Promise<void>
  /**
   * Suspends a job (its tasks here are given back, their checkpoints kept, and no more are
   * taken), resumes it, or aborts it (the same, and it is not taken up again while the peer runs).
   *
   * @throws UnknownJobError, JobAbortedError, NotContributingError
   */
  controlJob(jobId: string, action: JobControl): Promise<ControlsStatus>
  /** Cancels one of this peer's own jobs with a signed Cancel. */
  cancel(jobId: string): Promise<void>
  /** Every task of a job in index order: its status and, once validated, its output. */
  taskResults(jobId: string): Promise<TaskResult[]>
  /** Runs anti-entropy with every connected peer now. */
  syncNow(): Promise<void>
  /**
   * Waits until this peer has pulled what another peer holds: resolves once its first sync
   * session since it started has ended, `'alone'` at once when it knows no peer and does not
   * look on the local network (or once it emitted `lonely`), and `'unreached'` after
   * `timeoutMs` without a sync. A one-shot reader answers only after it, or it would answer
   * from a data dir that has not heard of the swarm yet.
   */
  firstSync(options: { timeoutMs: number; signal?: AbortSignal }): Promise<FirstSync>
  /** Peer id, addresses, connections, jobs, running tasks and credit. */
  status(): PeerStatus
  /** The validated credit of this peer's identity per day and per job, kept across restarts. */
  credit(): CreditReport
  /** The gossipsub score this peer gives another: below zero once it sent invalid messages. */
  gossipScore(peerId: string): number
}

/** This peer's credit history, as `peer.credit()` returns it and `p2pc credit --json` prints it. */
export interface CreditReport {
  /** Seconds of validated compute credited to this peer, over its whole history. */
  total: number
  /** Per day (UTC) on which this peer learnt of the credit, oldest first, with each job's part. */
  days: Array<{ day: string; credit: number; jobs: CreditReport['jobs'] }>
  /** Per job, most credit first; `name` is the workload's while this peer still knows the job. */
  jobs: Array<{ jobId: string; name?: string; credit: number }>
}

/** A task a worker of this peer runs, as status shows it. */
export interface RunningTaskStatus {
  jobId: string
  task: number
  /** Time since a worker began it. */
  runningMs: number
  /** The fraction done, from the workload's last `ctx.progress`; absent while it reported none. */
  progress?: number
  /** Time it may still take at the rate it has reported so far; absent without progress above zero. */
  etaMs?: number
}

/** A peer's state as `p2pc status` shows it. */
export interface PeerStatus {
  peerId: string
  addresses: string[]
  /** Open connections: which peer, over which address, and whether through a relay. */
  connections: ConnectionStatus[]
  /** On a relay: what it shares out. */
  relay?: RelayStatus
  jobs: number
  /** Jobs of publishers this peer does not follow: kept now (within the bounds), and forgotten since it started. */
  strangerJobs: { kept: number; bytes: number; forgotten: number }
  /** Tasks a worker of this peer runs now; those waiting in its pool for a thread are `queued`. */
  running: number
  /** Tasks claimed and in this peer's pool, waiting for a thread. */
  queued: number
  /**
   * Every task this peer holds: queued, running, or run and not yet counted in `done`/`failed`.
   * Zero means a finishing peer has answered all it held.
   */
  held: number
  /** The `running` tasks, oldest first, with what they reported of their progress. */
  tasks: RunningTaskStatus[]
  /** Tasks this peer has finished and published a result for, over its whole life (restarts included). */
  done: number
  /** Tasks of this peer that failed, over its whole life. */
  failed: number
  /** Seconds of validated compute credited to this peer, over the jobs it knows. */
  credit: number
  /**
   * Envelope bytes published and accepted on gossip since the peer started (without gossipsub's
   * framing), and messages dropped because the peer that passed them on sent too many (`throttled`;
   * `penalised` of them cost it score).
   */
  gossip: { sentBytes: number; receivedBytes: number; throttled: number; penalised: number }
  /**
   * Why this peer holds its work back, if it does: the machine is busy or on battery (the
   * governor), its volunteer paused it, or the disk of the data dir is full.
   */
  paused?: 'idle-only' | 'on-battery' | 'volunteer' | 'disk-full'
  /** On a contributor: what its volunteer asked of it (`p2pc pause`, `finish`, `job suspend`…). */
  controls?: ControlsStatus
  /** The error of the write that found the disk full, while it is full. */
  diskFull?: string
}

/** What a volunteer can do to one job on its contributor. */
export type JobControl = 'suspend' | 'resume' | 'abort'

/** What the volunteer asked of a contributor, in effect now. */
export interface ControlsStatus {
  /** Paused by the volunteer: until this time (ms since the epoch), or null until resumed. */
  pausedUntil?: number | null
  /** Finishing the tasks it holds and taking no new ones (`p2pc finish`). */
  finishing: boolean
  /** Jobs whose tasks it takes no more of until resumed, and jobs it aborted. */
  suspendedJobs: string[]
  abortedJobs: string[]
}
