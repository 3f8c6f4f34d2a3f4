// A kiosk host's carer link in a process of its own, so a test can kill it without a goodbye (SIGKILL) and watch
// the broker publish its last will. Argument: the carer settings as JSON. Prints "connected" once it is.
//   node --import tsx test/unit/helpers/kiosk-process.ts '{"enabled":true,"url":"mqtt://…",…}'
import { CarerRelay, type CarerSettings } from '../../../src/alerts/carer-relay';

const carer = JSON.parse(process.argv[2] ?? '{}') as CarerSettings;
const relay = new CarerRelay({ log: (message) => console.error(message) });
const poll = setInterval(() => {
  if (relay.state(carer, 0).state === 'connected') {
    console.log('connected');
    clearInterval(poll);
  }
}, 20);
