// How often a job's verification accepts a wrong output, estimated from its publisher's spot
// checks. A checked task is a sample drawn by the publisher's secret: its check says what is right,
// and the other answers say what the job's rule would have accepted without it. The rate of
// those errors among checked tasks, with a one-sided bound, estimates it for the tasks nobody
// checked.

/** What the spot checks of one job say of its rule: checks made, and those where it would have erred. */
export interface CheckedErrors {
  /** Tasks the publisher checked. */
  checked: number
  /** Of them, tasks whose other answers validate an output outside the check's class. */
  wouldErr: number
}

/** The confidence of {@link errorRateBound}. */
export const ERROR_BOUND_CONFIDENCE = 0.95

/**
 * The one-sided Clopper–Pearson upper bound on a rate, at {@link ERROR_BOUND_CONFIDENCE}, after
 * `errors` in `samples` independent draws: the largest rate under which seeing at most `errors`
 * has a chance of 5 % or more. With no errors it is 1 − 0.05^(1/n), about 3/n (the rule of three).
 *
 * @returns a rate in [0, 1]; 1 with no samples, where nothing is known
 */
export function errorRateBound(errors: number, samples: number): number {
  if (samples <= 0) return 1
  if (errors >= samples) return 1
  const alpha = 1 - ERROR_BOUND_CONFIDENCE
  if (errors === 0) return 1 - alpha ** (1 / samples)
  // P(X ≤ errors) falls as the rate rises: bisect for where it crosses alpha.
  let low = errors / samples
  let high = 1
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2
    if (binomialCdf(errors, samples, mid) > alpha) low = mid
    else high = mid
  }
  return high
}

/**
 * Checks a job needs for {@link errorRateBound} to show `target` when none of them errs: the
 * smallest n with 1 − 0.05^(1/n) ≤ target.
 */
export function checksToShow(target: number): number {
  return Math.ceil(Math.log(1 - ERROR_BOUND_CONFIDENCE) / Math.log(1 - target))
}

/** P(X ≤ k) for X ~ Binomial(n, p), summed in log space so that large n does not underflow. */
function binomialCdf(k: number, n: number, p: number): number {
  const logP = Math.log(p)
  const logQ = Math.log1p(-p)
  let logChoose = 0
  let sum = 0
  for (let i = 0; i <= k; i++) {
    if (i > 0) logChoose += Math.log((n - i + 1) / i)
    sum += Math.exp(logChoose + i * logP + (n - i) * logQ)
  }
  return Math.min(1, sum)
}
