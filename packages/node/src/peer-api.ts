import type {
  ControlsStatus,
  CreditReport,
  JobControl,
  JobResults,
  JobSummary,
  Peer,
  PeerStatus,
} from './peer-types.ts'
import type { PublishOptions } from './plan-job.ts'
import type { TaskResult } from './task-results.ts'

/**
 * What the CLI asks of a peer, whether it runs in this process or behind the local control
 * API of another one: both implement this.
 */
export interface PeerApi {
  status(): Promise<PeerStatus>
  credit(): Promise<CreditReport>
  jobs(): Promise<JobSummary[]>
  results(jobId: string): Promise<JobResults>
  taskResults(jobId: string): Promise<TaskResult[]>
  publish(dir: string, params: unknown, options: PublishOptions): Promise<{ jobId: string }>
  /** Drains the peer's contributing (see `Peer.drain`); its owner then stops it. */
  drain(): Promise<void>
  /** The volunteer's controls of a contributor (see `Peer.pause`, `resume`, `finish`, `controlJob`). */
  pause(options: { forMs?: number }): Promise<ControlsStatus>
  resume(): Promise<ControlsStatus>
  finish(): Promise<ControlsStatus>
  /** Trusts a publisher from now on, or stops trusting it (see `Peer.setTrust`). */
  setTrust(publisher: string, trusted: boolean): Promise<void>
  controlJob(jobId: string, action: JobControl): Promise<ControlsStatus>
  /** Cancels one of this peer's own jobs (see `Peer.cancel`). */
  cancel(jobId: string): Promise<{ jobId: string; cancelled: true }>
}

/** The API of a peer running in this process. */
export function localPeerApi(peer: Peer): PeerApi {
  return {
    status: async () => peer.status(),
    credit: async () => peer.credit(),
    jobs: async () => peer.jobs(),
    results: (jobId) => peer.results(jobId),
    taskResults: (jobId) => peer.taskResults(jobId),
    publish: async (dir, params, options) => ({ jobId: await peer.publish(dir, params, options) }),
    drain: () => peer.drain(),
    pause: ({ forMs }) => peer.pause(forMs),
    resume: async () => peer.resume(),
    finish: async () => peer.finish(),
    setTrust: (publisher, trusted) => peer.setTrust(publisher, trusted),
    controlJob: (jobId, action) => peer.controlJob(jobId, action),
    cancel: async (jobId) => {
      await peer.cancel(jobId)
      return { jobId, cancelled: true }
    },
  }
}
