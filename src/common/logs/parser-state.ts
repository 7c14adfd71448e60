// What LogParser remembers between records of one device's stream: facts a later line needs
// and does not repeat. Reset at every boot.

export class ParserState {
  /** mosquitto's "Opening ipv4 listen socket on port N." (its "running" line has no port). */
  listenPort: number | undefined
  /**
   * Whether the peer link is up in this boot ("Peer is connected!"). Until it is, the example
   * logs local publishes but forwards none (reference §2.6). Undefined until the log shows a
   * boot or a connection (a monitor attached to a running device).
   */
  linked: boolean | undefined
  /** A panic was reported and its "Rebooting..." has not come yet. */
  panicking = false

  newBoot(): void {
    this.listenPort = undefined
    this.linked = false
    this.panicking = false
  }
}
