/**
 * @packageDocumentation
 *
 * The p2pc market simulator: many peers in one process, seeded randomness, a fake
 * clock, a network with latency, loss, reordering and partitions, churn, and
 * misbehaving peers (wrong, colluding, copycat, ghost, flood, jammer). Contributors are
 * lightweight agents that decide with the market's own pure functions over their
 * view of each task; the publisher and the observers are real markets. The report
 * says how many tasks were validated, how many wrong outputs were accepted, and
 * what replication cost.
 *
 * @example
 * ```ts
 * import { runSimulation } from '@p2pc/sim'
 *
 * const report = runSimulation({ peers: 200, tasks: 5000, quorum: 2, cheaters: 0.2, behaviour: 'wrong', seed: 1 })
 * if (report.wrongAccepted > 0) console.log(`${report.wrongAccepted} wrong outputs accepted`)
 * ```
 */

export type { Behaviour } from './behaviours.ts'
export type { Partition } from './network.ts'
export type { CheaterShare, SimulationOptions } from './options.ts'
export type { BehaviourStats, SimulationReport } from './report.ts'
export { BEHAVIOURS, isBehaviour } from './behaviours.ts'
export { runSimulation } from './simulation.ts'
export { formatReport } from './report.ts'
export { resolveOptions } from './options.ts'
export { InvalidSimulationOptionsError } from './errors.ts'
export { EventQueue } from './event-queue.ts'
export { Network } from './network.ts'
export type { NetworkInit } from './network.ts'
export { Presence } from './churn.ts'
export { DeliveryLog, SimMessage, ANNOUNCE, BATCH, CLAIM, RESULT } from './log.ts'
export type { ClaimFacts } from './log.ts'
export { Viewer } from './view.ts'
export type { TaskView, ViewerInit } from './view.ts'
export { OpenTasks, RendezvousWalk, MAX_WALK_TASKS } from './walk.ts'
export { Random, hash32 } from './random.ts'
