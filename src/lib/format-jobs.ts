import type { JobSummary } from '@p2pc/node'

/** A job as `p2pc jobs` lists it: what the peer knows, and whether this data dir trusts its publisher. */
export interface ListedJob extends JobSummary {
  /**
   * This data dir trusts the publisher (`p2pc trust add`), or is the publisher: a contributor on
   * it runs the job's tasks. An untrusted job is only followed, never run.
   */
  trusted: boolean
}

/** Marks each job trusted or not for the data dir of peer `self`, whose trust list is `trusted`. */
export function listJobs(jobs: readonly JobSummary[], self: string, trusted: readonly string[]): ListedJob[] {
  const trust = new Set(trusted)
  return jobs.map((job) => ({ ...job, trusted: job.publisher === self || trust.has(job.publisher) }))
}

/** The human form of `p2pc jobs`: one line per job. */
export function formatJobs(jobs: readonly ListedJob[], self: string): string {
  if (jobs.length === 0) return 'no jobs\n'
  return jobs
    .map((job) => {
      const { total, validated, failed } = job.tasks
      const progress = `${validated}/${total} validated${failed > 0 ? `, ${failed} failed` : ''}`
      const publisher = job.publisher === self ? `${job.publisher} (this peer)` : job.publisher
      return `${job.jobId}  ${job.name}@${job.version}  ${job.status}  ${progress}  ${job.trusted ? 'trusted' : 'untrusted'}  publisher ${publisher}\n`
    })
    .join('')
}
