import type { Market, MarketEnvelope } from '@p2pc/market'
import { jobIdOf, outputHashOf } from '@p2pc/protocol'
import type { JobAnnounce, Result } from '@p2pc/protocol'
import { hex64 } from './random.ts'

/**
 * An established swarm: every contributor passed `checks` spot checks in an earlier job of the
 * same publisher. The readers' markets are handed that job's announce, each contributor's answer
 * and the publisher's check of it, as a peer that synced the earlier job would hold them.
 */
export function feedHistory(
  markets: readonly Market[],
  names: readonly string[],
  contributors: number,
  checks: number,
  seed: number,
): void {
  const publisher = names[contributors]!
  const announce: JobAnnounce = {
    type: 'JobAnnounce',
    v: 1,
    publisher,
    workload: { cid: 'bafkreihistory', name: 'sim-history', version: '0.1.0' },
    params: null,
    quorum: 2,
    maxReplicas: 4,
    maxErrors: 2,
    leaseMs: 60_000,
    taskCount: contributors * checks,
    batchCount: 1,
    publishedAt: 0,
    nonce: hex64(seed, 0x68697374),
  }
  const jobId = jobIdOf(announce)
  const envelopes: MarketEnvelope[] = [{ id: 'history-announce', signer: publisher, message: announce }]
  for (let peer = 0; peer < contributors; peer++) {
    for (let k = 0; k < checks; k++) {
      const task = peer * checks + k
      const answer: Result = {
        type: 'Result',
        v: 1,
        jobId,
        task,
        outputHash: outputHashOf(task),
        output: task,
        runtime: 'sim',
        durationMs: 1000,
      }
      envelopes.push({ id: `history-${task}`, signer: names[peer]!, message: answer })
      envelopes.push({ id: `history-check-${task}`, signer: publisher, message: { ...answer, check: true } })
    }
  }
  for (const market of markets) for (const envelope of envelopes) market.receive(envelope, 0)
}
