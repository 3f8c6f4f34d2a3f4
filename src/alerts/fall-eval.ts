import type { PoseFrame } from '../skeleton';
import { poseFrameToCanonical, WindowAssembler, windowConfigForModel } from '../window';
import type { MonitoringConfig } from './config';
import { Monitoring } from './monitoring';

/** Ground truth of one recording: see docs/monitoring.md ("Evaluating on recordings"). */
export interface FallLabel {
  fall: boolean;
  /** When the fall happens, ms after the recording's first frame; null when unknown. */
  fallAtMs: number | null;
}

export interface RecordingResult {
  name: string;
  label: FallLabel;
  durationMs: number;
  /** Normal-activity time (the whole recording, or the part before the fall). */
  normalMs: number;
  detected: boolean;
  falseAlarms: number;
  /** From the labelled fall to the alert being raised (its confirmation), ms. */
  delayMs: number | null;
}

/** A fall alert whose fall time lies this far before the labelled fall still counts as that fall. */
const EARLY_TOLERANCE_MS = 2000;

/**
 * Replays one recording through the live app's tracker and Monitoring (fall detector only, no model) and scores
 * the fall alerts against the label.
 */
export function evaluateRecording(name: string, frames: readonly PoseFrame[], label: FallLabel, config: MonitoringConfig): RecordingResult {
  if (frames.length === 0) throw new Error(`${name}: the recording has no frames`);
  const quiet: MonitoringConfig = {
    ...config,
    floor: { ...config.floor, enabled: false },
    absence: { ...config.absence, enabled: false },
    heldAction: { ...config.heldAction, enabled: false },
  };
  const start = frames[0]!.t;
  const durationMs = frames.at(-1)!.t - start;
  const monitoring = new Monitoring(quiet, null, Date.UTC(2026, 0, 1, 12));
  const assembler = new WindowAssembler(windowConfigForModel({ window: 64, stride: 8, fps: 30, persons: 1 }));
  const alerts: Array<{ fallAt: number; raisedAt: number }> = [];
  for (const frame of frames) {
    const tracked = assembler.push(poseFrameToCanonical(frame)).tracked;
    for (const event of monitoring.frame(tracked, Date.UTC(2026, 0, 1, 12) + frame.t - start).events) {
      if (event.type === 'fall') alerts.push({ fallAt: event.t - start, raisedAt: frame.t - start });
    }
  }
  const fallAt = label.fall ? label.fallAtMs : null;
  const isTheFall = (alert: { fallAt: number }) => label.fall && (fallAt === null || alert.fallAt >= fallAt - EARLY_TOLERANCE_MS);
  const hits = alerts.filter(isTheFall);
  return {
    name,
    label,
    durationMs,
    normalMs: label.fall ? (fallAt ?? 0) : durationMs,
    detected: hits.length > 0,
    falseAlarms: alerts.length - hits.length,
    delayMs: hits.length > 0 && fallAt !== null ? hits[0]!.raisedAt - fallAt : null,
  };
}

export interface EvaluationSummary {
  falls: number;
  detectedFalls: number;
  adl: number;
  adlWithoutAlarm: number;
  sensitivity: number | null;
  specificity: number | null;
  normalHours: number;
  falseAlarms: number;
  falseAlarmsPerHour: number | null;
  delayMs: { mean: number; median: number; max: number } | null;
  missed: string[];
  falseAlarmRecordings: string[];
}

export function summarise(results: readonly RecordingResult[]): EvaluationSummary {
  const falls = results.filter((result) => result.label.fall);
  const adl = results.filter((result) => !result.label.fall);
  const delays = falls.flatMap((result) => (result.delayMs === null ? [] : [result.delayMs])).sort((a, b) => a - b);
  const normalHours = results.reduce((sum, result) => sum + result.normalMs, 0) / 3_600_000;
  const falseAlarms = results.reduce((sum, result) => sum + result.falseAlarms, 0);
  return {
    falls: falls.length,
    detectedFalls: falls.filter((result) => result.detected).length,
    adl: adl.length,
    adlWithoutAlarm: adl.filter((result) => result.falseAlarms === 0).length,
    sensitivity: falls.length ? falls.filter((result) => result.detected).length / falls.length : null,
    specificity: adl.length ? adl.filter((result) => result.falseAlarms === 0).length / adl.length : null,
    normalHours,
    falseAlarms,
    falseAlarmsPerHour: normalHours > 0 ? falseAlarms / normalHours : null,
    delayMs: delays.length
      ? {
          mean: delays.reduce((a, b) => a + b, 0) / delays.length,
          median: delays[Math.floor(delays.length / 2)]!,
          max: delays.at(-1)!,
        }
      : null,
    missed: falls.filter((result) => !result.detected).map((result) => result.name),
    falseAlarmRecordings: results.filter((result) => result.falseAlarms > 0).map((result) => result.name),
  };
}

export function formatSummary(summary: EvaluationSummary): string {
  const percent = (value: number | null) => (value === null ? 'n/a' : `${(100 * value).toFixed(1)} %`);
  const lines = [
    `falls:        ${summary.detectedFalls}/${summary.falls} detected   sensitivity ${percent(summary.sensitivity)}`,
    `normal (ADL): ${summary.adlWithoutAlarm}/${summary.adl} without alarm   specificity ${percent(summary.specificity)}`,
    `false alarms: ${summary.falseAlarms} in ${summary.normalHours.toFixed(2)} h of normal activity` +
      (summary.falseAlarmsPerHour === null
        ? ''
        : ` = ${summary.falseAlarmsPerHour.toFixed(3)} per hour = ${(24 * summary.falseAlarmsPerHour).toFixed(2)} per 24 h`),
    summary.delayMs
      ? `delay (fall → alert): mean ${(summary.delayMs.mean / 1000).toFixed(2)} s, median ${(summary.delayMs.median / 1000).toFixed(2)} s, max ${(summary.delayMs.max / 1000).toFixed(2)} s`
      : 'delay: n/a (no detected fall with a labelled time)',
  ];
  if (summary.missed.length) lines.push(`missed: ${summary.missed.join(', ')}`);
  if (summary.falseAlarmRecordings.length) lines.push(`false alarms in: ${summary.falseAlarmRecordings.join(', ')}`);
  return lines.join('\n');
}
