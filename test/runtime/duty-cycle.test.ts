import test from 'ava'
import { DutyCycle } from '../../packages/runtime/src/duty-cycle.ts'

/**
 * A pool that uses `demand` of its capacity while it may run, measured in 10 ms ticks over a
 * 200 ms period as the kernel counts them: the share the governor sees after each period.
 */
function simulate(target: number, demands: number[]): number[] {
  const duty = new DutyCycle(target)
  return demands.map((demand) => {
    const ticks = Math.round((demand * duty.fraction * 200) / 10)
    const share = (ticks * 10) / 200
    duty.observe(share)
    return share
  })
}

const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length

test('a pool using all its threads settles at the target share', (t) => {
  const shares = simulate(0.5, Array(100).fill(1))
  t.true(Math.abs(mean(shares.slice(50)) - 0.5) < 0.03, `settled at ${mean(shares.slice(50))}`)
})

test('a pool using part of its threads may run longer, up to the whole period', (t) => {
  const duty = new DutyCycle(0.5)
  for (let i = 0; i < 50; i++) duty.observe(0.25 * duty.fraction)
  t.is(duty.fraction, 1, 'a quarter of the threads busy stays under half the capacity unpaused')
  const half = simulate(0.3, Array(100).fill(0.5))
  t.true(Math.abs(mean(half.slice(50)) - 0.3) < 0.03)
})

test('an idle pool runs the whole period, and a busy one is brought back to the target', (t) => {
  const shares = simulate(0.5, [...Array(20).fill(0), ...Array(60).fill(1)])
  t.true(
    shares.slice(20, 23).every((share) => share > 0.5),
    'it starts from full speed',
  )
  t.true(Math.abs(mean(shares.slice(50)) - 0.5) < 0.03)
})

test('without measurements it runs the target fraction: an open-loop duty cycle', (t) => {
  t.is(new DutyCycle(0.3).fraction, 0.3)
})
