/**
 * @packageDocumentation
 *
 * A p2pc peer: the libp2p host (TCP, WebSockets, noise, yamux, a private DHT for peer
 * routing, gossipsub), the gossip market with validating topic validators, the
 * `/p2pc/fetch/1.0.0` and `/p2pc/sync/1.0.0` protocols, and the Peer that drives the
 * market, the runtime's pool and the store.
 */

export type {
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
  RunningTaskStatus,
} from './peer-types.ts'
export type { PublishOptions } from './plan-job.ts'
export { jobRules } from './plan-job.ts'
export type { Host, HostInit, HostServices } from './host.ts'
export type { PeerApi } from './peer-api.ts'
export type { ConnectionStatus, RelayStatus } from './host-status.ts'
export type { RelayOptions } from './relay-options.ts'
export type { TaskResult } from './task-results.ts'
export type { FailureReport } from './failure-report.ts'
export { createPeer } from './peer.ts'
export { AddressBook, addressBookOptions, type AddressBookInit } from './address-book.ts'
export { claimCapacity, WORK_AHEAD_MS, type ClaimCapacity } from './claim-capacity.ts'
export { MACHINE_FAILURE_ATTEMPTS, failureVerdict, type FailureVerdict } from './task-failure.ts'
export { localPeerApi } from './peer-api.ts'
export { runningTaskStatus, type TaskProgressState } from './task-progress.ts'
export { CONTROL_SOCKET, controlClient, probeControl } from './control-client.ts'
export { serveControl } from './control-server.ts'
export { LOCK_FILE, lockDataDir, type DataDirLock } from './data-dir-lock.ts'
export { DiskFullRetry, type DiskFullRetryInit } from './disk-full-retry.ts'
export { createHost, topicScoreParams } from './host.ts'
export { GossipMarket, type GossipKind } from './gossip-market.ts'
export { PeerRateLimit, type RateLimit, type RateVerdict } from './rate-limit.ts'
export { CreditLedger, utcDay, type CreditLedgerInit } from './credit-ledger.ts'
export { TaskCounts, type TaskCountsInit } from './task-counts.ts'
export { StrangerJobs, type StrangerJobLimits, type StrangerJobsInit } from './stranger-jobs.ts'
export { limitStreams, type StreamLimits } from './stream-limits.ts'
export { fetchBlob, serveBlobs } from './fetch-protocol.ts'
export { serveSync, syncFrom } from './sync-protocol.ts'
export * from './constants.ts'
export {
  BadRequestError,
  BlobNotFoundError,
  DataDirLockError,
  InvalidOptionError,
  JobAbortedError,
  NotPublisherError,
  ListenError,
  NotContributingError,
  PeerAlreadyRunningError,
  PeerNotStartedError,
  TooManyStreamsError,
  UnknownJobError,
} from './errors.ts'
