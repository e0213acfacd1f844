import { Args, Flags } from '@oclif/core'
import { DEFAULT_TASK_MEMORY_MB, runLocal, sandboxDeniesNetwork } from '@p2pc/runtime'
import { P2pcCommand } from '../lib/base-command.ts'
import { bundleCacheDir } from '../lib/data-dir.ts'
import { duration, jsonValue, positiveInteger } from '../lib/flags.ts'
import { createProgressBar, type ProgressBar } from '../lib/progress-bar.ts'

export default class RunLocal extends P2pcCommand {
  static override summary = 'Run a workload package on this machine, through the same path contributors use.'
  static override description =
    'Validates the package and its params, bundles it, plans the tasks, runs them all in a local thread pool and prints the aggregate.'

  static override examples = [
    '<%= config.bin %> run-local workloads/primes --params \'{"upTo": 10000000}\'',
    '<%= config.bin %> run-local workloads/hp-fold --params @params.json --threads 2 --json',
    '<%= config.bin %> run-local workloads/pi --sandbox',
  ]

  static override args = {
    dir: Args.string({ description: 'Folder of the workload package.', required: true }),
  }

  static override flags = {
    params: jsonValue({ description: 'Job parameters as JSON, or @FILE to read them from a file.' }),
    replicas: positiveInteger({
      description:
        'Runs every task this many times, each time in workers of its own, and fails when two runs of a task disagree: a run that is not a pure function of its input fails on the swarm. [default: 1]',
    }),
    threads: positiveInteger({ description: 'Worker threads. [default: cores − 1]' }),
    'task-timeout': duration({ description: 'Abort a task that runs longer than this (500ms, 30s, 5m).' }),
    memory: positiveInteger({
      description: `Heap limit of one task in MiB. [default: ${DEFAULT_TASK_MEMORY_MB}]`,
      helpValue: 'MB',
    }),
    sandbox: Flags.boolean({
      description:
        'Run the tasks in the sandbox contributors use: no reading outside the bundle cache, no writing, no processes, no native addons.',
      default: false,
    }),
    quiet: Flags.boolean({ char: 'q', description: 'No progress bar.', default: false }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(RunLocal)
    const replicas = flags.replicas ?? 1
    let bar: ProgressBar | undefined
    const stop = new AbortController()
    const onSignal = (): void => stop.abort()
    process.once('SIGINT', onSignal)
    try {
      const result = await runLocal(args.dir, {
        params: flags.params,
        threads: flags.threads,
        taskTimeoutMs: flags['task-timeout'],
        memoryMb: flags.memory,
        sandbox: flags.sandbox,
        replicas: flags.replicas,
        cacheDir: bundleCacheDir(this.dataDir(flags)),
        signal: stop.signal,
        onPlanned: ({ workload, tasks, threads }) => {
          if (flags.json) return
          const where = `${flags.sandbox ? ' in the sandbox' : ''}${replicas > 1 ? `, each ${replicas} times` : ''}`
          process.stderr.write(
            `${workload.name} ${workload.version} (${workload.cid}): ${plural(tasks, 'task')} on ${plural(threads, 'thread')}${where}\n`,
          )
          if (flags.sandbox && !sandboxDeniesNetwork()) {
            process.stderr.write(
              `the sandbox cannot deny network access on Node.js ${process.versions.node} (that needs --allow-net, Node.js 25 or later)\n`,
            )
          }
          if (!flags.quiet) bar = createProgressBar({ total: tasks * replicas })
        },
        onProgress: ({ done }) => bar?.update(done),
        onLog: (task, message) => {
          if (!flags.json) process.stderr.write(`task ${task}: ${message}\n`)
        },
      })
      bar?.finish()
      if (flags.json) this.printJson(result)
      else process.stdout.write(`${JSON.stringify(result.aggregate, null, 2)}\n`)
    } finally {
      process.off('SIGINT', onSignal)
    }
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`
}
