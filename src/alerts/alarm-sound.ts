/**
 * Alarm tone made with WebAudio (no sound asset to ship): a two-tone beep pattern repeated until stopped.
 * The pattern is plain data so it can be checked without audio hardware.
 */
export interface Beep {
  /** Start offset within one period, s. */
  at: number;
  duration: number;
  frequency: number;
}

export const ALARM_PERIOD_S = 1.2;
/** Two tones a fifth apart, loud enough to notice, not a shriek: well inside the ear's most sensitive band. */
export const ALARM_PATTERN: readonly Beep[] = [
  { at: 0, duration: 0.25, frequency: 880 },
  { at: 0.3, duration: 0.25, frequency: 587 },
];
/** Attack/release ramps avoid clicks at beep edges. */
const RAMP_S = 0.01;

export class AlarmSound {
  private context: AudioContext | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  /** `volume` in [0, 1] (config alerts.sound.volume). */
  constructor(
    private readonly volume: number,
    private readonly createContext: () => AudioContext = () => new AudioContext(),
  ) {
    if (!(volume >= 0 && volume <= 1)) throw new Error(`alarm volume must be between 0 and 1, got ${volume}`);
  }

  get playing(): boolean {
    return this.timer !== null;
  }

  /** Starts the repeating alarm (no-op when already playing or muted). */
  start(): void {
    if (this.timer !== null || this.volume === 0) return;
    this.context ??= this.createContext();
    // Autoplay policy: a context made before any user gesture starts suspended; the kiosk's start tap unlocks it.
    void this.context.resume();
    const schedulePeriod = () => {
      const context = this.context!;
      const start = context.currentTime + 0.05;
      for (const beep of ALARM_PATTERN) {
        const oscillator = context.createOscillator();
        const gain = context.createGain();
        oscillator.type = 'square';
        oscillator.frequency.value = beep.frequency;
        const from = start + beep.at;
        gain.gain.setValueAtTime(0, from);
        gain.gain.linearRampToValueAtTime(this.volume * 0.3, from + RAMP_S);
        gain.gain.setValueAtTime(this.volume * 0.3, from + beep.duration - RAMP_S);
        gain.gain.linearRampToValueAtTime(0, from + beep.duration);
        oscillator.connect(gain).connect(context.destination);
        // A finished beep's nodes stay in the audio graph while connected: an alarm that rings for hours would
        // pile up thousands of them.
        oscillator.addEventListener('ended', () => {
          oscillator.disconnect();
          gain.disconnect();
        });
        oscillator.start(from);
        oscillator.stop(from + beep.duration);
      }
    };
    schedulePeriod();
    this.timer = setInterval(schedulePeriod, ALARM_PERIOD_S * 1000);
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
