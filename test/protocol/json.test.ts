import test from 'ava'
import { cidOf, findNonJson } from '@p2pc/protocol'

test('findNonJson accepts plain JSON', (t) => {
  t.is(findNonJson({ a: [1, 'two', null, true, { b: -1.5 }], c: Object.create(null) }), undefined)
})

const cases: Array<[string, unknown, string]> = [
  ['undefined', { a: undefined }, '/a is undefined'],
  ['bytes', { a: [new Uint8Array(1)] }, '/a/0 is a Uint8Array, not a plain object'],
  ['a CID object', { a: cidOf(new Uint8Array()) }, '/a is a CID, not a plain object'],
  ['a bigint', { n: 2n ** 70n }, '/n is a bigint'],
  ['NaN', [Number.NaN], '/0 is a non-finite number'],
  ['Infinity', { x: Infinity }, '/x is a non-finite number'],
  ['a function', { f: () => 1 }, '/f is a function'],
  ['a Date', { d: new Date(0) }, '/d is a Date, not a plain object'],
  ['a sparse array', { s: Object.assign(new Array(3), { 0: 1, 2: 3 }) }, '/s/1 is undefined'],
  ['a lone surrogate', { 'a/b~c': '\udc00' }, '/a~1b~0c is a string with a lone surrogate'],
  ['a bare undefined', undefined, '(root) is undefined'],
]

for (const [title, value, expected] of cases) {
  test(`findNonJson reports ${title}`, (t) => {
    t.is(findNonJson(value), expected)
  })
}

test('findNonJson bounds the depth', (t) => {
  const nest = (depth: number): unknown => (depth === 0 ? 1 : [nest(depth - 1)])
  t.is(findNonJson(nest(3), '', 3), undefined)
  t.is(findNonJson(nest(4), '', 3), '/0/0/0 is nested too deeply')
  t.is(findNonJson(nest(64)), undefined)
  t.regex(findNonJson(nest(65)) ?? '', /nested too deeply/)
})

test('a well-formed surrogate pair is fine', (t) => {
  t.is(findNonJson('emoji 😀'), undefined)
})
