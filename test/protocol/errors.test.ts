import test from 'ava'
import * as protocol from '@p2pc/protocol'

const names = [
  'DecodingError',
  'EncodingError',
  'InvalidCidError',
  'InvalidEnvelopeError',
  'InvalidMessageError',
  'InvalidParametersError',
  'InvalidPublicKeyError',
  'InvalidSignatureError',
  'MessageTooLargeError',
] as const

for (const name of names) {
  test(`${name} carries its name on the class and on instances`, (t) => {
    const ErrorClass = protocol[name]
    t.is(ErrorClass.name, name)
    const err = new ErrorClass()
    t.true(err instanceof Error)
    t.is(err.name, name)
    t.true(err.message.length > 0)
    t.is(new ErrorClass('custom', { cause: 'x' }).message, 'custom')
    t.is(new ErrorClass('custom', { cause: 'x' }).cause, 'x')
  })
}

test('every exported error is listed above', (t) => {
  const exported = Object.keys(protocol).filter((key) => key.endsWith('Error'))
  t.deepEqual(exported.sort(), [...names])
})
