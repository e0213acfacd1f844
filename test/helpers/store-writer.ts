// A child process for the crash test: appends envelopes to a store and prints each id only
// once the store acknowledged it, until killed. Mode `put` commits one transaction per
// envelope; mode `append` uses group commit, many envelopes in flight at once.
import { sealEnvelope } from '@p2pc/protocol'
import { createStore } from '@p2pc/store'
import { JOB_ID, keyFromSeed } from '../protocol/fixtures.ts'

const [dir, first = '0', mode = 'put'] = process.argv.slice(2)
if (dir === undefined) throw new Error('usage: store-writer.ts DIR [FIRST-TASK] [put|append]')
const store = createStore({ dir })
await store.start()
const key = await keyFromSeed(3)
for (let task = Number(first); ; task++) {
  const envelope = await sealEnvelope(
    { type: 'Claim', v: 1, jobId: JOB_ID, tasks: [task], leaseEnd: 1_700_000_000_000 + task },
    key,
  )
  if (mode === 'put') {
    store.putEnvelope(envelope)
    process.stdout.write(`${envelope.id}\n`)
  } else {
    void store.appendEnvelope(envelope).then(() => process.stdout.write(`${envelope.id}\n`))
    if (task % 25 === 0) await store.committed()
  }
}
