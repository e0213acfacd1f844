import test from 'ava'
import { egressVerdict } from '../../src/lib/network-egress.ts'

const OLD = { deniesNetwork: false, nodeVersion: '24.21.0' }
const NEW = { deniesNetwork: true, nodeVersion: '26.10.0' }

test('where the sandbox denies the network, contribute starts; --trust-any is warned about once', (t) => {
  t.deepEqual(egressVerdict({ ...NEW, trustAny: false, allowEgress: false }), {})
  const any = egressVerdict({ ...NEW, trustAny: true, allowEgress: false })
  t.is(any.refusal, undefined)
  t.regex(any.warning!, /denies it the network/)
})

test('where it cannot, --trust-any needs --allow-network-egress, and every contributor is warned', (t) => {
  const refused = egressVerdict({ ...OLD, trustAny: true, allowEgress: false })
  t.regex(refused.refusal!, /Node\.js 24\.21\.0 .*pass --allow-network-egress/)
  const accepted = egressVerdict({ ...OLD, trustAny: true, allowEgress: true })
  t.is(accepted.refusal, undefined)
  t.regex(accepted.warning!, /you accepted that with --allow-network-egress/)
  const trusted = egressVerdict({ ...OLD, trustAny: false, allowEgress: false })
  t.is(trusted.refusal, undefined)
  t.regex(trusted.warning!, /the publishers you trust can reach your network/)
})
