import type { JobResults, JobVerification } from '@p2pc/node'
import { failedTasksText } from './failed-tasks.ts'

/** The human form of `p2pc results`. */
export function formatResults(jobId: string, results: JobResults): string {
  const { total, validated, failed, pending } = results.tasks
  const lines = [
    `job ${jobId}: ${results.status}`,
    `tasks: ${validated} validated, ${failed} failed, ${pending} pending, of ${total}`,
    verificationLine(results.verification),
    'contributors:',
    ...results.contributors.map(
      (c) =>
        `  ${c.peer}  ${c.validated} valid, ${c.invalid} invalid, ${c.credit.toFixed(1)} s credit${c.caught ? ', caught by a spot check' : ''}`,
    ),
    `aggregate: ${results.aggregate === null ? '(when every task is settled)' : JSON.stringify(results.aggregate, null, 2)}`,
  ]
  return `${lines.join('\n')}\n${failedTasksText(jobId, results)}`
}

/**
 * How the job verifies, and how its validated tasks were:
 * `verification: strict, 10% spot-checked, private answers; 8 by quorum, …`.
 */
function verificationLine(v: JobVerification): string {
  const rate = v.spotCheckRate > 0 ? `, ${Math.round(v.spotCheckRate * 1000) / 10}% spot-checked` : ''
  const answers = v.answers === 'private' ? ', private answers' : ''
  const by = [`${v.quorum} by quorum`, `${v.checked} by spot check`]
  if (v.mode === 'adaptive') by.push(`${v.single} by one trusted contributor`)
  if (v.sealed > 0) by.push(`${v.sealed} sealed by the publisher`)
  const checks =
    v.checksMade > 0 ? `; ${v.checksMade} spot checks, ${v.checksDisagreed} of them found a wrong answer` : ''
  return `verification: ${v.mode}${rate}${answers}; ${by.join(', ')}${checks}${errorText(v)}`
}

/** `; error rate at most 0.3% (95%, 0 of 1000 checks would have erred), target 0.1% not yet shown`. */
function errorText(v: JobVerification): string {
  const target =
    v.targetError === null
      ? ''
      : `, target ${percent(v.targetError)} ${v.targetMet === true ? 'met' : 'not yet shown'}`
  if (v.errorBound === null) return v.targetError === null ? '' : `; no spot check yet${target}`
  return `; error rate at most ${percent(v.errorBound)} (95%, ${v.checksWouldErr} of ${v.checksMade} checks would have erred)${target}`
}

function percent(rate: number): string {
  return `${Number((rate * 100).toPrecision(2))}%`
}
