import { Args } from '@oclif/core'
import { P2pcCommand } from '../../lib/base-command.ts'
import { describeControls, runningPeer } from '../../lib/controls.ts'

export default class JobResume extends P2pcCommand {
  static override summary = 'Take a suspended job up again on the contributor running on this data dir.'
  static override args = { jobId: Args.string({ description: 'The job id.', required: true }) }

  async run(): Promise<void> {
    const { args, flags } = await this.parse(JobResume)
    const api = await runningPeer(this.dataDir(flags, { writable: false }))
    const status = await api.controlJob(args.jobId, 'resume')
    if (flags.json) this.printJson(status)
    else process.stderr.write(`p2pc: ${describeControls(status)}\n`)
  }
}
