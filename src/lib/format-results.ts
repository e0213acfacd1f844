import type { JobResults } from '@p2pc/node'
import { failedTasksText } from './failed-tasks.ts'

/** The human form of `p2pc results`. */
export function formatResults(jobId: string, results: JobResults): string {
  const { total, validated, failed, pending } = results.tasks
  const lines = [
    `job ${jobId}: ${results.status}`,
    `tasks: ${validated} validated, ${failed} failed, ${pending} pending, of ${total}`,
    'contributors:',
    ...results.contributors.map(
      (c) => `  ${c.peer}  ${c.validated} valid, ${c.invalid} invalid, ${c.credit.toFixed(1)} s credit`,
    ),
    `aggregate: ${results.aggregate === null ? '(when every task is settled)' : JSON.stringify(results.aggregate, null, 2)}`,
  ]
  return `${lines.join('\n')}\n${failedTasksText(jobId, results)}`
}
