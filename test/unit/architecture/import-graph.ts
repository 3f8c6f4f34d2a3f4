// The repository's import graph, file to file, read with the TypeScript compiler's own pre-processor: static
// imports and re-exports, dynamic import() and `new URL('...', import.meta.url)` references (workers, assets).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import ts from 'typescript';

/** One import: `from` imports `to`; both are paths relative to the repository root, with '/' separators. */
export interface ImportEdge {
  from: string;
  to: string;
  /** The specifier as written, for the failure message. */
  specifier: string;
}

const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts'];

/** The first argument of every `new URL('...', import.meta.url)` in the code (not in comments). */
function urlReferences(text: string): string[] {
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'URL') {
      const [target, base] = node.arguments ?? [];
      if (target && ts.isStringLiteralLike(target) && base?.getText() === 'import.meta.url') found.push(target.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile('file.ts', text, ts.ScriptTarget.Latest, true));
  return found;
}

/**
 * Relative specifiers of one file's text: static and dynamic imports, re-exports and import.meta.url references
 * (a reference to a folder — '.', '..', 'x/' — locates files at run time and is no import).
 */
export function importSpecifiers(text: string): string[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const urls = urlReferences(text).filter((url) => !/(^|\/)\.{0,2}$/.test(url));
  return [...importedFiles.map((file) => file.fileName), ...urls].filter((specifier) => specifier.startsWith('.'));
}

/** Every .ts file under `folders` of `root` (node_modules and dot folders skipped), relative to `root`. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (SOURCE_EXTENSIONS.some((extension) => name.endsWith(extension)) && !name.endsWith('.d.ts')) found.push(relative(root, path).split(sep).join('/'));
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return found.sort();
}

/** The file a specifier names: NAME, NAME.ts, or NAME/index.ts for a folder; null for a folder without one (a path to files, no import). */
function resolveFile(root: string, path: string): string | null {
  const absolute = join(root, path);
  if (existsSync(absolute) && statSync(absolute).isDirectory()) return existsSync(join(absolute, 'index.ts')) ? `${path}/index.ts` : null;
  if (!existsSync(absolute) && existsSync(`${absolute}.ts`)) return `${path}.ts`;
  return path;
}

/** The import edges of `files` (relative to `root`), each to the file it names. */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  return files.flatMap((from) =>
    importSpecifiers(readFileSync(join(root, from), 'utf8')).flatMap((specifier) => {
      const to = resolveFile(root, posix.normalize(posix.join(posix.dirname(from), specifier)));
      return to ? [{ from, to, specifier }] : [];
    }),
  );
}
