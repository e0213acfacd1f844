import { jobRules, type PublishOptions } from '@p2pc/node'
import { jobRulesProblem, type JobRules } from '@p2pc/protocol'
import { UsageError } from '../errors.ts'
import { Flags } from '@oclif/core'
import { duration, fraction, positiveInteger, rate } from './flags.ts'

/** The flags of `p2pc publish` that set the job's rules and batching. */
export const jobFlags = {
  quorum: positiveInteger({
    description: 'Agreeing results from distinct peers that validate a task. [default: 2]',
  }),
  'max-replicas': positiveInteger({ description: 'Results at most per task. [default: max(5, quorum)]' }),
  lease: duration({ description: 'How long a claim holds a task. [default: 10m]' }),
  'batch-size': positiveInteger({ description: 'Tasks per batch message. [default: 100]' }),
  verification: Flags.string({
    description:
      'strict: every task needs its quorum; adaptive: a contributor that passed your spot checks validates a task alone. [default: adaptive]',
    options: ['strict', 'adaptive'],
  }),
  'spot-checks': fraction({
    description:
      'Fraction of the tasks this peer computes itself, each catching whoever answered it otherwise. [default: 0.1 adaptive, 0 strict]',
  }),
  'target-error': rate({
    description:
      'The share of tasks verification may accept wrong, such as 0.001: results says whether the spot checks show it; without --spot-checks, enough tasks are checked to show it. [default: none]',
  }),
  answers: Flags.string({
    description:
      'private: contributors box their answers for you, so nobody can copy them; readers see a task once your peer seals it (stay online), and an output carries at most 96 KiB. public: anyone reads the answers. [default: private]',
    options: ['public', 'private'],
  }),
}

/** The flag that sets each rule, and how its values are written. */
const RULE_FLAGS: Partial<Record<keyof JobRules, { flag: string; format: (value: number) => string }>> = {
  quorum: { flag: '--quorum', format: String },
  maxReplicas: { flag: '--max-replicas', format: String },
  leaseMs: { flag: '--lease', format: formatDuration },
}

/**
 * The publish options the job flags set, checked against the limits every peer holds a
 * JobAnnounce to (its schema, and at least as many replicas as the quorum), so that a bad flag is
 * named before any peer starts.
 *
 * @throws UsageError naming the flag and its allowed range
 */
export function publishOptions(flags: {
  quorum?: number
  'max-replicas'?: number
  lease?: number
  'batch-size'?: number
  verification?: string
  'spot-checks'?: number
  'target-error'?: number
  answers?: string
}): PublishOptions {
  const options: PublishOptions = {
    quorum: flags.quorum,
    maxReplicas: flags['max-replicas'],
    leaseMs: flags.lease,
    batchSize: flags['batch-size'],
    // oclif has checked it against the flag's options.
    verification: flags.verification as PublishOptions['verification'],
    spotChecks: flags['spot-checks'],
    targetError: flags['target-error'],
    answers: flags.answers as PublishOptions['answers'],
  }
  const rules = jobRules(options)
  const problem = jobRulesProblem(rules)
  if (problem === undefined) return options
  const { rule, minimum, maximum } = problem
  const value = rules[rule]
  const named = RULE_FLAGS[rule]
  // The rules without a flag keep their defaults, which are in range.
  if (named === undefined) throw new UsageError(`the job's ${rule} must be from ${minimum} to ${maximum}`)
  const { flag, format } = named
  if (rule === 'maxReplicas' && value < rules.quorum) {
    throw new UsageError(`${flag} must be at least --quorum (${rules.quorum}), not ${value}`)
  }
  throw new UsageError(`${flag} must be from ${format(minimum)} to ${format(maximum)}, not ${format(value)}`)
}

/** A duration in milliseconds in the largest unit that writes it whole: 1s, 10m, 24h, 1500ms. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s'
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`
  }
  return `${ms}ms`
}
