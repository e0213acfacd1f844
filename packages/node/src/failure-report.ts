// Failed tasks in words: what `reduce` is told, and what `publish --wait` and `results` print.
import type { FailedTask } from '@p2pc/market'

/** Failed tasks a job's results list: the first ones, in task order; `tasks.failed` counts them all. */
export const LISTED_FAILURES = 100

/** Errors quoted in one sentence, before "and N more". */
const QUOTED_ERRORS = 3

/** One failed task of a job's results. */
export interface FailureReport {
  index: number
  /** Why it failed, in one sentence that does not name the task. */
  reason: string
  cause: FailedTask['failure']['cause']
  /** The distinct errors reported, the agreed one first. */
  errors: readonly string[]
  /** The distinct outputs reported, by hash. */
  outputHashes: readonly string[]
}

/** The report of a failed task: its cause, errors and disagreement, and a sentence that says them. */
export function failureReport(task: FailedTask): FailureReport {
  const { cause, errors, outputHashes } = task.failure
  return { index: task.index, reason: reasonOf(task), cause, errors, outputHashes }
}

function reasonOf({ results, failure }: FailedTask): string {
  const { errors, outputHashes } = failure
  if (failure.cause === 'same-error') return `a quorum of peers failed it the same way: ${errors[0]}`
  const found = [
    outputHashes.length > 0 ? plural(outputHashes.length, 'different output') : '',
    errors.length > 0 ? `${plural(errors.length, 'error')}: ${quote(errors)}` : '',
  ]
    .filter((part) => part !== '')
    .join('; ')
  const head =
    failure.cause === 'too-many-errors'
      ? `more errors than the job allows in ${plural(results, 'result')}`
      : `${plural(results, 'result')} and no quorum of them agree`
  return found === '' ? head : `${head} (${found})`
}

function quote(errors: readonly string[]): string {
  const quoted = errors.slice(0, QUOTED_ERRORS).map((error) => JSON.stringify(error))
  const more = errors.length - quoted.length
  return more > 0 ? `${quoted.join(', ')} and ${more} more` : quoted.join(', ')
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
