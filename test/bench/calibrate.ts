import { spin } from '../fixtures/workloads/busy/index.js'

/** The spin count that takes about `targetMs` of CPU on this machine now: every system in a bench gets the same task. */
export function calibrate(targetMs: number): number {
  let n = 100_000
  for (;;) {
    const started = performance.now()
    spin(n)
    const elapsed = performance.now() - started
    if (elapsed > 20) return Math.round((n * targetMs) / elapsed)
    n *= 2
  }
}
