import { Args, Flags } from '@oclif/core'
import { UsageError } from '../errors.ts'
import { P2pcCommand } from '../lib/base-command.ts'
import { FAILED_TASKS_EXIT_CODE, endedWithFailures } from '../lib/failed-tasks.ts'
import { followJob } from '../lib/follow-job.ts'
import { formatTaskCsv } from '../lib/format-csv.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { formatResults } from '../lib/format-results.ts'
import { withPeer } from '../lib/with-peer.ts'

export default class Results extends P2pcCommand {
  static override summary = "A job's status, task counts, contributors and aggregate."
  static override args = {
    jobId: Args.string({ description: 'The job id that publish printed.', required: true }),
  }
  static override flags = {
    ...networkFlags,
    wait: Flags.boolean({ description: 'Wait until every task is settled.', default: false }),
    csv: Flags.boolean({
      description: 'Print one row per task instead: index,status,output (the output as JSON).',
      default: false,
    }),
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Results)
    if (flags.csv && flags.json) throw new UsageError('--csv and --json cannot be used together: pick one')
    const dataDir = this.dataDir(flags)
    await withPeer(dataDir, await networkInit(flags, dataDir), async (api) => {
      const followed = flags.wait ? await followJob(api, args.jobId, { bar: !flags.json }) : undefined
      if (flags.csv) {
        process.stdout.write(formatTaskCsv(await api.taskResults(args.jobId)))
        return
      }
      const results = followed ?? (await api.results(args.jobId))
      if (flags.json) this.printJson(results)
      else process.stdout.write(formatResults(args.jobId, results))
      if (endedWithFailures(results)) process.exitCode = FAILED_TASKS_EXIT_CODE
    })
  }
}
