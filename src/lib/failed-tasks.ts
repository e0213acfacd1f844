import type { JobResults } from '@p2pc/node'

/**
 * Exit code of `publish --wait` and `results` once a job has ended with failed tasks: it is over,
 * its aggregate is printed, but some tasks are missing from it. Not 1, so that a script can
 * tell a partial result from an error.
 */
export const FAILED_TASKS_EXIT_CODE = 3

/** Failed tasks named one per line, before "and N more". */
const SHOWN_FAILURES = 5

/** Whether a job is over with some of its tasks failed. */
export function endedWithFailures(results: JobResults): boolean {
  return results.status === 'complete' && results.tasks.failed > 0
}

/**
 * What the publisher reads about a job's failed tasks: how many, then one sentence for each of
 * the first few. Empty when none failed.
 */
export function failedTasksText(jobId: string, results: JobResults): string {
  const { failed, total } = results.tasks
  if (failed === 0) return ''
  const shown = results.failures.slice(0, SHOWN_FAILURES)
  const lines = [
    `${failed} of ${total} tasks failed, and the aggregate leaves ${failed === 1 ? 'it' : 'them'} out:`,
    ...shown.map((failure) => `  task ${failure.index}: ${failure.reason}`),
  ]
  if (failed > shown.length) {
    lines.push(
      `  and ${failed - shown.length} more (p2pc results ${jobId} --json lists the first ${results.failures.length})`,
    )
  }
  return `${lines.join('\n')}\n`
}

/** Exit code of `publish --wait` and `results` for a job its publisher cancelled. */
export const CANCELLED_EXIT_CODE = 4

/** The sentence for a cancelled job: how far it got. */
export function cancelledText(jobId: string, results: JobResults): string {
  const { validated, total } = results.tasks
  return `the job ${jobId} was cancelled by its publisher, with ${validated} of ${total} tasks validated\n`
}

/**
 * How `publish --wait` and `results` end once they have printed a job's results: the lines they
 * add on stderr (for people; none with `--json`) and their exit code, 4 for a cancelled job, 3 for
 * one that ended with failed tasks. `results` prints the failed tasks with the results already.
 */
export function jobEnding(
  jobId: string,
  results: JobResults,
  options: { json: boolean; failuresShown: boolean },
): { stderr: string; exitCode: number | undefined } {
  const say = (text: string): string => (options.json ? '' : text)
  if (results.status === 'cancelled') {
    return { stderr: say(`p2pc: ${cancelledText(jobId, results)}`), exitCode: CANCELLED_EXIT_CODE }
  }
  if (!endedWithFailures(results)) return { stderr: '', exitCode: undefined }
  const text = options.failuresShown ? '' : failedTasksText(jobId, results)
  return { stderr: say(text), exitCode: FAILED_TASKS_EXIT_CODE }
}
