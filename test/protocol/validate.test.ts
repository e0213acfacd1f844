import test from 'ava'
import {
  MAX_ERROR_LENGTH,
  checkMessage,
  cidOf,
  failureHashOf,
  isMessageType,
  outputHashOf,
  validateMessage,
} from '@p2pc/protocol'
import type { Message } from '@p2pc/protocol'
import {
  BUNDLE_CID,
  INPUTS_CID,
  OUTPUT,
  cidBatch,
  cidResult,
  claim,
  inlineBatch,
  inlineResult,
  jobAnnounce,
  publisherId,
  resultBatch,
  samples,
} from './fixtures.ts'

const publisher = await publisherId()

function rejects(title: string, message: unknown, expected: RegExp | string): void {
  test(`semantic check rejects ${title}`, (t) => {
    t.throws(() => validateMessage(message), { name: 'InvalidMessageError', message: expected })
  })
}

for (const [title, sample] of samples(publisher)) {
  test(`checkMessage accepts a valid ${title}`, (t) => {
    t.notThrows(() => checkMessage(sample))
    t.is(validateMessage(sample), sample)
  })
}

rejects(
  'maxReplicas below quorum',
  jobAnnounce(publisher, { quorum: 3, maxReplicas: 2 }),
  'invalid JobAnnounce message: /maxReplicas (2) must be >= quorum (3)',
)
rejects(
  'more batches than tasks',
  jobAnnounce(publisher, { taskCount: 5, batchCount: 6 }),
  'invalid JobAnnounce message: /batchCount (6) must be <= taskCount (5)',
)
rejects(
  'a workload CID that does not parse',
  jobAnnounce(publisher, { workload: { cid: 'bafkreinotacid', name: 'p', version: '1' } }),
  /^invalid JobAnnounce message: \/workload\/cid is not a valid CID: Not a CID/,
)
rejects(
  'a workload CID with the dag-cbor codec',
  jobAnnounce(publisher, { workload: { cid: INPUTS_CID, name: 'p', version: '1' } }),
  /\/workload\/cid is not a valid CID: Expected a raw CID, got dag-cbor/,
)
rejects(
  'a publisher that looks like a peer id but does not decode',
  jobAnnounce(publisher, { publisher: '12D3KooW' + '1'.repeat(44) }),
  /^invalid JobAnnounce message: \/publisher is not an Ed25519 peer id/,
)
rejects(
  'params holding bytes',
  jobAnnounce(publisher, { params: { seed: new Uint8Array(4) } as never }),
  'invalid JobAnnounce message: /params/seed is a Uint8Array, not a plain object',
)
rejects(
  'params nested too deeply',
  jobAnnounce(publisher, { params: JSON.parse('['.repeat(100) + ']'.repeat(100)) }),
  /\/params(\/0)+ is nested too deeply/,
)
rejects(
  'a TaskBatch with both inputs and inputsCid',
  { ...inlineBatch(), inputsCid: INPUTS_CID },
  'invalid TaskBatch message: (root) must have exactly one of inputs or inputsCid, found both',
)
rejects(
  'a TaskBatch with neither inputs nor inputsCid',
  { type: 'TaskBatch', v: 1, jobId: inlineBatch().jobId, batch: 0, first: 0 },
  'invalid TaskBatch message: (root) must have exactly one of inputs or inputsCid, found neither',
)
rejects(
  'a TaskBatch whose inputsCid is a raw CID',
  { ...cidBatch(), inputsCid: BUNDLE_CID },
  /^invalid TaskBatch message: \/inputsCid is not a valid CID: Expected a dag-cbor CID, got raw$/,
)
rejects(
  'a TaskBatch whose jobId is a raw CID',
  { ...inlineBatch(), jobId: BUNDLE_CID },
  /^invalid TaskBatch message: \/jobId is not a valid CID/,
)
rejects(
  'a TaskBatch running past the last task index',
  { ...inlineBatch(), first: 2 ** 32 - 1 },
  /\/inputs run past the last possible task index/,
)
rejects(
  'an input that is undefined',
  { ...inlineBatch(), inputs: [1, undefined] },
  'invalid TaskBatch message: /inputs/1 is undefined',
)
rejects(
  'an input with a lone surrogate',
  { ...inlineBatch(), inputs: ['ok', '\ud800'] },
  'invalid TaskBatch message: /inputs/1 is a string with a lone surrogate',
)
rejects(
  'a claim that repeats a task index',
  { ...claim(), tasks: [4, 9, 4] },
  'invalid Claim message: /tasks/2 repeats task index 4',
)
rejects(
  'a claim on a jobId that does not parse',
  { ...claim(), jobId: 'bafyreiaaaa' },
  /^invalid Claim message: \/jobId is not a valid CID/,
)
rejects(
  'a Result with both output and outputCid',
  { ...inlineResult(), outputCid: outputHashOf(OUTPUT) },
  'invalid Result message: (root) must have exactly one of output or outputCid, found both',
)
rejects(
  'a Result with neither output nor outputCid',
  (() => {
    const { output: _output, ...rest } = inlineResult()
    return rest
  })(),
  'invalid Result message: (root) must have exactly one of output or outputCid, found neither',
)
rejects(
  'an inline output that does not match outputHash',
  { ...inlineResult(), output: { primes: [2, 3, 5, 7, 11], note: 'ok' } },
  `invalid Result message: /outputHash does not match the inline output (its hash is ${outputHashOf({ primes: [2, 3, 5, 7, 11], note: 'ok' })})`,
)
rejects(
  'an outputCid that differs from outputHash',
  { ...cidResult(), outputCid: cidOf(new Uint8Array([9]), 0x71).toString() },
  'invalid Result message: /outputCid must equal outputHash',
)
rejects(
  'an outputHash that is a raw CID',
  { ...cidResult(), outputHash: BUNDLE_CID, outputCid: BUNDLE_CID },
  /^invalid Result message: \/outputHash is not a valid CID: Expected a dag-cbor CID, got raw$/,
)
rejects(
  'an output holding a Map',
  { ...inlineResult(), output: new Map() },
  /^invalid Result message: \/output is a Map, not a plain object$/,
)

/** A Result that says the task failed with `error`. */
function failureResult(error: string): Record<string, unknown> {
  const { output: _output, ...rest } = inlineResult()
  return { ...rest, error, outputHash: failureHashOf(error) }
}

test('a failure is a valid answer: an error, and its failure hash as outputHash', (t) => {
  const message = failureResult('RangeError: n must be positive')
  t.is(validateMessage(message), message as unknown as Message)
})

test('a failure hash has the raw codec, so it never equals the hash of any output', (t) => {
  const error = 'boom'
  t.is(cidOf(new TextEncoder().encode(error)).toString(), failureHashOf(error))
  t.not(failureHashOf(error), outputHashOf(error))
  t.not(failureHashOf(error), outputHashOf({ error }))
})

rejects(
  'a failure whose outputHash is not its failure hash',
  { ...failureResult('boom'), outputHash: outputHashOf('boom') },
  'invalid Result message: /outputHash is not the failure hash of its error',
)
rejects(
  'a failure that carries an output too',
  { ...failureResult('boom'), output: OUTPUT },
  'invalid Result message: (root) must have an error or an output, not both',
)
rejects(
  'an empty error',
  failureResult(''),
  /^invalid Result message: \/error must NOT have fewer than 1 characters$/,
)
rejects(
  'an error longer than the limit',
  failureResult('x'.repeat(MAX_ERROR_LENGTH + 1)),
  /^invalid Result message: \/error must NOT have more than 500 characters$/,
)
rejects(
  'a batch entry whose failure hash is wrong',
  {
    ...resultBatch(),
    results: [{ task: 0, error: 'boom', outputHash: failureHashOf('bang'), durationMs: 5 }],
  },
  'invalid ResultBatch message: /results/0/outputHash is not the failure hash of its error',
)

test('a null inline output is a valid output, with its own hash', (t) => {
  const message = { ...inlineResult(), output: null, outputHash: outputHashOf(null) }
  t.is((validateMessage(message) as Message & { output: unknown }).output, null)
})

test('isMessageType knows exactly the four kinds', (t) => {
  t.true(isMessageType('JobAnnounce'))
  t.true(isMessageType('Result'))
  t.false(isMessageType('result'))
  t.false(isMessageType(undefined))
})
