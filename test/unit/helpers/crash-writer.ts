// Child process for the crash test: writes records forever and prints each id once its put resolved.
import { FileRecordStore } from '../../../electron/event-store';

const store = await FileRecordStore.open(process.argv[2]!);
const payload = 'x'.repeat(50_000);
for (let i = 0; ; i += 1) {
  const id = `event-${String(i).padStart(6, '0')}`;
  await store.put('events', id, { id, wallTime: i, payload });
  process.stdout.write(`${id}\n`);
}
