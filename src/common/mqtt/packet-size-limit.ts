// Follows the packet boundaries of an MQTT byte stream that arrives in chunks (fixed header byte,
// Remaining Length, body; the same in MQTT 3.1, 3.1.1 and 5, §2.2) to see a packet announced
// larger than a limit as soon as its length has been read: before its body comes, so no one has
// to hold it. Only lengths are read; what the packets say is left to the MQTT parser.
// Pure, no Node APIs.

export class PacketSizeLimit {
  /** Remaining Length digits read of the current packet; -1 while waiting for a fixed header byte. */
  private lengthDigits = -1
  private remainingLength = 0
  private multiplier = 1
  /** Body bytes of the current packet still to pass. */
  private bodyLeft = 0

  constructor(
    /** The largest packet let through, fixed header and Remaining Length included. */
    readonly maxPacketBytes: number,
  ) {}

  /**
   * Reads the next chunk of the stream. Returns the size of the first packet announced larger
   * than the limit (whole packet, header included), or 0 while every packet fits. A Remaining
   * Length longer than the 4 bytes MQTT allows counts as too large. After a packet over the
   * limit the stream cannot be followed any further: the connection is to be closed.
   */
  read(chunk: Uint8Array): number {
    let at = 0
    while (at < chunk.length) {
      if (this.bodyLeft > 0) {
        const passed = Math.min(this.bodyLeft, chunk.length - at)
        this.bodyLeft -= passed
        at += passed
        continue
      }
      if (this.lengthDigits < 0) {
        // The fixed header's first byte (type and flags).
        at++
        this.lengthDigits = 0
        this.remainingLength = 0
        this.multiplier = 1
        continue
      }
      const byte = chunk[at++] as number
      this.remainingLength += (byte & 0x7f) * this.multiplier
      this.lengthDigits++
      if (byte & 0x80) {
        if (this.lengthDigits === 4) return 1 + 5 + this.remainingLength + 128 ** 4
        this.multiplier *= 128
        continue
      }
      const packetBytes = 1 + this.lengthDigits + this.remainingLength
      if (packetBytes > this.maxPacketBytes) return packetBytes
      this.bodyLeft = this.remainingLength
      this.lengthDigits = -1
    }
    return 0
  }
}
