import { createMarket } from '@p2pc/market'
import type { Market } from '@p2pc/market'
import type { Seal } from '@p2pc/protocol'
import type { SimMessage } from './log.ts'
import { RESULT } from './log.ts'
import type { World } from './world.ts'

/** Which tasks the publisher checks itself, and what it then computes. */
export interface SpotCheckPlan {
  /** The publisher's secret draw for a task, in [0, 1): it checks the task where this is below its rate. */
  draw(task: number): number
  truth(task: number): string
  /** How long the publisher's own run of the task takes. */
  cost(task: number): number
}

/**
 * The readers: the publisher and the observers, each a REAL market (`createMarket`
 * with `maxActiveClaims: 0`, so it never claims) fed every announce, batch, claim
 * and result as it becomes visible to it. The run's figures come from the
 * publisher's market; the observers, which see the same envelopes in other orders
 * and at other times, must end with the same validated set.
 *
 * The publisher's market is also the contributors' blocklist: when it blocks a
 * signer (or its spot checks catch one), the contributors stop counting that signer's claims as live.
 *
 * The publisher checks a fraction of the tasks itself (`SpotCheckPlan`): once its market has a
 * drawn task settled, it sends its own answer, marked `check`; and so it does for a task its
 * market asks it to answer (`CheckAction`). The run is settled only once
 * the publisher's market has every task settled and no check is on its way.
 */
export class Readers {
  readonly markets: Market[]
  private readonly world: World
  private readonly indexOf = new Map<string, number>()
  /** When the publisher's market first had every task settled; undefined until then. */
  settledAt: number | undefined
  private readonly checks: SpotCheckPlan
  /** Tasks the publisher has sent its check for. */
  private readonly checked: Uint8Array
  /** Checks sent and not yet delivered to the publisher's own market. */
  private checksInFlight = 0
  /** Checks the publisher sent. */
  checksSent = 0
  /** Seals the publisher signed, where answers are private. */
  private seals = 0

  constructor(world: World, checks: SpotCheckPlan) {
    this.world = world
    this.checks = checks
    this.checked = new Uint8Array(world.taskCount)
    this.markets = []
    for (let r = 0; r < world.readers; r++) {
      this.markets.push(createMarket({ self: world.names[world.publisher + r]!, maxActiveClaims: 0 }))
    }
    for (let peer = 0; peer < world.contributors; peer++) this.indexOf.set(world.names[peer]!, peer)
    // Where answers are private, the publisher opens what it counted once a task is settled; it
    // judges outputs by no schema here.
    if (world.privateAnswers) this.publisher.setOutputCheck(world.jobId, undefined)
  }

  get publisher(): Market {
    return this.markets[0]!
  }

  /** Hands a message to a reader's market. */
  deliver(reader: number, message: SimMessage, now: number): void {
    const envelope = message.wire ?? message.envelope!
    this.world.traffic.deliveries++
    if (--message.pending === 0 && message.kind !== RESULT) message.envelope = undefined
    const market = this.markets[reader]!
    const kept = market.receive(envelope, now)
    // The observers do nothing their markets ask (persist, fetch): dropped, so that they do not pile up.
    if (reader !== 0) market.takeActions()
    if (reader !== 0 || !kept || message.kind !== RESULT || envelope.message.type !== 'Result') return
    if (envelope.message.jobId !== this.world.jobId) return
    if (message.opening !== undefined) {
      // The publisher reads the box: the opening, and the output it opens to.
      market.open(this.world.jobId, message.task, message.opening, message.opening.outputHash)
    }
    this.act(now)
    if (envelope.message.check === true && message.sender === this.world.publisher) this.checksInFlight--
    this.followBlocks(message.task)
    this.maybeCheck(message.task)
    const complete = this.checksInFlight === 0 && market.job(this.world.jobId)?.status === 'complete'
    if (this.settledAt === undefined && complete) this.settledAt = now
    // In an adaptive job a settled task can open again: the run is settled only while all are.
    else if (this.settledAt !== undefined && !complete) this.settledAt = undefined
  }

  /**
   * The publisher does what its market asks: it answers the tasks it is asked to check, and, where
   * answers are private, signs the seals, openings and targets asked for as one Seal, which every
   * reader receives at once (the simulated publisher seals at each result, where a real one gathers
   * for a moment, and its seals are not delayed by the network). The rest (persist) it drops.
   */
  private act(now: number): void {
    const seal: Seal = { type: 'Seal', v: 1, jobId: this.world.jobId, tasks: [] }
    const checks: number[] = []
    for (const action of this.publisher.takeActions()) {
      if (action.type === 'seal') seal.tasks.push({ task: action.task, outputHash: action.outputHash })
      else if (action.type === 'open') (seal.opened ??= []).push(action.opened)
      else if (action.type === 'target')
        (seal.targets ??= []).push({ task: action.task, target: action.target })
      else if (action.type === 'check') checks.push(action.task)
    }
    for (const task of checks) this.sendCheck(task)
    if (seal.tasks.length === 0 && seal.opened === undefined && seal.targets === undefined) return
    const envelope = {
      id: `seal${this.seals++}`,
      signer: this.world.names[this.world.publisher]!,
      message: seal,
    }
    for (const market of this.markets) market.receive(envelope, now)
  }

  /**
   * The publisher sends its own answer to a task it checks, once its market has the task settled:
   * at the rate its market gives then (the job's, or more where no credible signer vouches for it).
   */
  private maybeCheck(task: number): void {
    if (this.checked[task] === 1) return
    if (this.checks.draw(task) >= this.publisher.checkRate(this.world.jobId, task)) return
    this.sendCheck(task)
  }

  /** The publisher sends its own answer to a task, once. */
  private sendCheck(task: number): void {
    const checks = this.checks
    if (this.checked[task] === 1) return
    this.checked[task] = 1
    this.checksInFlight++
    this.checksSent++
    const world = this.world
    world.sendResult(world.publisher, task, checks.truth(task), checks.cost(task), world.jobId, true)
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
   * judged on the raw tallies, where every signer of the task's results counts, blocked or not,
   * but for those a check caught: so where a checked task changed a block of its own signers (a
   * catch, say), which takes the liar's votes out of every other task, blocks can have changed
   * anywhere, and every contributor's is read again.
   */
  private followBlocks(task: number): void {
    let changed = false
    for (const message of this.world.log.of(task) ?? []) {
      if (message.kind === RESULT && message.sender < this.world.contributors) {
        changed = this.followBlock(message.sender) || changed
      }
    }
    if (!changed || this.checked[task] !== 1) return
    for (let peer = 0; peer < this.world.contributors; peer++) this.followBlock(peer)
  }

  /** @returns whether the peer's block changed */
  private followBlock(peer: number): boolean {
    const market = this.publisher
    const name = this.world.names[peer]!
    const caught = market.spotChecks(this.world.jobId, name).caught
    const blocked = caught || market.signer(name).blocked ? 1 : 0
    if (blocked === this.world.blocked[peer]) return false
    this.world.blocked[peer] = blocked
    if (blocked === 1) this.world.onBlocked(peer)
    return true
  }
}
