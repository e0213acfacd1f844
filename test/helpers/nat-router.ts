// The nftables ruleset of a NAT lab's home router: masquerade from LAN to WAN, a stateful
// firewall that lets nothing in from the WAN that the LAN did not ask for.

/** How a router maps a LAN endpoint to WAN ports. */
export type NatKind = 'cone' | 'symmetric'

/**
 * The ruleset for a router whose interfaces are named `wan` and `lan`.
 * - cone: plain masquerade keeps the source port when it is free, so one LAN socket gets one
 *   WAN port whatever it talks to (endpoint-independent mapping).
 * - symmetric: `fully-random` picks a new port per destination, as carrier-grade NATs do, so a
 *   port learnt through a third party (STUN, a relay) is useless for a hole punch.
 * The input-hook drop matters: without it a peer's early packet to the router's WAN address is
 * delivered locally and leaves a confirmed conntrack entry on that port, which later makes the
 * NAT pick another port and turns a cone NAT into a symmetric-looking one. Dropping it in the
 * input hook happens before conntrack confirms the entry.
 * (The chain name `fwd` would be a reserved word in nft, hence `forward_c`.)
 */
export function routerRuleset(nat: NatKind): string {
  return `
table ip nat {
  chain post {
    type nat hook postrouting priority 100; policy accept;
    oifname "wan" masquerade${nat === 'symmetric' ? ' fully-random' : ''}
  }
}
table ip filter {
  chain forward_c {
    type filter hook forward priority 0; policy drop;
    ct state established,related accept
    iifname "lan" oifname "wan" accept
  }
  chain input_c {
    type filter hook input priority 0; policy accept;
    iifname "wan" ct state new drop
  }
}
`
}
