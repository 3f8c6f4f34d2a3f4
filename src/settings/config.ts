import defaults from '../../config/monitoring.defaults.json';
import { describeJson } from '../describe-json';
import { isLocalNetworkUrl } from './local-network';

/** Settings of fall monitoring, alerts, event log and kiosk; documented in docs/monitoring.md. */
export type MonitoringConfig = Omit<typeof defaults, '$comment'>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
export type MonitoringOverrides = DeepPartial<MonitoringConfig>;

export class MonitoringConfigError extends Error {
  override name = 'MonitoringConfigError';
}

/**
 * Overlays user settings on the documented defaults. Every key must exist in the defaults with the same type,
 * so a typo ("confirmMS") is reported instead of silently ignored.
 */
export function resolveMonitoringConfig(overrides: unknown = {}): MonitoringConfig {
  const { $comment: _comment, ...base } = defaults;
  const merged = mergeChecked(base, overrides, 'monitoring') as MonitoringConfig;
  checkRanges(merged);
  return merged;
}

function mergeChecked(base: unknown, override: unknown, path: string): unknown {
  if (override === undefined) return base;
  if (isPlainObject(base)) {
    if (!isPlainObject(override)) throw new MonitoringConfigError(`${path} must be an object, got ${describe(override)}`);
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(override)) {
      if (key === '$comment') continue;
      if (!(key in base)) throw new MonitoringConfigError(`${path}.${key} is not a known setting (see docs/monitoring.md)`);
      result[key] = mergeChecked(base[key], value, `${path}.${key}`);
    }
    return result;
  }
  if (typeof base !== typeof override) {
    throw new MonitoringConfigError(`${path} must be a ${typeof base}, got ${describe(override)}`);
  }
  if (typeof override === 'number' && !Number.isFinite(override)) {
    throw new MonitoringConfigError(`${path} must be a finite number, got ${describeJson(override)}`);
  }
  return override;
}

function checkRanges(config: MonitoringConfig): void {
  const nonNegative: Array<[string, number]> = [
    ['fall.confirmMs', config.fall.confirmMs],
    ['fall.recoverMs', config.fall.recoverMs],
    ['fall.cooldownMs', config.fall.cooldownMs],
    ['fall.downGraceMs', config.fall.downGraceMs],
    ['fall.motion.holdMs', config.fall.motion.holdMs],
    ['floor.afterMs', config.floor.afterMs],
    ['absence.afterMs', config.absence.afterMs],
    ['heldAction.afterMs', config.heldAction.afterMs],
    ['eventLog.preMs', config.eventLog.preMs],
    ['eventLog.postMs', config.eventLog.postMs],
  ];
  for (const [name, value] of nonNegative) {
    if (value < 0) throw new MonitoringConfigError(`monitoring.${name} must be ≥ 0, got ${value}`);
  }
  const unit: Array<[string, number]> = [
    ['alerts.sound.volume', config.alerts.sound.volume],
    ['fall.model.weightTrained', config.fall.model.weightTrained],
    ['fall.model.weightUntrained', config.fall.model.weightUntrained],
    ['fall.triggerScore', config.fall.triggerScore],
    ['fall.minStillFraction', config.fall.minStillFraction],
    ['fall.minDownFraction', config.fall.minDownFraction],
    ['fall.reference.smoothing', config.fall.reference.smoothing],
    ['heldAction.minProbability', config.heldAction.minProbability],
  ];
  for (const [name, value] of unit) {
    if (value < 0 || value > 1) throw new MonitoringConfigError(`monitoring.${name} must be between 0 and 1, got ${value}`);
  }
  const { motion, posture } = config.fall;
  if (motion.fullDrop <= motion.minDrop || motion.fullSpeed <= motion.minSpeed) {
    throw new MonitoringConfigError('monitoring.fall.motion needs fullDrop > minDrop and fullSpeed > minSpeed');
  }
  if (!(motion.speedSpanMs > 0 && motion.speedSpanMs < motion.windowMs) || motion.minDrop < 0 || motion.minSpeed < 0) {
    throw new MonitoringConfigError('monitoring.fall.motion needs 0 < speedSpanMs < windowMs and non-negative minDrop, minSpeed');
  }
  if (!(posture.foldedHipAngle >= 0 && posture.foldedHipAngle <= 150)) {
    throw new MonitoringConfigError(`monitoring.fall.posture.foldedHipAngle must be between 0 and 150 degrees, got ${posture.foldedHipAngle}`);
  }
  if (posture.uprightTilt >= posture.lyingTilt || posture.lyingFromTilt >= posture.lyingTilt || posture.downHipHeight >= posture.upHipHeight) {
    throw new MonitoringConfigError(
      'monitoring.fall.posture: hysteresis needs uprightTilt < lyingTilt, lyingFromTilt < lyingTilt and downHipHeight < upHipHeight',
    );
  }
  for (const retry of [config.alerts.carer.retry, config.kiosk.cameraRestart]) {
    if (retry.initialMs <= 0 || retry.maxMs < retry.initialMs || retry.factor < 1) {
      throw new MonitoringConfigError('monitoring back-off needs initialMs > 0, maxMs ≥ initialMs and factor ≥ 1');
    }
  }
  parseClock(config.absence.hours.from, 'absence.hours.from');
  parseClock(config.absence.hours.to, 'absence.hours.to');
  const { retention } = config.eventLog;
  if (!(retention.clipDays > 0 && retention.eventDays >= retention.clipDays && retention.clipMegabytes > 0)) {
    throw new MonitoringConfigError('monitoring.eventLog.retention needs clipDays > 0, eventDays ≥ clipDays (events outlive their clips) and clipMegabytes > 0');
  }
  const carer = config.alerts.carer;
  if (carer.enabled && !isLocalNetworkUrl(carer.url)) {
    throw new MonitoringConfigError(
      `monitoring.alerts.carer.url must be an http(s), mqtt(s) or ws(s) address on the local network, got "${carer.url}"`,
    );
  }
  // Topic levels: a wildcard or an empty level would publish where no subscriber expects it.
  if (/[#+\/]/.test(carer.kioskId)) throw new MonitoringConfigError(`monitoring.alerts.carer.kioskId must not contain "/", "#" or "+", got "${carer.kioskId}"`);
  const prefix = carer.mqtt.topicPrefix;
  if (prefix === '' || /[#+]/.test(prefix) || prefix.split('/').includes('')) {
    throw new MonitoringConfigError(`monitoring.alerts.carer.mqtt.topicPrefix must be topic levels without "#", "+" or empty levels, got "${prefix}"`);
  }
}

/** "HH:MM" → minutes after midnight. */
export function parseClock(text: string, name = 'time'): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new MonitoringConfigError(`monitoring.${name} must be "HH:MM" (24 h), got "${text}"`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `${typeof value} ${describeJson(value)}`;
}
