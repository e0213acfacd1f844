// A child process for the crash test: appends envelopes to a store, one transaction each,
// and prints each id only after its commit returned (its acknowledgement), until killed.
import { sealEnvelope } from '@p2pc/protocol'
import { createStore } from '@p2pc/store'
import { JOB_ID, keyFromSeed } from '../protocol/fixtures.ts'

const [dir, first = '0'] = process.argv.slice(2)
if (dir === undefined) throw new Error('usage: store-writer.ts DIR [FIRST-TASK]')
const store = createStore({ dir })
await store.start()
const key = await keyFromSeed(3)
for (let task = Number(first); ; task++) {
  const envelope = await sealEnvelope(
    { type: 'Claim', v: 1, jobId: JOB_ID, tasks: [task], leaseEnd: 1_700_000_000_000 + task },
    key,
  )
  store.putEnvelope(envelope)
  process.stdout.write(`${envelope.id}\n`)
}
