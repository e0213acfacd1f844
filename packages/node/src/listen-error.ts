import { multiaddr } from '@multiformats/multiaddr'
import { TCP, WebSockets, WebSocketsSecure } from '@multiformats/multiaddr-matcher'
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

/**
 * Throws a ListenError for the first of the peer's own listen addresses that no transport of p2pc
 * listens on (TCP, WebSockets). libp2p only reports such an address when it listens on nothing
 * else, and every peer also listens on its relays and WebRTC: without this check a typo in
 * `--listen` would be dropped silently.
 */
export function checkListenAddresses(addresses: string[]): void {
  for (const address of addresses) {
    const parsed = multiaddr(address)
    if (TCP.exactMatch(parsed) || WebSockets.exactMatch(parsed) || WebSocketsSecure.exactMatch(parsed))
      continue
    throw new ListenError(
      `cannot listen on ${address} (No transport was configured to listen on this address)`,
    )
  }
}
