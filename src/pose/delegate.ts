import type { PoseDelegate } from './protocol';

/** Software WebGL (SwiftShader, llvmpipe, …) makes MediaPipe's GPU delegate 30–50× slower than its CPU one. */
const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render|mesa offscreen/i;

export function isSoftwareRenderer(renderer: string | null): boolean {
  return renderer === null || SOFTWARE_RENDERERS.test(renderer);
}

/** The WebGL2 renderer string (unmasked where the browser allows), or null when there is no WebGL2. */
export function webglRenderer(): string | null {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return renderer;
}

export interface DelegateTiming {
  delegate: PoseDelegate;
  /** Median ms per frame of the start-up check; null when the delegate failed to start. */
  medianMs: number | null;
}

/** GPU only when it actually measured faster than CPU; CPU whenever in doubt. */
export function pickDelegate(timings: readonly DelegateTiming[]): PoseDelegate {
  const cpu = timings.find((t) => t.delegate === 'CPU')?.medianMs ?? null;
  const gpu = timings.find((t) => t.delegate === 'GPU')?.medianMs ?? null;
  return gpu !== null && (cpu === null || gpu < cpu) ? 'GPU' : 'CPU';
}
