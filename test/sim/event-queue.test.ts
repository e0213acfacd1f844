import test from 'ava'
import { EventQueue } from '@p2pc/sim'

function drain(queue: EventQueue): Array<[number, number, number]> {
  const taken: Array<[number, number, number]> = []
  while (queue.take()) taken.push([queue.now, queue.kind, queue.a])
  return taken
}

test('events come out by time, then in the order they were scheduled', (t) => {
  const queue = new EventQueue()
  queue.schedule(30, 1, 0)
  queue.schedule(10, 2, 0)
  queue.schedule(20, 3, 0)
  queue.schedule(10, 4, 0)
  queue.schedule(10, 5, 0)
  t.deepEqual(drain(queue), [
    [10, 2, 0],
    [10, 4, 0],
    [10, 5, 0],
    [20, 3, 0],
    [30, 1, 0],
  ])
  t.false(queue.take())
})

test('the clock never goes back: an event scheduled in the past runs now', (t) => {
  const queue = new EventQueue()
  queue.schedule(100, 1)
  queue.take()
  queue.schedule(50, 2, 7)
  t.true(queue.take())
  t.is(queue.now, 100)
  t.is(queue.a, 7)
})

test('carries its fields and grows past its first capacity in order', (t) => {
  const queue = new EventQueue()
  const n = 5000
  for (let i = 0; i < n; i++) queue.schedule((i * 7919) % n, 3, i, 2 * i, i % 5)
  t.is(queue.size, n)
  let last = -1
  let count = 0
  while (queue.take()) {
    t.true(queue.now >= last)
    t.is(queue.kind, 3)
    t.is(queue.b, 2 * queue.a)
    t.is(queue.c, queue.a % 5)
    last = queue.now
    count++
  }
  t.is(count, n)
  t.is(queue.total, n)
})

test('refuses a time that is not a finite number', (t) => {
  const queue = new EventQueue()
  t.throws(() => queue.schedule(Infinity, 1), { instanceOf: RangeError })
  t.throws(() => queue.schedule(NaN, 1), { instanceOf: RangeError })
  t.is(queue.size, 0)
})
