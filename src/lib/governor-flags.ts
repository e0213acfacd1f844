import { Flags } from '@oclif/core'
import type { GovernorInit, Priority } from '@p2pc/runtime'
import { DEFAULT_IDLE_LOAD, DEFAULT_TASK_MEMORY_MB } from '@p2pc/runtime'
import { UsageError } from '../errors.ts'
import { duration, fraction, percentage, positiveInteger } from './flags.ts'

/** Flags of a contributor's pool: its size, its limits per task, and how politely it runs. */
export const poolFlags = {
  threads: positiveInteger({ description: 'Worker threads. [default: cores − 1]' }),
  'max-cpu': percentage({
    description: "Most CPU the tasks may use, in percent of the threads' capacity. [default: 100]",
  }),
  'idle-only': Flags.boolean({
    description:
      'Run tasks only while the rest of the machine is idle; pause, losing no work, when it is not.',
    default: false,
  }),
  'idle-load': fraction({
    description: `With --idle-only: load of other programs, a fraction of all CPUs, above which tasks pause. [default: ${DEFAULT_IDLE_LOAD}]`,
  }),
  'on-battery': Flags.option({
    description: 'Pause the tasks, or run them anyway, while the machine runs on battery.',
    options: ['pause', 'run'] as const,
    default: 'pause' as const,
  })(),
  priority: Flags.option({
    description:
      "Scheduling priority of the tasks: lowest (nice 19, any other program comes first), low (nice 10), or normal (the contributor's own; only the other limits hold tasks back).",
    options: ['lowest', 'low', 'normal'] as const,
    default: 'lowest' as const,
  })(),
  memory: positiveInteger({
    description: `Heap limit of one task in MiB. [default: ${DEFAULT_TASK_MEMORY_MB}]`,
    helpValue: 'MB',
  }),
  'task-timeout': duration({
    description: 'Abort a task that runs longer than this, pauses left out (30s, 5m, 1h).',
  }),
}

/**
 * The PeerInit fields the pool flags set.
 *
 * @throws UsageError when --idle-load comes without --idle-only
 */
export function poolInit(flags: {
  threads?: number
  'max-cpu'?: number
  'idle-only': boolean
  'idle-load'?: number
  'on-battery': 'pause' | 'run'
  priority: Priority
  memory?: number
  'task-timeout'?: number
}): { threads?: number; memoryMb?: number; taskTimeoutMs?: number; governor: GovernorInit } {
  if (flags['idle-load'] !== undefined && !flags['idle-only']) {
    throw new UsageError('--idle-load sets the load of --idle-only: give both, or neither')
  }
  const governor: GovernorInit = { onBattery: flags['on-battery'], priority: flags.priority }
  if (flags['max-cpu'] !== undefined) governor.maxCpu = flags['max-cpu']
  if (flags['idle-only']) governor.idleOnly = { load: flags['idle-load'] ?? DEFAULT_IDLE_LOAD }
  return {
    ...(flags.threads === undefined ? {} : { threads: flags.threads }),
    ...(flags.memory === undefined ? {} : { memoryMb: flags.memory }),
    ...(flags['task-timeout'] === undefined ? {} : { taskTimeoutMs: flags['task-timeout'] }),
    governor,
  }
}
