// A workload's reduce that throws is named in the error, whichever peer reduces: the publisher
// in its own process, or a reader that reduces a stranger's bundle in a sandbox of its own.
import test from 'ava'
import { fixtureWorkload } from '../helpers/paths.ts'
import { jobComplete, startContributor, startPeer } from '../helpers/peers.ts'

const FAILURE =
  /^the reduce of workload reduce-throws failed: TypeError: Cannot read properties of undefined \(reading 'value'\)$/

test('a reduce that throws fails results() with an error naming reduce and the workload', async (t) => {
  const publisher = await startPeer(t)
  await startContributor(t, publisher)
  const reader = await startPeer(t, { bootstrap: publisher.addresses() })
  const jobId = await publisher.publish(fixtureWorkload('reduce-throws'), undefined, { quorum: 1 })
  await jobComplete(publisher, jobId)
  await jobComplete(reader, jobId)

  const own = await t.throwsAsync(publisher.results(jobId))
  t.is(own?.name, 'ReduceFailedError')
  t.regex(own!.message, FAILURE)
  const stranger = await t.throwsAsync(reader.results(jobId))
  t.is(stranger?.name, 'ReduceFailedError')
  t.regex(stranger!.message, FAILURE)
  t.is((stranger as Error & { causeName?: string }).causeName, 'TypeError')
})
