import type { Result, ResultBatch } from './messages.ts'

/**
 * The answers a Result or ResultBatch carries, each as the Result that says the same: a
 * ResultBatch means nothing more than its entries would as separate Results.
 */
export function resultsOf(message: Result | ResultBatch): Result[] {
  if (message.type === 'Result') return [message]
  const { jobId, runtime, check } = message
  const shared = check === true ? { jobId, runtime, check } : { jobId, runtime }
  return message.results.map((entry) => ({ type: 'Result', v: 1, ...shared, ...entry }) as Result)
}
