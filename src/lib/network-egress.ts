/** What `contribute` says and does about workload code's network access on this Node.js. */
export interface EgressVerdict {
  /** Why it will not start, in one sentence; undefined when it may. */
  refusal?: string
  /** What it warns once on stderr before it starts; undefined when there is nothing to say. */
  warning?: string
}

/**
 * Decides whether a contributor may start, given whether this Node's sandbox denies the network
 * (`sandboxDeniesNetwork()`, Node.js 25 and later). Where it cannot, a trusted publisher's code
 * could still reach the volunteer's LAN and localhost services, so `contribute` warns; and
 * `--trust-any` opens that to every stranger, so it needs the volunteer's explicit consent,
 * `--allow-network-egress`.
 */
export function egressVerdict(options: {
  deniesNetwork: boolean
  trustAny: boolean
  allowEgress: boolean
  nodeVersion: string
}): EgressVerdict {
  const { deniesNetwork, trustAny, allowEgress, nodeVersion } = options
  if (deniesNetwork) {
    return trustAny
      ? {
          warning:
            "--trust-any runs any publisher's code; it runs in the sandbox, which also denies it the network",
        }
      : {}
  }
  const cannot = `the sandbox cannot deny workload code the network on Node.js ${nodeVersion} (that needs Node.js 25 or later)`
  if (trustAny && !allowEgress) {
    return {
      refusal: `${cannot}, so --trust-any would let any stranger's code reach your network: pass --allow-network-egress to accept that, or use a newer Node.js`,
    }
  }
  return {
    warning: trustAny
      ? `--trust-any runs any publisher's code in the sandbox, and ${cannot}: you accepted that with --allow-network-egress`
      : `${cannot}: the publishers you trust can reach your network`,
  }
}
