/** npm run kiosk:pin -- 1234   → prints the kiosk.pinHash value for config (the PIN itself is never stored). */
import { hashPin } from '../src/kiosk/pin';

const [pin, ...rest] = process.argv.slice(2);
if (pin === undefined || rest.length > 0) {
  console.error('usage: npm run kiosk:pin -- PIN   (4 to 12 digits)');
  process.exit(2);
}
hashPin(pin).then(
  (hash) => console.log(hash),
  (error: unknown) => {
    console.error(`kiosk:pin: ${(error as Error).message}`);
    process.exit(2);
  },
);
