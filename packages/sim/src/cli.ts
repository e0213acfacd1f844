#!/usr/bin/env node
// `npm run sim -- [flags]`: parse flags, run one simulation, print the report. No logic of its own.
import { parseArgs } from 'node:util'
import type { Partition } from './network.ts'
import type { Behaviour } from './behaviours.ts'
import type { CheaterShare, SimulationOptions } from './options.ts'
import { InvalidSimulationOptionsError } from './errors.ts'
import { formatReport } from './report.ts'
import { runSimulation } from './simulation.ts'

const USAGE = `Usage: npm run sim -- [flags]

  --peers N           contributors (200)
  --tasks N           tasks in the job (5000)
  --quorum N          agreeing results that validate a task (2)
  --max-replicas N    results after which a task without quorum fails (quorum + max-errors)
  --max-errors N      disagreeing results after which a task fails (8)
  --cheaters F        fraction of the contributors that cheat (0)
  --behaviour B       how they cheat: honest, wrong, colluding, sybil, on-off, copycat, ghost,
                      flood, jammer (wrong)
  --mix B:F,...       several kinds at once, each with its fraction, e.g. colluding:0.1,copycat:0.05
  --verification V    strict (every task needs its quorum) or adaptive (strict)
  --answers A         public (anyone reads answers) or private (boxed for the publisher) (public)
  --spot-checks F     fraction of the tasks the publisher checks itself (0.1 adaptive, 0 strict)
  --history N         spot checks each contributor passed in earlier jobs (0)
  --loss F            probability that one delivery of a gossip message to a peer fails (0)
  --churn F           fraction of the contributors that leave during the run (0)
  --latency MS        mean one-way latency (100)
  --heartbeat MS      gossip heartbeat, at which missed gossip is repaired (1000)
  --sync MS           period of anti-entropy sync for announces, batches, results (15000)
  --tick MS           how often a contributor's market ticks and claims (250)
  --lease MS          the job's lease (60000)
  --cost MS           mean task cost at speed 1 (5000)
  --slots N           tasks a contributor holds and runs at once (4)
  --observers N       readers besides the publisher (2)
  --partition S:E:G   peers split into G groups from S to E ms (repeatable)
  --max-time MS       stop after this much sim time (one week)
  --seed N            seed of every random draw (1)
  --json              print the report as one JSON object`

/** Flag of each option, for error messages. */
const FLAGS: Record<string, string> = {
  peers: '--peers',
  tasks: '--tasks',
  quorum: '--quorum',
  maxReplicas: '--max-replicas',
  maxErrors: '--max-errors',
  cheaters: '--cheaters',
  behaviour: '--behaviour',
  mix: '--mix',
  verification: '--verification',
  spotChecks: '--spot-checks',
  answers: '--answers',
  history: '--history',
  loss: '--loss',
  churn: '--churn',
  latencyMs: '--latency',
  heartbeatMs: '--heartbeat',
  syncMs: '--sync',
  tickMs: '--tick',
  leaseMs: '--lease',
  costMs: '--cost',
  slots: '--slots',
  observers: '--observers',
  partitions: '--partition',
  maxTimeMs: '--max-time',
  seed: '--seed',
}

/** Flags whose value is not a number. */
const TEXT_FLAGS = ['--behaviour', '--mix', '--verification', '--answers', '--partition']

class UsageError extends Error {
  static override name = 'UsageError'

  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

function parse(argv: string[]): { options: SimulationOptions; json: boolean; help: boolean } {
  const numeric = Object.fromEntries(
    Object.values(FLAGS)
      .filter((flag) => !TEXT_FLAGS.includes(flag))
      .map((flag) => [flag.slice(2), { type: 'string' as const }]),
  )
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        ...numeric,
        behaviour: { type: 'string' },
        verification: { type: 'string' },
        answers: { type: 'string' },
        mix: { type: 'string' },
        partition: { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    })
  } catch (error) {
    throw new UsageError((error as Error).message.split('. ')[0]!.replace(/\.$/, ''))
  }
  const values = parsed.values as Record<string, string | string[] | boolean | undefined>
  const options: SimulationOptions = {}
  for (const [key, flag] of Object.entries(FLAGS)) {
    const value = values[flag.slice(2)]
    if (value === undefined || TEXT_FLAGS.includes(flag)) continue
    ;(options as Record<string, number>)[key] = number(flag, value as string)
  }
  if (values.behaviour !== undefined) options.behaviour = values.behaviour as SimulationOptions['behaviour']
  if (values.verification !== undefined) {
    options.verification = values.verification as SimulationOptions['verification']
  }
  if (values.answers !== undefined) options.answers = values.answers as SimulationOptions['answers']
  if (values.mix !== undefined) options.mix = (values.mix as string).split(',').map(share)
  if (values.partition !== undefined) options.partitions = (values.partition as string[]).map(partition)
  return { options, json: values.json === true, help: values.help === true }
}

function number(flag: string, text: string): number {
  const value = text.trim() === '' ? NaN : Number(text)
  if (!Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got "${text}"`)
  return value
}

function share(text: string): CheaterShare {
  const [behaviour, fraction, ...rest] = text.split(':')
  if (behaviour === undefined || fraction === undefined || rest.length > 0) {
    throw new UsageError(`--mix must be BEHAVIOUR:FRACTION,..., got "${text}"`)
  }
  return { behaviour: behaviour as Behaviour, fraction: number('--mix', fraction) }
}

function partition(text: string): Partition {
  const parts = text.split(':')
  if (parts.length !== 3) throw new UsageError(`--partition must be START:END:GROUPS in ms, got "${text}"`)
  const [startMs, endMs, groups] = parts.map((part) => number('--partition', part)) as [
    number,
    number,
    number,
  ]
  return { startMs, endMs, groups }
}

function main(): void {
  const wantsJson = process.argv.includes('--json')
  try {
    const { options, json, help } = parse(process.argv.slice(2))
    if (help) {
      console.log(USAGE)
      return
    }
    const report = runSimulation(options)
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(report))
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof InvalidSimulationOptionsError)) throw error
    const message = error.message.replace(/options\.(\w+)(\[\d+\])?/g, (_, key: string) => FLAGS[key] ?? key)
    if (wantsJson) console.log(JSON.stringify({ error: { name: error.name, message } }))
    else console.error(`Error: ${message}. See --help.`)
    process.exitCode = 1
  }
}

main()
