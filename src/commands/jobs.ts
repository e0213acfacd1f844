import { P2pcCommand } from '../lib/base-command.ts'
import { networkFlags, networkInit } from '../lib/peer-flags.ts'
import { withPeer } from '../lib/with-peer.ts'

export default class Jobs extends P2pcCommand {
  static override summary = 'The jobs this peer knows, with progress.'
  static override flags = { ...networkFlags }

  async run(): Promise<void> {
    const { flags } = await this.parse(Jobs)
    const dataDir = this.dataDir(flags)
    await withPeer(dataDir, await networkInit(flags, dataDir), async (api) => {
      const jobs = await api.jobs()
      if (flags.json) return this.printJson(jobs)
      if (jobs.length === 0) process.stdout.write('no jobs\n')
      for (const job of jobs) {
        const { total, validated, failed } = job.tasks
        process.stdout.write(
          `${job.jobId}  ${job.name}@${job.version}  ${job.status}  ${validated}/${total} validated${failed > 0 ? `, ${failed} failed` : ''}\n`,
        )
      }
    })
  }
}
