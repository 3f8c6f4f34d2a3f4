/**
 * What `npm run poses` will do: the video files of the inputs (folders are searched recursively), each with the
 * path relative to the inputs' common folder (the recording's source name, and its place under --out), and the
 * inputs that cannot be used, each with a one-line reason.
 */
import { open, readdir, stat } from 'node:fs/promises';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { RecordingParser } from '../src/recording/format';
import { VIDEO_EXTENSIONS } from './skeleton-files';

export interface BatchVideo {
  path: string;
  /** Relative to the common input folder, with "/" separators: "Subject 1/Fall/13.mp4". */
  name: string;
  /** Where its recording goes: --out/NAME with the extension replaced by .jsonl. */
  output: string;
}

export interface BatchPlan {
  videos: BatchVideo[];
  /** Inputs that were not used: "PATH: reason". */
  problems: string[];
}

const byNaturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

async function videosUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries.sort((a, b) => byNaturalOrder(a.name, b.name))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await videosUnder(path)));
    else if (entry.isFile() && VIDEO_EXTENSIONS.includes(extname(entry.name).toLowerCase())) found.push(path);
  }
  return found;
}

/** The deepest folder containing every path (folders count as themselves, files as their folder). */
export function commonFolder(folders: readonly string[]): string {
  const split = folders.map((folder) => resolve(folder).split(sep));
  const first = split[0] ?? [];
  let depth = 0;
  while (depth < first.length && split.every((parts) => parts[depth] === first[depth])) depth++;
  return first.slice(0, depth).join(sep) || sep;
}

export async function planBatch(inputs: readonly string[], outDir: string): Promise<BatchPlan> {
  const problems: string[] = [];
  const found: Array<{ path: string; folder: string }> = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => null);
    if (!info) {
      problems.push(`${input}: no such file or folder`);
    } else if (info.isDirectory()) {
      const videos = await videosUnder(input);
      if (videos.length === 0) problems.push(`${input}: no video files (${VIDEO_EXTENSIONS.join(', ')}) in this folder`);
      for (const path of videos) found.push({ path: resolve(path), folder: resolve(input) });
    } else {
      found.push({ path: resolve(input), folder: dirname(resolve(input)) });
    }
  }
  const root = commonFolder(found.map((video) => video.folder));
  const videos: BatchVideo[] = [];
  const byOutput = new Map<string, BatchVideo>();
  for (const { path } of found) {
    if (videos.some((video) => video.path === path)) continue; // given twice (a file and its folder)
    const name = relative(root, path).split(sep).join('/');
    const output = join(resolve(outDir), name.slice(0, name.length - extname(name).length) + '.jsonl');
    const clash = byOutput.get(output);
    if (clash) {
      problems.push(`${path}: its recording would overwrite the one of ${clash.path} (${output}); rename one of them`);
      continue;
    }
    const video = { path, name, output };
    byOutput.set(output, video);
    videos.push(video);
  }
  return { videos, problems };
}

/**
 * True when `path` holds a finished recording. Recordings are written to a temporary file and renamed when
 * complete, so a file under the final name with a valid header is a finished one.
 */
export async function isFinishedRecording(path: string): Promise<boolean> {
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const firstLine = buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] ?? '';
    const parser = new RecordingParser({ source: path });
    parser.pushLine(firstLine);
    return parser.header !== null;
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}
