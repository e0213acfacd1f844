// BullMQ's sandboxed processor for the comparison benchmark: the same task function the other
// systems run, in one of BullMQ's worker threads.
import { spin } from '../fixtures/workloads/busy/index.js'

export default async function process(job) {
  return spin(job.data.iterations)
}
