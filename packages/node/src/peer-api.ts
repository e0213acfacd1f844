import type { ConnectionStatus, RelayStatus } from './host-status.ts'
import type { JobResults, JobSummary, Peer } from './peer.ts'
import type { PublishOptions } from './plan-job.ts'
import type { TaskResult } from './task-results.ts'

/** A peer's state as `p2pc status` shows it. */
export interface PeerStatus {
  peerId: string
  addresses: string[]
  /** Open connections: which peer, over which address, and whether through a relay. */
  connections: ConnectionStatus[]
  /** On a relay: what it shares out. */
  relay?: RelayStatus
  jobs: number
  /** Tasks this peer is running now. */
  running: number
  /** Seconds of validated compute credited to this peer, over the jobs it knows. */
  credit: number
  /** Envelope bytes published and accepted on gossip since the peer started (without gossipsub's framing). */
  gossip: { sentBytes: number; receivedBytes: number }
  /**
   * Why this peer holds its work back, if it does: the machine is busy or on battery (the
   * governor), or the disk of the data dir is full.
   */
  paused?: 'idle-only' | 'on-battery' | 'disk-full'
  /** The error of the write that found the disk full, while it is full. */
  diskFull?: string
}

/**
 * What the CLI asks of a peer, whether it runs in this process or behind the local control
 * API of another one: both implement this.
 */
export interface PeerApi {
  status(): Promise<PeerStatus>
  jobs(): Promise<JobSummary[]>
  results(jobId: string): Promise<JobResults>
  taskResults(jobId: string): Promise<TaskResult[]>
  publish(dir: string, params: unknown, options: PublishOptions): Promise<{ jobId: string }>
  /** Drains the peer's contributing (see `Peer.drain`); its owner then stops it. */
  drain(): Promise<void>
}

/** The API of a peer running in this process. */
export function localPeerApi(peer: Peer): PeerApi {
  return {
    status: async () => peer.status(),
    jobs: async () => peer.jobs(),
    results: (jobId) => peer.results(jobId),
    taskResults: (jobId) => peer.taskResults(jobId),
    publish: async (dir, params, options) => ({ jobId: await peer.publish(dir, params, options) }),
    drain: () => peer.drain(),
  }
}
