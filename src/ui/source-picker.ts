// Source picking: camera (device and resolution), video file or skeleton recording → the frames of one run.
import type { Observable } from 'rxjs';
import type { CameraProblem } from '../capture/camera-errors';
import type { FrameSample } from '../capture/types';
import { videoFileFrames } from '../capture/video-file-source';
import { CAMERA_RESOLUTIONS, listCameras, webcamFrames, type CameraRetryPolicy } from '../capture/webcam-source';
import { fillSelect, type Dom } from './dom';
import { readRecordingFile, replayFrames } from './replay';
import { errorText } from './status-banner';

export interface OpenedSource {
  frames$: Observable<FrameSample>;
  /** For the report and the recording's header: "camera NAME" or the file's name. */
  name: string;
  /** Video frames need the pose stage; a recording's frames are poses already. */
  needsPose: boolean;
}

export interface SourcePickerOptions {
  cameraRestart: CameraRetryPolicy;
  /** Playback rate of video files (?rate). */
  videoPlaybackRate: number;
  /** A camera problem (null: the camera works again). */
  onCameraProblem: (problem: CameraProblem | null) => void;
  showError: (message: string) => void;
}

type SourceDom = Pick<Dom, 'source' | 'camera' | 'resolution' | 'file' | 'video'>;

/** "1280x720" (the resolution picker's value) → width and height. */
export function parseResolution(value: string): { width: number; height: number } {
  const [width, height] = value.split('x').map(Number) as [number, number];
  return { width, height };
}

export const resolutionValue = ({ width, height }: { width: number; height: number }): string => `${width}x${height}`;

export class SourcePicker {
  private lastFile: File | null = null;

  constructor(
    private readonly dom: SourceDom,
    private readonly options: SourcePickerOptions,
  ) {
    fillSelect(dom.resolution, CAMERA_RESOLUTIONS.map((size) => ({ value: resolutionValue(size), text: `${size.width}×${size.height}` })));
  }

  /** Shows the controls of the chosen source (elements marked data-for-source) and nothing else. */
  showControls(): void {
    const source = this.dom.source.value;
    for (const element of document.querySelectorAll<HTMLElement>('[data-for-source]')) {
      element.hidden = element.dataset.forSource !== source;
    }
    this.dom.file.accept = source === 'recording' ? '.jsonl,application/jsonl' : 'video/*';
  }

  async refreshCameras(): Promise<void> {
    try {
      const cameras = await listCameras();
      fillSelect(this.dom.camera, cameras.map((c) => ({ value: c.deviceId, text: c.label })));
    } catch (error) {
      this.options.showError(`cannot list cameras: ${errorText(error)}`);
    }
  }

  /**
   * The frames of the chosen source; null when no file was picked. `sameFile`: a restart after a model or pose
   * switch plays the file of the last run again instead of asking for one.
   */
  async open(sameFile: boolean): Promise<OpenedSource | null> {
    const { dom, options } = this;
    const source = dom.source.value;
    if (source === 'camera') {
      const choice = { deviceId: dom.camera.value || undefined, ...parseResolution(dom.resolution.value) };
      const frames$ = webcamFrames(dom.video, choice, options.cameraRestart, options.onCameraProblem);
      return { frames$, name: `camera ${dom.camera.selectedOptions[0]?.text ?? 'default'}`, needsPose: true };
    }
    const file = sameFile && this.lastFile ? this.lastFile : await this.pickFile();
    if (!file) return null;
    this.lastFile = file;
    if (source === 'video') return { frames$: videoFileFrames(dom.video, file, options.videoPlaybackRate), name: file.name, needsPose: true };
    const recording = await readRecordingFile(file);
    if (recording.issues.length > 0) {
      const first = recording.issues[0]!;
      options.showError(`${file.name}: skipped ${recording.issues.length} damaged line(s), first: line ${first.line}: ${first.message}`);
    }
    return { frames$: replayFrames(recording.frames), name: file.name, needsPose: false };
  }

  private pickFile(): Promise<File | null> {
    const { file } = this.dom;
    file.value = '';
    return new Promise((resolve) => {
      file.addEventListener('change', () => resolve(file.files?.[0] ?? null), { once: true });
      file.addEventListener('cancel', () => resolve(null), { once: true });
      file.click();
    });
  }
}
