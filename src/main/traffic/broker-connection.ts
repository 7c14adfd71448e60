// Connecting to a site's MQTT broker, for the traffic sources and the bridge test, with a
// sentence a technician can act on when it fails ("nothing answers at 192.168.4.1:1883: is
// this computer on the IoT Wi-Fi of site A?"). Addresses are shown with their passwords masked.
import { connect, type IClientOptions, type MqttClient } from 'mqtt'
import { PairKitError } from '../../common/errors'
import { maskUrlPassword } from '../../common/url-userinfo'

/** The ESP's soft-AP address, where its broker listens (reference §2.1). */
export const ESP_SOFT_AP_ADDRESS = '192.168.4.1'
export const DEFAULT_ESP_BROKER_URL = `mqtt://${ESP_SOFT_AP_ADDRESS}:1883`

const SCHEMES = ['mqtt:', 'mqtts:', 'ws:', 'wss:', 'tcp:', 'ssl:']

/** Host and port of a broker URL as people write them (mqtt://host, port 1883 by default). */
export function brokerHostPort(url: string): string {
  try {
    const parsed = new URL(url)
    const port = parsed.port || (parsed.protocol === 'mqtts:' || parsed.protocol === 'ssl:' ? '8883' : parsed.protocol === 'ws:' ? '80' : parsed.protocol === 'wss:' ? '443' : '1883')
    return `${parsed.hostname}:${port}`
  } catch {
    return maskUrlPassword(url)
  }
}

/** Undefined when the URL is one mqtt.js can connect to, else what is wrong with it. */
export function brokerUrlProblem(url: string): string | undefined {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return `"${maskUrlPassword(url)}" is not a broker address; write it as mqtt://HOST:PORT`
  }
  if (!SCHEMES.includes(parsed.protocol)) return `"${maskUrlPassword(url)}" is not an MQTT address; write it as mqtt://HOST:PORT (or mqtts://, ws://, wss://)`
  if (!parsed.hostname) return `"${maskUrlPassword(url)}" names no host; write it as mqtt://HOST:PORT`
  return undefined
}

/**
 * What went wrong connecting to `url`, as an error whose message says what happened and whose
 * hint says what to check. `who` names the broker for the technician ("site A's broker").
 */
export function brokerFailure(url: string, who: string, error: unknown): PairKitError {
  const at = brokerHostPort(url)
  const code = (error as { code?: unknown } | undefined)?.code
  const text = error instanceof Error ? error.message : String(error)
  const onSoftAp = at.startsWith(`${ESP_SOFT_AP_ADDRESS}:`)
  const network = onSoftAp ? `is this computer on the IoT Wi-Fi of ${who.replace(/'s broker$/, '')}?` : 'is the broker running, and is this computer on its network?'
  if (code === 4 || code === 5 || /not authori[sz]ed|bad user ?name or password/i.test(text)) {
    return new PairKitError('UNAVAILABLE', `${who} at ${at} refused the connection (${code === 4 ? 'bad user name or password' : 'not authorised'})`, {
      hint: 'Check the user name and password in the address (mqtt://USER:PASSWORD@HOST:PORT).',
    })
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new PairKitError('UNAVAILABLE', `The name ${at.replace(/:\d+$/, '')} of ${who} does not resolve`, { hint: 'Check the address, or use the broker\'s IP address.' })
  if (code === 'ECONNREFUSED') return new PairKitError('UNAVAILABLE', `Nothing answers at ${at} (${who}): the connection was refused`, { hint: `Check the port; ${network}` })
  if (code === 'TIMEOUT' || code === 'ETIMEDOUT' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN') {
    return new PairKitError('UNAVAILABLE', `Nothing answers at ${at} (${who})`, { hint: `Check the address; ${network}` })
  }
  return new PairKitError('UNAVAILABLE', `Cannot connect to ${who} at ${at}: ${text}`, { hint: `Check the address; ${network}` })
}

export interface ConnectOptions {
  /** For the technician: "site A's broker". */
  who: string
  clientId: string
  timeoutMs?: number
  signal?: AbortSignal
  /** More mqtt.js options (reconnectPeriod stays 0: a failed first connection is reported, not retried). */
  mqtt?: IClientOptions
}

/** Connects once (MQTT 3.1.1, clean session) or fails with brokerFailure's sentence. */
export async function connectBroker(url: string, options: ConnectOptions): Promise<MqttClient> {
  const problem = brokerUrlProblem(url)
  if (problem) throw new PairKitError('BAD_INPUT', problem, { hint: 'Write the address as mqtt://HOST:PORT, e.g. mqtt://192.168.4.1:1883.' })
  const timeoutMs = options.timeoutMs ?? 10_000
  const client = connect(url, { protocolVersion: 4, clean: true, clientId: options.clientId, reconnectPeriod: 0, connectTimeout: timeoutMs, ...options.mqtt })
  // An error event without a listener would throw; the outcome is reported through the promise.
  client.on('error', () => undefined)
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => (done(), reject(error))
      const onConnect = () => (done(), resolve())
      const onClose = () => fail(Object.assign(new Error('the connection closed'), { code: 'ECONNREFUSED' }))
      const onAbort = () => fail(new PairKitError('CANCELLED', `connecting to ${options.who} was cancelled`))
      const timer = setTimeout(() => fail(Object.assign(new Error('no answer'), { code: 'TIMEOUT' })), timeoutMs)
      const done = () => {
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        client.off('connect', onConnect)
        client.off('error', fail)
        client.off('close', onClose)
      }
      options.signal?.addEventListener('abort', onAbort, { once: true })
      client.on('connect', onConnect)
      client.on('error', fail)
      client.on('close', onClose)
    })
  } catch (error) {
    client.end(true)
    if (error instanceof PairKitError) throw error
    throw brokerFailure(url, options.who, error)
  }
  return client
}
