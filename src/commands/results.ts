import { Args, Flags } from '@oclif/core'
import { P2pcCommand } from '../lib/base-command.ts'
import { followJob } from '../lib/follow-job.ts'
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
  }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Results)
    await withPeer(this.dataDir(flags), networkInit(flags), async (api) => {
      const results = flags.wait
        ? await followJob(api, args.jobId, { bar: !flags.json })
        : await api.results(args.jobId)
      if (flags.json) this.printJson(results)
      else process.stdout.write(formatResults(args.jobId, results))
    })
  }
}
