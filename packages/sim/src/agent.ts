import type { Behaviour, Outputs } from './behaviours.ts'
import { SYBIL_HONEST_RESULTS } from './constants.ts'
import type { RendezvousWalk } from './walk.ts'
import type { World } from './world.ts'
import { EVENT } from './world.ts'

/** What makes one contributor. */
export interface AgentInit {
  index: number
  behaviour: Behaviour
  /** Speed against the reference machine: a task of cost `c` ms takes `c / speed` ms. */
  speed: number
  /** Tasks held at once (the market's `maxActiveClaims`); each runs on its own thread. */
  slots: number
  /** When, within each tick period, this peer's market ticks. */
  tickPhase: number
  walk: RendezvousWalk
  world: World
  outputs: Outputs
  /** The cost of a task, in ms at speed 1. */
  cost: (task: number) => number
}

/**
 * A lightweight contributor. It walks the job's tasks in its rendezvous order and,
 * for each, looks at its view of the task (see `Viewer`) to decide as the market's
 * `tick` does: skip tasks settled or already touched, park tasks that enough peers
 * hold (back into the walk when a lease ends, a result comes or a claimer is
 * blocked), claim the others up to its free slots in one Claim message. Then it
 * computes each task for `cost / speed` ms and sends its Result, unless its
 * behaviour says otherwise. It keeps no market state of its own: the log is the state.
 */
export class Agent {
  readonly index: number
  readonly behaviour: Behaviour
  readonly speed: number
  private readonly slots: number
  private readonly walk: RendezvousWalk
  private readonly world: World
  private readonly outputs: Outputs
  private readonly cost: (task: number) => number
  private readonly tickPhase: number
  /** The time of the tick scheduled, or -Infinity. */
  private tickAt = -Infinity
  online = false
  /** Tasks claimed and not yet answered or run out. */
  private active = 0
  /** Tasks passed over for now because enough peers hold them. */
  private readonly parked = new Set<number>()
  /** A copycat's claimed tasks, waiting for someone else's result to copy. */
  private readonly copying = new Set<number>()
  /** Results computed and sent so far. */
  private answered = 0

  constructor(init: AgentInit) {
    this.index = init.index
    this.behaviour = init.behaviour
    this.speed = init.speed
    this.slots = init.slots
    this.walk = init.walk
    this.world = init.world
    this.outputs = init.outputs
    this.cost = init.cost
    this.tickPhase = init.tickPhase
  }

  private get epoch(): number {
    return this.world.epochs[this.index]!
  }

  /** Starts, or resumes after coming back: parked tasks are looked at again. */
  start(): void {
    for (const task of this.parked) this.walk.push(task)
    this.parked.clear()
    this.requestTick()
  }

  /**
   * The run goes on after it stopped: work in progress then was lost (the world has made its
   * pending events stale), and a peer still online takes work again.
   */
  resume(): void {
    if (!this.online) return
    this.leave()
    this.online = true
    this.start()
  }

  /** Goes offline: work in progress is lost, and leases run out on their own. */
  leave(): void {
    this.online = false
    this.tickAt = -Infinity
    this.active = 0
    this.copying.clear()
  }

  /** A computation finished: send the result, take more work. */
  done(task: number): void {
    const world = this.world
    const duration = this.duration(task)
    world.sendResult(this.index, task, this.outputOf(task), duration)
    this.answered++
    this.active--
    // Like the peer, fill a freed slot at once rather than at the next tick.
    this.tick()
  }

  /** The lease of a claim this peer never answers ran out (a ghost's, or a copycat's with nothing to copy). */
  release(task: number): void {
    if (this.behaviour === 'copycat' && !this.copying.delete(task)) return
    this.active--
    this.requestTick()
  }

  /** A task settled before is open again (a signer of its winning class got blocked): walk it once more. */
  revive(task: number): void {
    this.parked.delete(task)
    this.walk.push(task)
    if (this.online) this.requestTick()
  }

  /** Whether this peer waits on a task: parked, or a copycat waiting for a result to copy. */
  waitsOn(task: number): boolean {
    return this.parked.has(task) || this.copying.has(task)
  }

  /** Whether this peer waits on a task to copy the next result it sees. */
  copies(task: number): boolean {
    return this.copying.has(task)
  }

  /** Something about a task this peer waits on may have changed: a result, a block, a lease end. */
  recheck(task: number): void {
    if (this.copying.has(task)) this.tryCopy(task)
    else if (this.parked.has(task)) {
      // Usually the news is that the task is settled: that takes no full look.
      if (this.world.seesSettled(this.index, task, this.world.queue.now)) this.parked.delete(task)
      else this.reopen(task)
    }
  }

  /**
   * Asks for the next tick of this peer's market. Like the peer, the agent claims work
   * on its ticks, every `tickMs` at its own phase, and when one of its tasks is done:
   * a task unparked, or a lease run out, is acted upon at the next tick.
   */
  private requestTick(): void {
    const world = this.world
    const now = world.queue.now
    if (this.tickAt >= now) return
    const period = world.tickMs
    let at = this.tickPhase + Math.ceil((now - this.tickPhase) / period) * period
    if (at < now) at += period
    this.tickAt = at
    world.queue.schedule(at, EVENT.tick, this.index, 0, this.epoch)
  }

  /** The market ticks: claims tasks for the free slots. A tick already scheduled still comes, and finds less to do. */
  tick(): void {
    this.tickAt = -Infinity
    this.fill()
  }

  /** Claims tasks for the free slots, in walk order, as the market's `tick` does. */
  private fill(): void {
    const free = this.slots - this.active
    if (free <= 0 || !this.online || this.world.stopped) return
    const world = this.world
    const now = world.queue.now
    const copycat = this.behaviour === 'copycat'
    const picked: number[] = []
    while (picked.length < free) {
      const task = this.walk.pop(now)
      if (task === undefined) break
      if (world.open.deadAt[task]! <= now || this.parked.has(task)) continue
      if (world.seesSettled(this.index, task, now)) continue
      const view = world.viewer.look(this.index, task, now, true)
      if (view.settled) world.noteSettled(task)
      if (view.touched || view.settled) continue
      if (copycat && view.other !== undefined) {
        // Someone answered already: claim it and hand in a copy at once.
        world.sendClaim(this.index, [task], now + world.leaseMs)
        this.copy(task, view.other.message.output as string, view.other.message.durationMs)
        continue
      }
      if (view.needed <= 0) {
        this.park(task, view.wakeAt)
        continue
      }
      picked.push(task)
    }
    if (picked.length === 0) return
    const leaseEnd = now + world.leaseMs
    world.sendClaim(this.index, picked, leaseEnd)
    this.active += picked.length
    const epoch = this.epoch
    for (const task of picked) {
      if (this.behaviour === 'ghost') {
        world.queue.schedule(leaseEnd, EVENT.release, this.index, task, epoch)
      } else if (this.behaviour === 'copycat') {
        this.copying.add(task)
        world.waits.add(task, this.index)
        world.queue.schedule(leaseEnd, EVENT.release, this.index, task, epoch)
      } else {
        world.queue.schedule(now + this.duration(task), EVENT.done, this.index, task, epoch)
      }
    }
  }

  /** What this peer answers for a task it computed, as its behaviour says. */
  private outputOf(task: number): string {
    switch (this.behaviour) {
      case 'wrong':
        return this.outputs.wrong(this.index, task)
      case 'colluding':
        return this.outputs.collusion(task)
      case 'on-off':
        return this.outputs.liesOn(task) ? this.outputs.collusion(task) : this.outputs.truth(task)
      case 'sybil': {
        const credible = this.world.context.credible?.(this.world.names[this.index]!) === true
        return credible || this.answered >= SYBIL_HONEST_RESULTS
          ? this.outputs.collusion(task)
          : this.outputs.truth(task)
      }
      default:
        return this.outputs.truth(task)
    }
  }

  private duration(task: number): number {
    return this.cost(task) / this.speed
  }

  private park(task: number, wakeAt: number): void {
    this.parked.add(task)
    this.world.waits.add(task, this.index)
    this.world.waits.wakeBy(task, wakeAt)
  }

  /** Looks at a parked task again: forget it once settled, back into the walk when it needs a replica. */
  private reopen(task: number): void {
    const world = this.world
    const view = world.viewer.look(this.index, task, world.queue.now, false)
    if (!view.settled && view.needed <= 0) {
      world.waits.wakeBy(task, view.wakeAt)
      return
    }
    this.parked.delete(task)
    if (view.settled) return
    this.walk.push(task)
    this.requestTick()
  }

  /** A copycat's claimed task: copy the first result by someone else it sees, if the task is still open. */
  private tryCopy(task: number): void {
    const world = this.world
    const view = world.viewer.look(this.index, task, world.queue.now, false)
    if (view.other === undefined && !view.settled) return
    this.copying.delete(task)
    this.active--
    if (view.other !== undefined && !view.answered && !view.settled) {
      this.copy(task, view.other.message.output as string, view.other.message.durationMs)
    }
    this.requestTick()
  }

  private copy(task: number, output: string, durationMs: number): void {
    this.world.sendResult(this.index, task, output, durationMs)
  }
}
