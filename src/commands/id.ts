import { peerIdOf } from '@p2pc/protocol'
import { createStore } from '@p2pc/store'
import { P2pcCommand } from '../lib/base-command.ts'

export default class Id extends P2pcCommand {
  static override summary = "Print this data dir's peer id, creating the identity on first use."

  async run(): Promise<void> {
    const { flags } = await this.parse(Id)
    const store = createStore({ dir: this.dataDir(flags) })
    await store.start()
    try {
      const peerId = peerIdOf(await store.key())
      if (flags.json) this.printJson({ peerId })
      else process.stdout.write(`${peerId}\n`)
    } finally {
      await store.stop()
    }
  }
}
