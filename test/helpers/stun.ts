// The one STUN exchange the tests need (RFC 8489): a binding request, and the address the server
// saw it come from, read off the response's XOR-MAPPED-ADDRESS (or the older MAPPED-ADDRESS).

const MAGIC_COOKIE = 0x2112a442
const BINDING_REQUEST = 0x0001
const BINDING_SUCCESS = 0x0101
const MAPPED_ADDRESS = 0x0001
const XOR_MAPPED_ADDRESS = 0x0020
const IPV4 = 0x01

/** A 20-byte binding request with no attributes, for the 12-byte `transactionId`. */
export function bindingRequest(transactionId: Buffer): Buffer {
  const message = Buffer.alloc(20)
  message.writeUInt16BE(BINDING_REQUEST, 0)
  message.writeUInt16BE(0, 2)
  message.writeUInt32BE(MAGIC_COOKIE, 4)
  transactionId.copy(message, 8, 0, 12)
  return message
}

/** The IPv4 address and port a binding success response for `transactionId` reports, if it is one. */
export function mappedAddress(
  response: Buffer,
  transactionId: Buffer,
): { address: string; port: number } | undefined {
  if (response.length < 20 || response.readUInt16BE(0) !== BINDING_SUCCESS) return undefined
  if (response.readUInt32BE(4) !== MAGIC_COOKIE || !response.subarray(8, 20).equals(transactionId))
    return undefined
  const end = Math.min(response.length, 20 + response.readUInt16BE(2))
  let plain: { address: string; port: number } | undefined
  for (let offset = 20; offset + 4 <= end;) {
    const type = response.readUInt16BE(offset)
    const length = response.readUInt16BE(offset + 2)
    const value = response.subarray(offset + 4, offset + 4 + length)
    if ((type === XOR_MAPPED_ADDRESS || type === MAPPED_ADDRESS) && length >= 8 && value[1] === IPV4) {
      const xor = type === XOR_MAPPED_ADDRESS
      const port = value.readUInt16BE(2) ^ (xor ? MAGIC_COOKIE >>> 16 : 0)
      const raw = value.readUInt32BE(4) ^ (xor ? MAGIC_COOKIE : 0)
      const address = [24, 16, 8, 0].map((shift) => (raw >>> shift) & 0xff).join('.')
      if (xor) return { address, port }
      plain = { address, port }
    }
    // Attributes are padded to a multiple of 4 bytes.
    offset += 4 + Math.ceil(length / 4) * 4
  }
  return plain
}
