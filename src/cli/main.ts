#!/usr/bin/env node
/** Entry point of the `netns-ts` binary: run one command, map errors to one line and an exit status. */
import { NetnsError, ValidationError } from '../netlink/errors.js';
import { run } from './run.js';
import { UsageError } from './usage-error.js';

async function main(): Promise<void> {
  try {
    process.exitCode = await run(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError || err instanceof ValidationError || err instanceof NetnsError) {
      process.stderr.write(`netns-ts: ${err.message}\n`);
      process.exitCode = err instanceof UsageError ? 2 : 1;
    } else if (err instanceof Error && 'code' in err) {
      process.stderr.write(`netns-ts: ${err.message}\n`);
      process.exitCode = 1;
    } else {
      throw err;
    }
  }
}

await main();
