import { describe, expect, it } from 'vitest';
import { cameraRetryDelay, describeCameraError } from '../../../src/capture/camera-errors';

const domError = (name: string) => Object.assign(new Error(`${name} happened`), { name });

describe('describeCameraError', () => {
  it.each([
    ['NotAllowedError', 'permission-denied', false],
    ['NotFoundError', 'no-camera', true],
    ['NotReadableError', 'camera-busy', true],
    ['OverconstrainedError', 'unsupported-resolution', false],
    ['TrackEnded', 'unplugged', true],
    ['InsecureContext', 'insecure-context', false],
  ])('%s → %s (retryable: %s)', (name, kind, retryable) => {
    const problem = describeCameraError(domError(name));
    expect(problem.kind).toBe(kind);
    expect(problem.retryable).toBe(retryable);
    expect(problem.message.length).toBeGreaterThan(20);
  });

  it('keeps the detail of an unexpected error and still retries', () => {
    const problem = describeCameraError(new TypeError('driver exploded'));
    expect(problem).toMatchObject({ kind: 'unknown', retryable: true });
    expect(problem.message).toContain('driver exploded');
    expect(describeCameraError('plain string').message).toContain('plain string');
  });
});

describe('cameraRetryDelay', () => {
  it('grows exponentially and stops at the cap', () => {
    expect([0, 1, 2, 3].map((n) => cameraRetryDelay(n, 1000, 5000, 2))).toEqual([1000, 2000, 4000, 5000]);
  });
});
