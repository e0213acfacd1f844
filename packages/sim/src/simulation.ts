import { rendezvousSeed } from '@p2pc/market'
import type { TallyContext } from '@p2pc/market'
import { jobIdOf } from '@p2pc/protocol'
import { Agent } from './agent.ts'
import { Outputs, assignBehaviours, placedBy } from './behaviours.ts'
import { Presence } from './churn.ts'
import { COST_SIGMA, READER_TICK_MS, SPEED_MAX, SPEED_MIN } from './constants.ts'
import { EventQueue } from './event-queue.ts'
import { Flooder } from './flood.ts'
import { Jammer } from './jammer.ts'
import { jobAnnounce, publish } from './job.ts'
import { DeliveryLog, RESULT } from './log.ts'
import { Network } from './network.ts'
import { resolveOptions } from './options.ts'
import type { SimulationOptions } from './options.ts'
import { Random, hash32, logNormalOf, unitOf } from './random.ts'
import { feedHistory } from './history.ts'
import { Readers } from './readers.ts'
import { spotCheckDraw } from './spot-checks.ts'
import { buildReport } from './report.ts'
import type { SimulationReport } from './report.ts'
import { Viewer } from './view.ts'
import { OpenTasks, RendezvousWalk } from './walk.ts'
import { EVENT, World } from './world.ts'

const SALT_COST = 0x636f7374
const SALT_BACK = 0x6261636b
const SALT_TICK = 0x7469636b

/** A contributor, a flooder or a jammer: something that goes on and offline. */
interface Participant {
  online: boolean
  start(): void
  leave(): void
}

/**
 * Runs one simulated job to the end: a publisher announces `tasks` tasks at time 0,
 * `peers` contributors (some of them cheaters) claim and compute them over a lossy,
 * reordering network with churn and partitions, and real markets read the results.
 * The run ends when the publisher's market has settled every task (or at `maxTimeMs`);
 * the messages already on their way are then delivered, so that every reader ends
 * with the same envelopes, and the figures are read off the publisher's market.
 *
 * Synchronous and deterministic: the same options give the same report, `wallMs` aside.
 *
 * @example
 * ```ts
 * const report = runSimulation({ peers: 200, tasks: 5000, cheaters: 0.2, behaviour: 'wrong', seed: 1 })
 * console.log(report.validated, report.wrongAccepted, report.replicasPerTask)
 * ```
 *
 * @throws InvalidSimulationOptionsError when an option is invalid
 */
export function runSimulation(options: SimulationOptions = {}): SimulationReport {
  const started = performance.now()
  const opts = resolveOptions(options)
  const seed = hash32(opts.seed >>> 0, 0x73696d)
  const random = new Random(seed)
  const peers = opts.peers
  const behaviours = assignBehaviours(opts, random)
  const speeds = Array.from({ length: peers }, () => SPEED_MIN * (SPEED_MAX / SPEED_MIN) ** random.next())
  const meanSpeed = (SPEED_MAX - SPEED_MIN) / Math.log(SPEED_MAX / SPEED_MIN)
  const horizonMs = (opts.tasks * opts.quorum * opts.costMs) / (peers * opts.slots * meanSpeed)
  const presence = Presence.plan({ churn: opts.churn, peers, horizonMs }, random)

  const names = [
    ...Array.from({ length: peers }, (_, i) => `sim-peer-${i}`),
    'sim-publisher',
    ...Array.from({ length: opts.observers }, (_, i) => `sim-observer-${i + 1}`),
  ]
  const announce = jobAnnounce(opts, names[peers]!, seed)
  const jobId = jobIdOf(announce)
  const queue = new EventQueue()
  const log = new DeliveryLog(opts.tasks)
  const network = new Network({ ...opts, seed, presence })
  const rules = {
    quorum: opts.quorum,
    maxReplicas: opts.maxReplicas,
    maxErrors: opts.maxErrors,
    adaptive: opts.verification === 'adaptive',
  }
  const blocked = new Uint8Array(peers)
  const agents: Array<Agent | undefined> = []
  // Contributors count results the way the publisher's market does: blocked signers' not at all,
  // and strangers' disagreement toward nothing. Filled in once the readers exist.
  const context: TallyContext = {}
  const viewer = new Viewer({
    log,
    network,
    rules,
    context,
    leaseMs: opts.leaseMs,
    blocked,
    names,
    publisher: peers,
    privateAnswers: opts.answers === 'private',
  })
  const open = new OpenTasks(opts.tasks)
  const world = new World({
    queue,
    log,
    network,
    viewer,
    open,
    rules,
    context,
    jobId,
    taskCount: opts.tasks,
    leaseMs: opts.leaseMs,
    tickMs: opts.tickMs,
    names,
    contributors: peers,
    readers: 1 + opts.observers,
    blocked,
    privateAnswers: opts.answers === 'private',
    isWaiting: (peer, task) => agents[peer]?.waitsOn(task) === true,
    isCopying: (peer, task) => agents[peer]?.copies(task) === true,
    onReopen: (task) => {
      for (const agent of agents) agent?.revive(task)
    },
  })
  const outputs = new Outputs(seed)
  const cost = (task: number): number =>
    logNormalOf(
      opts.costMs,
      COST_SIGMA,
      unitOf(hash32(seed ^ SALT_COST, task, 1)),
      unitOf(hash32(seed ^ SALT_COST, task, 2)),
    )
  // The publisher can answer any task itself: those it draws, and those its market asks for.
  const checks = {
    draw: (task: number) => spotCheckDraw(seed, task),
    truth: (task: number) => outputs.truth(task),
    cost,
  }
  const readers = new Readers(world, checks)
  if (opts.history > 0) feedHistory(readers.markets, names, peers, opts.history, seed)
  const peerIndex = new Map(names.slice(0, peers).map((name, i) => [name, i]))
  context.excluded = (signer) => blocked[peerIndex.get(signer) ?? -1] === 1
  context.hasStanding = (signer) => readers.publisher.hasStanding(jobId, signer)
  context.credible = (signer) => readers.publisher.spotChecks(jobId, signer).credible
  const jobMessages = publish(world, announce, jobId)

  const participants: Participant[] = []
  const flooders: Array<Flooder | undefined> = []
  const jammers: Array<Jammer | undefined> = []
  for (let peer = 0; peer < peers; peer++) {
    const behaviour = behaviours[peer]!
    if (behaviour === 'flood') {
      const flooder = new Flooder(peer, world, outputs, seed)
      flooders.push(flooder)
      agents.push(undefined)
      participants.push({ online: false, start: () => flooder.next(), leave: () => {} })
    } else if (behaviour === 'jammer') {
      const jammer = new Jammer(peer, world, seed)
      jammers[peer] = jammer
      agents.push(undefined)
      flooders.push(undefined)
      // It jams from the moment it has the job, and again each time it comes back.
      participants.push({ online: false, start: () => jammer.burst(), leave: () => {} })
    } else {
      const walk = new RendezvousWalk(rendezvousSeed(placedBy(behaviour, names[peer]!), jobId), open)
      const agent = new Agent({
        index: peer,
        behaviour,
        speed: speeds[peer]!,
        slots: opts.slots,
        tickPhase: unitOf(hash32(seed ^ SALT_TICK, peer)) * opts.tickMs,
        walk,
        world,
        outputs,
        cost,
      })
      agents.push(agent)
      flooders.push(undefined)
      participants.push(agent)
    }
    // A peer works once it has the announce and every batch; a late one syncs first.
    let ready = 0
    for (const message of jobMessages) ready = Math.max(ready, network.visibleAt(peer, message))
    const joinAt = presence.joinAt[peer]!
    if (joinAt > 0) ready = Math.max(ready, joinAt + network.reconnectDelay(peer, SALT_BACK))
    queue.schedule(ready, EVENT.start, peer, 0, 0)
    if (presence.leaveAt[peer]! < Infinity) queue.schedule(presence.leaveAt[peer]!, EVENT.leave, peer)
    if (presence.backAt[peer]! < Infinity) queue.schedule(presence.backAt[peer]!, EVENT.back, peer)
  }
  queue.schedule(READER_TICK_MS, EVENT.readerTick)

  let simTimeMs = 0
  let timedOut = false
  while (queue.take()) {
    const now = queue.now
    if (!world.stopped && now > opts.maxTimeMs) {
      world.stopped = true
      timedOut = true
      simTimeMs = opts.maxTimeMs
    }
    const { kind, a, b, c } = queue
    if (kind === EVENT.deliver) {
      readers.deliver(a, log.messages[b]!, now)
      if (!world.stopped && readers.settledAt !== undefined) {
        world.stopped = true
        simTimeMs = readers.settledAt
      } else if (world.stopped && !timedOut && readers.settledAt === undefined) {
        // A message on its way when the run stopped opened a task again (in an adaptive job, a
        // disagreement with a lone credible word, or a signer caught late): the run goes on.
        // What contributors were computing when it stopped is lost, as when they leave.
        world.stopped = false
        agents.forEach((agent, peer) => {
          if (agent === undefined) return
          world.epochs[peer]!++
          agent.resume()
        })
        queue.schedule(now + READER_TICK_MS, EVENT.readerTick)
      }
      continue
    }
    if (world.stopped) continue
    if (kind === EVENT.wake) {
      if (!world.waits.takeWake(a)) continue
      world.waits.forEach(a, (peer) => {
        if (participants[peer]!.online) agents[peer]!.recheck(a)
      })
      continue
    }
    if (kind === EVENT.readerTick) {
      readers.tick(now)
      open.compact(now)
      queue.schedule(now + READER_TICK_MS, EVENT.readerTick)
      continue
    }
    const participant = participants[a]!
    switch (kind) {
      case EVENT.leave:
        world.epochs[a]!++
        participant.online = false
        participant.leave()
        continue
      case EVENT.back:
        world.epochs[a]!++
        queue.schedule(
          now + network.reconnectDelay(a, SALT_BACK, world.epochs[a]),
          EVENT.start,
          a,
          0,
          world.epochs[a],
        )
        continue
      case EVENT.start:
        if (c !== world.epochs[a] || !presence.isOnline(a, now)) continue
        participant.online = true
        participant.start()
        continue
    }
    if (!participant.online || c !== world.epochs[a]) continue
    if (kind === EVENT.flood) {
      flooders[a]!.burst()
      continue
    }
    if (kind === EVENT.jam) {
      jammers[a]!.burst()
      continue
    }
    const agent = agents[a]!
    if (kind === EVENT.tick) agent.tick()
    else if (kind === EVENT.done) agent.done(b)
    else if (kind === EVENT.release) agent.release(b)
    else if (kind === EVENT.recheck) agent.recheck(b)
  }
  if (!world.stopped) simTimeMs = queue.now

  const resultsSent = new Int32Array(peers)
  for (const message of log.messages)
    if (message.sender < peers && message.task >= 0) resultsSent[message.sender]!++
  const report = buildReport({
    options: opts,
    publisher: readers.publisher,
    jobId,
    outputs,
    names: names.slice(0, peers),
    behaviours,
    resultsSent,
    signersOf: (task) =>
      new Set(
        log
          .of(task)
          ?.filter((m) => m.kind === RESULT)
          .map((m) => m.sender),
      ).size,
    traffic: world.traffic,
    churned: { left: presence.leaving, returned: presence.returning, joinedLate: presence.joining },
    simTimeMs,
    timedOut,
    readersAgree: readers.agree(),
    readers: world.readers,
    checksSent: readers.checksSent,
    now: queue.now,
  })
  return { ...report, wallMs: Math.round(performance.now() - started) }
}
