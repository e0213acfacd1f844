import { Args } from '@oclif/core'
import { P2pcCommand } from '../lib/base-command.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { withPeer } from '../lib/with-peer.ts'

export default class Cancel extends P2pcCommand {
  static override summary =
    'Cancel a job you published: contributors stop its tasks and take no more, and readers see it cancelled.'
  static override description =
    "Signs a Cancel with the data dir's identity, which must be the job's publisher, through the peer running on the data dir, or one started for the moment (its peers then hear of it when they next sync with it). A job already complete stays complete."
  static override examples = ['<%= config.bin %> cancel bafyrei…']
  static override args = {
    jobId: Args.string({ description: 'The job id that publish printed.', required: true }),
  }
  static override flags = { ...networkFlags }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Cancel)
    const dataDir = this.dataDir(flags)
    const done = await withPeer(dataDir, await networkInit(flags, dataDir), (api) => api.cancel(args.jobId))
    if (flags.json) this.printJson(done)
    else process.stderr.write(`cancelled ${args.jobId}\n`)
  }
}
