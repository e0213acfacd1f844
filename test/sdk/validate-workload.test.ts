import test from 'ava'
import { defineWorkload, runInline, validateWorkload } from '@p2pc/sdk'

const valid = {
  plan: () => [1, 2, 3],
  run: (i: number) => i * 2,
  reduce: (results: Array<{ output: number }>) => results.reduce((sum, r) => sum + r.output, 0),
}

test('a plain object with plan, run and reduce is a workload', (t) => {
  t.is(validateWorkload({ default: valid }) as unknown, valid)
})

test('defineWorkload returns its argument', (t) => {
  t.is(defineWorkload(valid), valid)
})

test('every problem is named at once', (t) => {
  const err = t.throws(() =>
    validateWorkload({ default: { plan: () => [], run: 5, equals: 'yes', params: [1] } }),
  )
  t.is(err?.name, 'InvalidWorkloadError')
  t.regex(err!.message, /lacks reduce/)
  t.regex(err!.message, /run that is a number, not a function/)
  t.regex(err!.message, /equals that is a string, not a function/)
  t.regex(err!.message, /params schema that is a array, not a JSON Schema object/)
})

test('a module without a default export is refused', (t) => {
  const err = t.throws(() => validateWorkload({ plan: valid.plan }))
  t.is(err?.name, 'InvalidWorkloadError')
  t.regex(err!.message, /no default export/)
  t.is(t.throws(() => validateWorkload(null))?.name, 'InvalidWorkloadError')
})

test('runInline runs plan, run and reduce in order', async (t) => {
  t.deepEqual(await runInline(valid, {}), { tasks: 3, aggregate: 12 })
})

test('runInline stops when aborted', async (t) => {
  const controller = new AbortController()
  controller.abort()
  await t.throwsAsync(runInline(valid, {}, { signal: controller.signal }), { name: 'AbortError' })
})
