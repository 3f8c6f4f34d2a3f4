import { median, quantile } from '../src/stats';
import type { RaisedAlert } from './fall-replay';

/** Ground truth of one recording: see docs/monitoring.md ("Evaluating on recordings"). */
export interface FallLabel {
  fall: boolean;
  /** When the fall happens, ms after the recording's first frame; null when unknown. */
  fallAtMs: number | null;
}

export interface RecordingResult {
  name: string;
  /** Groups for the breakdowns: the first folder under the evaluated folder, and the header's source kind. */
  folder: string;
  source: string;
  label: FallLabel;
  durationMs: number;
  /** Normal-activity time (the whole recording, or the part before the fall). */
  normalMs: number;
  detected: boolean;
  falseAlarms: number;
  /** From the labelled fall to the alert being raised, ms. */
  delayMs: number | null;
  /** From the moment the detector saw the fall (the person going down) to the alert, ms. */
  confirmDelayMs: number | null;
}

/** A fall alert whose fall time lies this far before the labelled fall still counts as that fall. */
export const EARLY_TOLERANCE_MS = 2000;

/** Scores the alerts raised on one recording against its label. */
export function scoreRecording(
  recording: { name: string; folder: string; source: string; durationMs: number },
  label: FallLabel,
  alerts: readonly RaisedAlert[],
): RecordingResult {
  const fallAt = label.fall ? label.fallAtMs : null;
  const isTheFall = (alert: RaisedAlert) => label.fall && (fallAt === null || alert.fallAt >= fallAt - EARLY_TOLERANCE_MS);
  const hits = alerts.filter(isTheFall);
  const first = hits[0];
  return {
    ...recording,
    label,
    normalMs: label.fall ? Math.min(fallAt ?? 0, recording.durationMs) : recording.durationMs,
    detected: hits.length > 0,
    falseAlarms: alerts.length - hits.length,
    delayMs: first && fallAt !== null ? first.raisedAt - fallAt : null,
    confirmDelayMs: first ? first.raisedAt - first.fallAt : null,
  };
}

export interface Delays {
  mean: number;
  median: number;
  p90: number;
  max: number;
}

export interface EvaluationSummary {
  falls: number;
  detectedFalls: number;
  adl: number;
  adlWithoutAlarm: number;
  sensitivity: number | null;
  specificity: number | null;
  /** Detected falls over all alerts (detected falls + false alarms). */
  precision: number | null;
  normalHours: number;
  falseAlarms: number;
  falseAlarmsPerHour: number | null;
  falseAlarmsPer24h: number | null;
  delayMs: Delays | null;
  confirmDelayMs: Delays | null;
  missed: string[];
  falseAlarmRecordings: string[];
}

function delays(values: number[]): Delays | null {
  if (values.length === 0) return null;
  return {
    mean: values.reduce((a, b) => a + b, 0) / values.length,
    median: median(values)!,
    p90: quantile(values, 0.9)!,
    max: Math.max(...values),
  };
}

export function summarise(results: readonly RecordingResult[]): EvaluationSummary {
  const falls = results.filter((result) => result.label.fall);
  const adl = results.filter((result) => !result.label.fall);
  const detectedFalls = falls.filter((result) => result.detected).length;
  const normalHours = results.reduce((sum, result) => sum + result.normalMs, 0) / 3_600_000;
  const falseAlarms = results.reduce((sum, result) => sum + result.falseAlarms, 0);
  const perHour = normalHours > 0 ? falseAlarms / normalHours : null;
  return {
    falls: falls.length,
    detectedFalls,
    adl: adl.length,
    adlWithoutAlarm: adl.filter((result) => result.falseAlarms === 0).length,
    sensitivity: falls.length ? detectedFalls / falls.length : null,
    specificity: adl.length ? adl.filter((result) => result.falseAlarms === 0).length / adl.length : null,
    precision: detectedFalls + falseAlarms > 0 ? detectedFalls / (detectedFalls + falseAlarms) : null,
    normalHours,
    falseAlarms,
    falseAlarmsPerHour: perHour,
    falseAlarmsPer24h: perHour === null ? null : 24 * perHour,
    delayMs: delays(falls.flatMap((result) => (result.delayMs === null ? [] : [result.delayMs]))),
    confirmDelayMs: delays(falls.flatMap((result) => (result.confirmDelayMs === null ? [] : [result.confirmDelayMs]))),
    missed: falls.filter((result) => !result.detected).map((result) => result.name),
    falseAlarmRecordings: results.filter((result) => result.falseAlarms > 0).map((result) => result.name),
  };
}

/** The summary of each group of results (by folder or by source), in name order. */
export function breakdown(results: readonly RecordingResult[], by: 'folder' | 'source'): Array<{ group: string; summary: EvaluationSummary }> {
  const groups = [...new Set(results.map((result) => result[by]))].sort();
  return groups.map((group) => ({ group, summary: summarise(results.filter((result) => result[by] === group)) }));
}

const percent = (value: number | null) => (value === null ? 'n/a' : `${(100 * value).toFixed(1)} %`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function formatSummary(summary: EvaluationSummary): string {
  const lines = [
    `falls:        ${summary.detectedFalls}/${summary.falls} detected   sensitivity ${percent(summary.sensitivity)}`,
    `normal (ADL): ${summary.adlWithoutAlarm}/${summary.adl} without alarm   specificity ${percent(summary.specificity)}`,
    `precision:    ${percent(summary.precision)} of the alerts were falls`,
    `false alarms: ${summary.falseAlarms} in ${summary.normalHours.toFixed(2)} h of normal activity` +
      (summary.falseAlarmsPerHour === null
        ? ''
        : ` = ${summary.falseAlarmsPerHour.toFixed(3)} per hour = ${summary.falseAlarmsPer24h!.toFixed(2)} per 24 h`),
    summary.delayMs
      ? `delay (fall → alert): mean ${seconds(summary.delayMs.mean)}, median ${seconds(summary.delayMs.median)}, p90 ${seconds(summary.delayMs.p90)}, max ${seconds(summary.delayMs.max)}`
      : 'delay: n/a (no detected fall with a labelled time)',
  ];
  if (summary.confirmDelayMs) {
    const d = summary.confirmDelayMs;
    lines.push(`delay (person down → alert): mean ${seconds(d.mean)}, median ${seconds(d.median)}, max ${seconds(d.max)}`);
  }
  if (summary.missed.length) lines.push(`missed: ${summary.missed.join(', ')}`);
  if (summary.falseAlarmRecordings.length) lines.push(`false alarms in: ${summary.falseAlarmRecordings.join(', ')}`);
  return lines.join('\n');
}

/** One line per group: falls detected, ADL without alarm, false alarms. */
export function formatBreakdown(title: string, rows: ReturnType<typeof breakdown>): string {
  const width = Math.max(title.length, ...rows.map((row) => row.group.length));
  const lines = [`${title.padEnd(width)}  falls detected   ADL without alarm   false alarms   precision`];
  for (const { group, summary } of rows) {
    lines.push(
      `${group.padEnd(width)}  ${`${summary.detectedFalls}/${summary.falls}`.padStart(14)}   ${`${summary.adlWithoutAlarm}/${summary.adl}`.padStart(17)}   ${String(summary.falseAlarms).padStart(12)}   ${percent(summary.precision).padStart(9)}`,
    );
  }
  return lines.join('\n');
}
