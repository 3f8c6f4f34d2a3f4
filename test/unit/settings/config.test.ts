import { describe, expect, it } from 'vitest';
import defaults from '../../../config/monitoring.defaults.json';
import { ALARM_PATTERN, ALARM_PERIOD_S, AlarmSound } from '../../../src/alerts/alarm-sound';
import { parseClock, resolveMonitoringConfig } from '../../../src/settings/config';
import { groupIndexer } from '../../../src/monitoring/label-groups';
import { isLocalNetworkUrl } from '../../../src/settings/local-network';
import labelSet from '../../../training/labels/default.json';

describe('monitoring config', () => {
  it('defaults come from config/monitoring.defaults.json; overrides merge deeply', () => {
    const config = resolveMonitoringConfig({ fall: { confirmMs: 8000 }, alerts: { sound: { volume: 0.2 } } });
    expect(config.fall.confirmMs).toBe(8000);
    expect(config.fall.recoverMs).toBe(defaults.fall.recoverMs);
    expect(config.alerts.sound).toEqual({ enabled: true, volume: 0.2 });
    expect(config.alerts.carer.enabled).toBe(false);
  });

  it('reports unknown keys, wrong types and out-of-range values by name', () => {
    expect(() => resolveMonitoringConfig({ fall: { confirmMS: 1 } })).toThrow('monitoring.fall.confirmMS is not a known setting');
    expect(() => resolveMonitoringConfig({ fall: { confirmMs: '5s' } })).toThrow('monitoring.fall.confirmMs must be a number, got string "5s"');
    expect(() => resolveMonitoringConfig({ alerts: { sound: { volume: 2 } } })).toThrow('alerts.sound.volume must be between 0 and 1');
    expect(() => resolveMonitoringConfig({ fall: { posture: { uprightTilt: 70 } } })).toThrow(/hysteresis/);
    expect(() => resolveMonitoringConfig({ fall: { motion: { minSpeed: 2 } } })).toThrow('fullSpeed > minSpeed');
    expect(() => resolveMonitoringConfig({ fall: { motion: { speedSpanMs: 5000 } } })).toThrow('0 < speedSpanMs < windowMs');
    expect(() => resolveMonitoringConfig({ absence: { hours: { from: '8am' } } })).toThrow('"HH:MM"');
    expect(() => resolveMonitoringConfig([])).toThrow('monitoring must be an object, got an array');
    // JSON.parse turns 1e999 into Infinity, which JSON.stringify would write as null.
    expect(() => resolveMonitoringConfig(JSON.parse('{"fall": {"confirmMs": 1e999}}'))).toThrow('monitoring.fall.confirmMs must be a finite number, got not finite');
    expect(() => resolveMonitoringConfig(JSON.parse('{"kiosk": {"pinHash": -1e999}}'))).toThrow('monitoring.kiosk.pinHash must be a string, got number not finite');
  });

  it('accepts the carer target only on the local network', () => {
    expect(resolveMonitoringConfig({ alerts: { carer: { enabled: true, url: 'http://192.168.0.5:8080/alarm' } } }).alerts.carer.enabled).toBe(true);
    expect(() => resolveMonitoringConfig({ alerts: { carer: { enabled: true, url: 'https://example.com/alarm' } } })).toThrow(/local network/);
    // Disabled: the address is not used, so it is not checked.
    expect(resolveMonitoringConfig({ alerts: { carer: { url: 'https://example.com' } } }).alerts.carer.enabled).toBe(false);
  });

  it('refuses a kiosk id or topic prefix that would publish elsewhere (wildcards, extra or empty levels)', () => {
    expect(resolveMonitoringConfig({ alerts: { carer: { kioskId: 'room-12', mqtt: { topicPrefix: 'care/ward-3' } } } }).alerts.carer.kioskId).toBe('room-12');
    expect(() => resolveMonitoringConfig({ alerts: { carer: { kioskId: 'room/12' } } })).toThrow(/kioskId must not contain "\/", "#" or "\+", got "room\/12"/);
    expect(() => resolveMonitoringConfig({ alerts: { carer: { kioskId: '#' } } })).toThrow(/kioskId/);
    for (const topicPrefix of ['', 'care/#', 'care//ward', 'care/+']) {
      expect(() => resolveMonitoringConfig({ alerts: { carer: { mqtt: { topicPrefix } } } }), topicPrefix).toThrow(/topicPrefix must be topic levels/);
    }
  });

  it('parses clock times', () => {
    expect(parseClock('00:00')).toBe(0);
    expect(parseClock('23:59')).toBe(23 * 60 + 59);
    expect(() => parseClock('24:00')).toThrow();
  });
});

describe('local network addresses', () => {
  it.each([
    ['http://10.1.2.3/x', true], ['http://172.16.0.1/', true], ['http://172.32.0.1/', false], ['https://192.168.1.1:8443/', true],
    ['http://127.0.0.1:3000/', true], ['http://169.254.1.1/', true], ['http://localhost/', true], ['http://carer-hub.local/', true],
    ['http://[fd12::1]/', true], ['http://[fe80::1]/', true], ['http://[::1]/', true], ['http://[2001:db8::1]/', false],
    ['ws://192.168.1.9/mqtt', true], ['mqtt://192.168.1.9', true], ['mqtts://broker.local:8883', true], ['mqtt://8.8.8.8', false], ['ftp://192.168.1.9/', false], ['http://8.8.8.8/', false], ['http://example.com/', false], ['not a url', false],
  ])('%s → %s', (url, local) => expect(isLocalNetworkUrl(url)).toBe(local));
});

describe('label groups', () => {
  it('sums the probabilities of each group of training/labels/default.json, by label name', () => {
    const labels = labelSet.labels;
    const probabilities = labels.map((label) => ({ falling_forward: 0.3, slumping_from_chair: 0.1, lying: 0.2, getting_up: 0.15 })[label] ?? 0.25 / (labels.length - 4));
    const groups = groupIndexer(labels)(probabilities);
    const filler = 0.25 / (labels.length - 4);
    expect(groups.fall).toBeCloseTo(0.3 + 0.1 + 2 * filler); // falling_backward and falling_sideways get the filler
    expect(groups.lying).toBeCloseTo(0.2 + filler);
    expect(groups.gettingUp).toBeCloseTo(0.15 + filler);
  });

  it('labels a model lacks contribute nothing; a wrong length is reported', () => {
    const groups = groupIndexer(['standing', 'falling_sideways'])([0.4, 0.6]);
    expect(groups).toEqual({ fall: 0.6, lying: 0, gettingUp: 0 });
    expect(() => groupIndexer(['a', 'b'])([1])).toThrow('model gave 1 probabilities for 2 labels');
  });
});

describe('alarm sound', () => {
  it('is a repeating two-tone pattern that fits in its period', () => {
    expect(new Set(ALARM_PATTERN.map((beep) => beep.frequency)).size).toBe(2);
    for (const beep of ALARM_PATTERN) expect(beep.at + beep.duration).toBeLessThan(ALARM_PERIOD_S);
  });

  it('refuses a volume outside [0, 1] and stays silent at 0', () => {
    expect(() => new AlarmSound(1.5)).toThrow('between 0 and 1');
    const muted = new AlarmSound(0, () => {
      throw new Error('no audio context must be made when muted');
    });
    muted.start();
    expect(muted.playing).toBe(false);
  });
});
