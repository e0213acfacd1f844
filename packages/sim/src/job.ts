import { MAX_BATCH_INPUTS, cidOf } from '@p2pc/protocol'
import type { JobAnnounce, TaskBatch } from '@p2pc/protocol'
import { ANNOUNCE, BATCH } from './log.ts'
import type { SimMessage } from './log.ts'
import type { ResolvedOptions } from './options.ts'
import { hashString, hex64 } from './random.ts'
import type { World } from './world.ts'

const WORKLOAD_CID = cidOf(new TextEncoder().encode('p2pc simulator workload')).toString()

/** The announce of the simulated job: the options' quorum, maxReplicas, maxErrors, lease, task count and spot-check rate. */
export function jobAnnounce(opts: ResolvedOptions, publisher: string, seed: number): JobAnnounce {
  return {
    type: 'JobAnnounce',
    v: 1,
    publisher,
    workload: { cid: WORKLOAD_CID, name: 'sim', version: '0.1.0' },
    params: { seed: opts.seed },
    quorum: opts.quorum,
    maxReplicas: opts.maxReplicas,
    maxErrors: opts.maxErrors,
    leaseMs: opts.leaseMs,
    taskCount: opts.tasks,
    batchCount: Math.ceil(opts.tasks / MAX_BATCH_INPUTS),
    publishedAt: 0,
    nonce: hex64(seed, hashString(`${opts.seed}`)),
    ...(opts.verification === 'adaptive' ? { verification: 'adaptive' as const } : {}),
    ...(opts.answers === 'private' ? { answers: 'private' as const } : {}),
    ...(opts.spotChecks > 0 ? { spotCheckRate: opts.spotChecks } : {}),
  }
}

/** The publisher announces the job and sends its batches (inputs inline: the task index) at time 0. */
export function publish(world: World, announce: JobAnnounce, jobId: string): SimMessage[] {
  const sender = world.publisher
  const signer = world.names[sender]!
  const messages = [
    world.log.append(ANNOUNCE, sender, 0, NaN, -1, [], (id) => ({ id: `m${id}`, signer, message: announce })),
  ]
  for (let batch = 0; batch < announce.batchCount; batch++) {
    const first = batch * MAX_BATCH_INPUTS
    const count = Math.min(MAX_BATCH_INPUTS, announce.taskCount - first)
    const message: TaskBatch = {
      type: 'TaskBatch',
      v: 1,
      jobId,
      batch,
      first,
      inputs: Array.from({ length: count }, (_, i) => first + i),
    }
    messages.push(
      world.log.append(BATCH, sender, 0, NaN, -1, [], (id) => ({ id: `m${id}`, signer, message })),
    )
  }
  for (const message of messages) world.toReaders(message, 0)
  return messages
}
