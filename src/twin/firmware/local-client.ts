// create_local_client() (reference §2.1 step 4): the esp-mqtt client "local_mqtt" that
// re-publishes what comes from the peer into the firmware's own broker. MQTT 3.1.1, clean
// session, keepalive 120 s; it only publishes (QoS 0, no retain) and never subscribes.
import { connect, type MqttClient } from 'mqtt'
import { SERVERLESS } from '../../common/serverless/constants'
import type { EspLogLevel } from '../../common/serverless/firmware-log'

/** esp-mqtt event ids the example's handler logs (reference §8.2). */
const MQTT_EVENT_BEFORE_CONNECT = 7
const TAG = 'serverless_mqtt'

export interface LocalClient {
  publish(topic: string, payload: Uint8Array): void
  close(): Promise<void>
}

export function startLocalClient(brokerUrl: string, log: (level: EspLogLevel, tag: string, message: string) => void): LocalClient {
  // esp-mqtt fires BEFORE_CONNECT from its task as soon as the client starts.
  log('I', TAG, `local client event id:${MQTT_EVENT_BEFORE_CONNECT}`)
  const client: MqttClient = connect(brokerUrl, {
    protocolVersion: 4,
    clientId: SERVERLESS.LOCAL_CLIENT_ID,
    clean: true,
    keepalive: 120,
    // esp-mqtt reconnects after 10 s by default (MQTT_RECON_DEFAULT_MS).
    reconnectPeriod: 10_000,
  })
  let closed = false
  client.on('connect', () => !closed && log('I', TAG, 'local client connected'))
  client.on('close', () => !closed && log('I', TAG, 'local client disconnected'))
  client.on('error', () => !closed && log('I', TAG, 'local client error'))
  return {
    publish(topic, payload) {
      // mqtt.js queues this until CONNACK. Assumption: esp-mqtt would refuse a publish in that
      // window of a few milliseconds; the twin delivers it rather than invent a drop.
      if (!closed) client.publish(topic, Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength), { qos: 0, retain: false })
    },
    async close() {
      closed = true
      await client.endAsync(true).catch(() => undefined)
    },
  }
}
