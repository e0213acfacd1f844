import type { CreditReport } from '@p2pc/node'
import { csvField } from './format-csv.ts'
import { shortId } from './running-tasks.ts'

// RFC 4180 ends every record with CRLF, as `results --csv` does.
const EOL = '\r\n'

/**
 * The human form of `p2pc credit`: the total, then the credit of each day (UTC) and of each job,
 * in seconds of validated compute.
 */
export function formatCredit(report: CreditReport): string {
  if (report.days.length === 0) return 'credit: 0.0 s (no validated work yet)\n'
  const lines = [
    `credit: ${seconds(report.total)} over ${count(report.days.length, 'day')} and ${count(report.jobs.length, 'job')}`,
    'by day (UTC):',
    ...report.days.map((day) => `  ${day.day}  ${seconds(day.credit).padStart(12)}`),
    'by job:',
    ...report.jobs.map((job) => `  ${jobLabel(job).padEnd(32)}  ${seconds(job.credit).padStart(12)}`),
  ]
  return `${lines.join('\n')}\n`
}

/**
 * `p2pc credit --csv`: a header row, then one row per day and job, `day,jobId,name,credit` (credit
 * in seconds; the name is empty once this peer no longer knows the job). Summed by day or by job,
 * the rows give the human form's tables.
 */
export function formatCreditCsv(report: CreditReport): string {
  const lines = ['day,jobId,name,credit']
  for (const day of report.days) {
    for (const job of day.jobs) {
      lines.push([day.day, job.jobId, csvField(job.name ?? ''), String(job.credit)].join(','))
    }
  }
  return lines.join(EOL) + EOL
}

function jobLabel(job: CreditReport['jobs'][number]): string {
  return job.name === undefined ? shortId(job.jobId) : `${job.name} ${shortId(job.jobId)}`
}

function seconds(value: number): string {
  return `${value.toFixed(1)} s`
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`
}
