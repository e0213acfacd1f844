import type { TaskResult } from '@p2pc/node'
import type { ListedJob } from './format-jobs.ts'

// RFC 4180 ends every record with CRLF, which spreadsheets and CSV libraries expect.
const EOL = '\r\n'

/**
 * `p2pc results --csv`: a header row, then one row per task, `index,status,output,verified`, the
 * output JSON-encoded and empty until the task is validated (so a validated `null` reads `null`),
 * and how it was verified (`quorum`, `checked`, `single` or `sealed`) once it is.
 */
export function formatTaskCsv(rows: readonly TaskResult[]): string {
  const lines = ['index,status,output,verified']
  for (const row of rows) {
    const output = row.output === undefined ? '' : csvField(JSON.stringify(row.output))
    lines.push(`${row.index},${row.status},${output},${row.verified ?? ''}`)
  }
  return lines.join(EOL) + EOL
}

/** A CSV field, quoted as RFC 4180 asks when it holds a comma, a quote or a line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/**
 * `p2pc jobs --csv`: a header row, then one row per job,
 * `job,name,version,publisher,trusted,status,validated,failed,total`.
 */
export function formatJobsCsv(jobs: readonly ListedJob[]): string {
  const lines = ['job,name,version,publisher,trusted,status,validated,failed,total']
  for (const job of jobs) {
    const { validated, failed, total } = job.tasks
    const fields = [job.jobId, job.name, job.version, job.publisher, String(job.trusted), job.status]
    lines.push([...fields.map(csvField), validated, failed, total].join(','))
  }
  return lines.join(EOL) + EOL
}
