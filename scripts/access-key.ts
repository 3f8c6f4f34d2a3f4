// The access key of a server started with --auth: random, made once, kept in the data folder readable by its user
// only. Printed nowhere; the administrator reads the file.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readJsonFile, writeJsonFileAtomically } from '../src/settings/settings-file';

export const ACCESS_KEY_FILE_NAME = 'access-key.json';

export async function readAccessKey(dataFolder: string): Promise<{ key: string; file: string }> {
  const file = join(dataFolder, ACCESS_KEY_FILE_NAME);
  const stored = (await readJsonFile(file)) as { key?: unknown } | undefined;
  if (typeof stored?.key === 'string' && stored.key.length >= 16) return { key: stored.key, file };
  const key = randomBytes(24).toString('base64url');
  await writeJsonFileAtomically(file, { key });
  return { key, file };
}
