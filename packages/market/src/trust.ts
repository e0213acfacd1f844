import { InvalidParametersError } from './errors.ts'
import type { MarketInit } from './types.ts'

/**
 * Whose jobs this peer works on: its own always, then everyone with `trustAny`, else
 * the publishers in `trust` (a set, or a predicate asked on every tick).
 *
 * @throws InvalidParametersError when `trust` is neither a Set nor a function
 */
export function trustPredicate(init: MarketInit): (publisher: string) => boolean {
  const self = init.self
  if (init.trustAny === true) return () => true
  const trust = init.trust
  if (trust === undefined) return (publisher) => publisher === self
  if (typeof trust === 'function') return (publisher) => publisher === self || trust(publisher) === true
  if (trust instanceof Set) return (publisher) => publisher === self || trust.has(publisher)
  throw new InvalidParametersError('options.trust must be a Set of peer ids or a function')
}
