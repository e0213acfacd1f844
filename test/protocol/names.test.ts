import test from 'ava'
import {
  ENVELOPE_DOMAIN,
  FETCH_PROTOCOL,
  MARKET_TOPIC,
  SYNC_PROTOCOL,
  cidOf,
  cidOfValue,
  jobTopic,
} from '@p2pc/protocol'

test('topic and protocol names are the documented ones', (t) => {
  t.is(MARKET_TOPIC, 'p2pc/market/1')
  t.is(FETCH_PROTOCOL, '/p2pc/fetch/1.0.0')
  t.is(SYNC_PROTOCOL, '/p2pc/sync/1.0.0')
  t.is(ENVELOPE_DOMAIN, 'p2pc/envelope/v1')
})

test('jobTopic names one topic per job', (t) => {
  const a = cidOfValue({ job: 'a' }).toString()
  const b = cidOfValue({ job: 'b' }).toString()
  t.is(jobTopic(a), `p2pc/job/1/${a}`)
  t.not(jobTopic(a), jobTopic(b))
})

test('jobTopic rejects anything but a job id', (t) => {
  t.throws(() => jobTopic('../market/1'), { name: 'InvalidCidError' })
  t.throws(() => jobTopic(cidOf(new Uint8Array()).toString()), {
    name: 'InvalidCidError',
    message: /dag-cbor/,
  })
})
