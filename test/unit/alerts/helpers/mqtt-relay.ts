// Child process for the MQTT test (run with --experimental-websocket: Node 20 has no global WebSocket otherwise):
// relays one notification to the URL given and prints the relay's answer.
import { relayToCarer } from '../../../../src/alerts/carer-relay';

const result = await relayToCarer({ url: process.argv[2], notification: { source: 'skeleton-sentinel', id: 'mqtt-1', type: 'fall' } });
console.log(JSON.stringify(result));
