import { createMarket } from '@p2pc/market'
import type { Market } from '@p2pc/market'
import type { SimMessage } from './log.ts'
import { RESULT } from './log.ts'
import type { World } from './world.ts'

/**
 * The readers: the publisher and the observers, each a REAL market (`createMarket`
 * with `maxActiveClaims: 0`, so it never claims) fed every announce, batch, claim
 * and result as it becomes visible to it. The run's figures come from the
 * publisher's market; the observers, which see the same envelopes in other orders
 * and at other times, must end with the same validated set.
 *
 * The publisher's market is also the contributors' blocklist: when it blocks a
 * signer, the contributors stop counting that signer's claims as live.
 */
export class Readers {
  readonly markets: Market[]
  private readonly world: World
  private readonly indexOf = new Map<string, number>()
  /** When the publisher's market first had every task settled; undefined until then. */
  settledAt: number | undefined

  constructor(world: World) {
    this.world = world
    this.markets = []
    for (let r = 0; r < world.readers; r++) {
      this.markets.push(createMarket({ self: world.names[world.publisher + r]!, maxActiveClaims: 0 }))
    }
    for (let peer = 0; peer < world.contributors; peer++) this.indexOf.set(world.names[peer]!, peer)
  }

  get publisher(): Market {
    return this.markets[0]!
  }

  /** Hands a message to a reader's market. */
  deliver(reader: number, message: SimMessage, now: number): void {
    const envelope = message.envelope!
    this.world.traffic.deliveries++
    if (--message.pending === 0 && message.kind !== RESULT) message.envelope = undefined
    const market = this.markets[reader]!
    const kept = market.receive(envelope, now)
    if (reader !== 0 || !kept || message.kind !== RESULT || envelope.message.type !== 'Result') return
    if (envelope.message.jobId !== this.world.jobId) return
    this.followBlocks(message.task)
    if (this.settledAt === undefined && market.job(this.world.jobId)?.status === 'complete') {
      this.settledAt = now
    }
  }

  /** Lets time pass in every reader's market. */
  tick(now: number): void {
    for (const market of this.markets) market.tick(now)
  }

  /**
   * Whether every observer ended with exactly the publisher's state: the same
   * validated and failed tasks with the same winning outputs, and the same signer
   * counts, credit and blocks.
   */
  agree(): boolean {
    const [first, ...others] = this.markets.map((market) => this.fingerprint(market))
    return others.every((other) => other === first)
  }

  private fingerprint(market: Market): string {
    const jobId = this.world.jobId
    const outputs = market.outputs(jobId).map(({ index, outputHash }) => `${index}:${outputHash}`)
    const signers = market
      .signers()
      .map((s) => `${s.peerId}:${s.valid}:${s.invalid}:${s.creditMs}:${s.blocked}`)
    return JSON.stringify([market.job(jobId)!.progress, outputs, signers])
  }

  /**
   * After a result reached the publisher: contributors learn who is blocked now. Blocks are
   * judged on the raw tallies, where every signer of the task's results counts, blocked or not.
   */
  private followBlocks(task: number): void {
    const market = this.publisher
    for (const message of this.world.log.of(task) ?? []) {
      if (message.kind !== RESULT) continue
      const peer = message.sender
      if (peer >= this.world.contributors) continue
      const blocked = market.signer(this.world.names[peer]!).blocked ? 1 : 0
      if (blocked === this.world.blocked[peer]) continue
      this.world.blocked[peer] = blocked
      if (blocked === 1) this.world.onBlocked(peer)
    }
  }
}
