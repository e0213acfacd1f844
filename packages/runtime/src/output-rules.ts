// The rules a task's output must keep, checked where it is made (the worker thread, inside the
// sandbox on a contributor) so that `run-local`, contributors and readers all refuse the same
// outputs with the same words.
import { MAX_JSON_DEPTH, MAX_OUTPUT_BYTES, encode, findNonJson } from '@p2pc/protocol/values'

/** An output travels three levels below its message's root: results, the entry, its output. */
const MAX_OUTPUT_DEPTH = MAX_JSON_DEPTH - 3

/**
 * What is wrong with an output before any schema looks at it: it is not plain JSON, it nests too
 * deeply for a message, or its canonical encoding is larger than {@link MAX_OUTPUT_BYTES}.
 *
 * @returns a sentence such as `the output is not plain JSON: /2 is a non-finite number`, or undefined
 */
export function outputProblem(output: unknown): string | undefined {
  const nonJson = findNonJson(output, '', MAX_OUTPUT_DEPTH)
  if (nonJson !== undefined) return `the output is not plain JSON: ${nonJson}`
  const bytes = encode(output).length
  if (bytes > MAX_OUTPUT_BYTES) {
    return `the output is ${bytes} bytes encoded, more than the ${MAX_OUTPUT_BYTES} an output may have`
  }
  return undefined
}
