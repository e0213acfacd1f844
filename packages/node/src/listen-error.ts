import { ListenError } from './errors.ts'

/**
 * libp2p reports addresses it could not listen on in one message that lists each address with
 * the whole stack of its error. Keeps each address and the first line of its error, as a
 * ListenError; any other error is returned as it is.
 */
export function listenError(err: unknown): unknown {
  if (!(err instanceof Error) || err.name !== 'UnsupportedListenAddressesError') return err
  const failures = [...err.message.matchAll(/^ {2}(\/\S+): (.*)$/gm)].map(
    ([, address, reason]) => `${address} (${(reason ?? '').replace(/^\w*Error: /, '')})`,
  )
  const where = failures.length === 0 ? 'its listen addresses' : failures.join(', ')
  return new ListenError(`cannot listen on ${where}`, { cause: err })
}
