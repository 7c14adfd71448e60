// Messages the lab publishes on both sites' brokers while a fault scenario needs traffic to
// show (a lossy link, the stock receive bug): one small message per site four times a second.
// mqtt.js reconnects on its own when a twin reboots and its broker comes back.
import { connect, type MqttClient } from 'mqtt'

export const DEMO_TRAFFIC_INTERVAL_MS = 250

export interface DemoTraffic {
  close(): Promise<void>
}

export function startDemoTraffic(sites: { name: string; url: string }[]): DemoTraffic {
  const clients: MqttClient[] = sites.map((site) => {
    const client = connect(site.url, { clientId: `pairkit-lab-${site.name}-${process.pid}`, reconnectPeriod: 500, connectTimeout: 2000 })
    // A twin rebooting refuses connections for a moment; mqtt.js tries again.
    client.on('error', () => undefined)
    return client
  })
  let count = 0
  const timer = setInterval(() => {
    count++
    sites.forEach((site, index) => {
      const client = clients[index] as MqttClient
      if (client.connected) client.publish(`pairkit-lab/demo/${site.name}`, `message ${count} from ${site.name}`, { qos: 0 })
    })
  }, DEMO_TRAFFIC_INTERVAL_MS)
  return {
    async close() {
      clearInterval(timer)
      await Promise.all(clients.map((client) => client.endAsync(true).catch(() => undefined)))
    },
  }
}
