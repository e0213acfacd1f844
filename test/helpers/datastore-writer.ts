// A child process for the datastore crash test: writes batches of entries to a store's
// datastore, commits each batch with flush(), and prints the batch's number only once the
// commit returned, until killed.
import { Key } from 'interface-datastore'
import { createStore } from '@p2pc/store'

const [dir, first = '0', size = '20'] = process.argv.slice(2)
if (dir === undefined) throw new Error('usage: datastore-writer.ts DIR [FIRST-BATCH] [ENTRIES-PER-BATCH]')
const store = createStore({ dir, datastoreFlushMs: 60_000 })
await store.start()
for (let batch = Number(first); ; batch++) {
  for (let entry = 0; entry < Number(size); entry++) {
    await store.datastore.put(new Key(`/peers/${batch}/${entry}`), new Uint8Array(512).fill(entry))
  }
  store.datastore.flush()
  process.stdout.write(`${batch}\n`)
}
