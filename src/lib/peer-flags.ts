import { Flags } from '@oclif/core'
import { multiaddrValue, peerMultiaddrValue, stunUrl } from './flags.ts'
import { readNetwork } from './network-file.ts'
import { readTrusted } from './trust-file.ts'

/** Flags of every command that may bring a peer online. */
export const networkFlags = {
  listen: multiaddrValue({
    description: 'Multiaddr to listen on; repeatable. [default: /ip4/0.0.0.0/tcp/0]',
    multiple: true,
  }),
  bootstrap: peerMultiaddrValue({
    description:
      'Multiaddr (with /p2p/ id) of a peer to join the swarm through, besides those saved with `p2pc network add`; repeatable.',
    multiple: true,
  }),
  'no-mdns': Flags.boolean({ description: 'Do not look for peers on the local network.', default: false }),
  stun: stunUrl({
    description:
      "STUN server that finds this peer's address outside its NAT, for direct WebRTC connections; repeatable.",
    multiple: true,
  }),
  upnp: Flags.boolean({
    description: 'Ask the home router (UPnP) to forward a port to this peer.',
    default: false,
  }),
}

/**
 * The PeerInit fields the network flags set; the bootstrap peers include the data dir's saved
 * network. The publishers trusted with `p2pc trust add` are followed by every peer of the data dir:
 * their jobs are kept whatever the bounds on strangers' jobs.
 */
export async function networkInit(
  flags: { listen?: string[]; bootstrap?: string[]; 'no-mdns': boolean; stun?: string[]; upnp: boolean },
  dataDir: string,
): Promise<{
  listen?: string[]
  bootstrap: string[]
  mdns: boolean
  stun: string[]
  upnp: boolean
  trust: string[]
}> {
  return {
    ...(flags.listen === undefined ? {} : { listen: flags.listen }),
    bootstrap: [...new Set([...(flags.bootstrap ?? []), ...(await readNetwork(dataDir))])],
    mdns: !flags['no-mdns'],
    stun: flags.stun ?? [],
    upnp: flags.upnp,
    trust: await readTrusted(dataDir),
  }
}
