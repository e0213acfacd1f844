import { P2pcCommand } from '../lib/base-command.ts'
import { describeControls, runningPeer } from '../lib/controls.ts'

export default class Resume extends P2pcCommand {
  static override summary =
    'End a pause or a finish of the contributor running on this data dir: it takes tasks again.'

  async run(): Promise<void> {
    const { flags } = await this.parse(Resume)
    const status = await (await runningPeer(this.dataDir(flags, { writable: false }))).resume()
    if (flags.json) this.printJson(status)
    else process.stderr.write(`p2pc: ${describeControls(status)}\n`)
  }
}
