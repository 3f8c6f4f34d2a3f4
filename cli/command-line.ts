/**
 * The CLIs' shared handling of their arguments: node:util parseArgs, a wrong option → its message and the usage on
 * stderr (exit code 2), --help → the usage on stdout (exit code 0).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O & { help: { type: 'boolean' } } }>>;

/** The parsed arguments, or the exit code when the command should stop here. */
export function readCommandLine<O extends Options>(argv: string[], options: O, usage: string, print: { out: (line: string) => void; err: (line: string) => void }): Parsed<O> | number {
  let args: Parsed<O>;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { ...options, help: { type: 'boolean' } } }) as Parsed<O>;
  } catch (error) {
    print.err(`${(error as Error).message}\n${usage}`);
    return 2;
  }
  if ((args.values as { help?: boolean }).help) {
    print.out(usage);
    return 0;
  }
  return args;
}
