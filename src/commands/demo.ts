import { fileURLToPath } from 'node:url'
import { Flags } from '@oclif/core'
import { P2pcCommand } from '../lib/base-command.ts'
import { demoWorkloadDir, runDemoSwarm } from '../lib/demo-swarm.ts'
import { jsonValue, positiveInteger } from '../lib/flags.ts'

const WORKLOADS = fileURLToPath(new URL('../../workloads/', import.meta.url))

export default class Demo extends P2pcCommand {
  static override summary =
    'A local swarm on loopback in one command: a publisher, N contributors, one verified job.'
  static override examples = [
    '<%= config.bin %> demo',
    '<%= config.bin %> demo --contributors 5 --workload primes',
  ]
  static override flags = {
    contributors: positiveInteger({ description: 'Contributing peers. [default: 3]' }),
    workload: Flags.string({
      description: 'A workload from workloads/. [default: hp-fold]',
      helpValue: 'NAME',
    }),
    params: jsonValue({ description: "The workload's params as JSON, or @FILE." }),
  }

  async run(): Promise<void> {
    const { flags } = await this.parse(Demo)
    const contributors = flags.contributors ?? 3
    if (contributors < 2)
      throw new Error('--contributors must be at least 2: quorum 2 needs two agreeing peers')
    const name = flags.workload ?? 'hp-fold'
    const workloadDir = await demoWorkloadDir(WORKLOADS, name)
    const log = flags.json ? null : (line: string) => process.stderr.write(`${line}\n`)
    const stop = new AbortController()
    process.once('SIGINT', () => stop.abort())
    const { jobId, publisher, results } = await runDemoSwarm({
      workloadDir,
      contributors,
      params: flags.params,
      log,
      bar: !flags.json,
      signal: stop.signal,
    })
    if (flags.json) return this.printJson({ jobId, ...results })
    const { validated, failed, total } = results.tasks
    const checks = results.verification.checksMade
    const checked = checks > 0 ? `, ${checks} of them checked by the publisher itself` : ''
    const lines = [
      '',
      `aggregate of ${name}:`,
      JSON.stringify(results.aggregate, null, 2),
      '',
      `verification: ${validated} of ${total} tasks validated by 2 agreeing peers${checked}${failed > 0 ? `, ${failed} failed` : ''}`,
      ...results.contributors.map(
        (c) =>
          `  ${c.peer}  ${c.validated} valid, ${c.invalid} invalid, ${c.credit.toFixed(1)} s credit${c.peer === publisher ? ' (the publisher: its spot checks)' : ''}`,
      ),
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  }
}
