/**
 * npm run bench:alerts — cost of fall monitoring per frame (tracker excluded): Monitoring (fall detector, floor
 * monitor) over synthetic BlazePose frames of one person, and the clip ring buffer. Prints µs per frame.
 */
import { ClipRecorder } from '../src/events/event-log';
import { resolveMonitoringConfig } from '../src/settings/config';
import { Monitoring } from '../src/monitoring/monitoring';
import { renderScript, standingPose, steps as s } from '../eval/synthetic';
import { poseFrameToCanonical } from '../src/window';

const config = resolveMonitoringConfig();
const frames = renderScript(
  standingPose(0, 3.5, 90),
  [s.hold(5000), s.turn(-90), s.walkTo(-1.5, 3.5), ...s.sitDown(800), s.hold(5000), ...s.standUp(), ...s.fallForward(), s.lie(10000), ...s.getUp()],
  { fps: 30, seed: 1 },
);
const tracked = frames.map((frame) => ({ t: frame.t, people: poseFrameToCanonical(frame).people.map((canonical, index) => ({ id: 1, index, canonical })) }));

function measure(name: string, run: () => void, rounds = 20): void {
  run(); // warm-up (JIT)
  const started = performance.now();
  for (let i = 0; i < rounds; i += 1) run();
  const perFrameUs = ((performance.now() - started) * 1000) / (rounds * frames.length);
  console.log(`${name.padEnd(28)} ${perFrameUs.toFixed(2).padStart(8)} µs/frame  (${frames.length} frames × ${rounds})`);
}

measure('Monitoring.frame', () => {
  const monitoring = new Monitoring(config, null, Date.UTC(2026, 0, 1));
  for (const frame of tracked) monitoring.frame(frame, frame.t);
});
measure('ClipRecorder.push (+1 event)', () => {
  const clips = new ClipRecorder(config.eventLog.preMs, config.eventLog.postMs, config.eventLog.preMs + config.fall.confirmMs + config.eventLog.postMs);
  frames.forEach((frame, index) => {
    if (index === 600) clips.start('e', frame.t);
    clips.push(frame);
  });
});
