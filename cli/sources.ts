/**
 * Skeleton sources the CLI can classify, chosen by file extension: skeleton recordings and NTU files
 * (cli/skeleton-files.ts) and video files, whose poses the app's pose stage finds in headless Chromium
 * (cli/video-poses.ts, loaded only when a video is read).
 */
import { access } from 'node:fs/promises';
import { extname } from 'node:path';
import { ntuReader, recordingReader, SourceError, VIDEO_EXTENSIONS, type SkeletonSource, type SourceOptions, type SourceReader } from './skeleton-files';

const videoReader: SourceReader = {
  extensions: VIDEO_EXTENSIONS,
  async open(path, options) {
    // Loaded on demand: it starts the app in headless Chromium to run the pose stage.
    const { videoPoseReader } = await import('./video-poses');
    return videoPoseReader.open(path, options);
  },
};

export const SOURCE_READERS: readonly SourceReader[] = [recordingReader, ntuReader, videoReader];

export async function openSource(path: string, options: SourceOptions): Promise<SkeletonSource> {
  try {
    await access(path);
  } catch {
    throw new SourceError(`cannot read ${path}: no such file`);
  }
  const extension = extname(path).toLowerCase();
  const reader = SOURCE_READERS.find((candidate) => candidate.extensions.includes(extension));
  if (!reader) {
    const known = SOURCE_READERS.flatMap((candidate) => candidate.extensions).join(', ');
    throw new SourceError(`${path}: unknown input type "${extension || '(no extension)'}"; the CLI reads ${known}`);
  }
  return reader.open(path, options);
}
