#!/usr/bin/env node
/**
 * The `initkit` command line: thin commands over the public API. Each command lives in ./commands/ and registers
 * itself on the program; errors are InitErrors rendered without a stack trace.
 */
import { Command } from 'commander';
import { VERSION } from '../version.js';
import { runMain } from './util.js';
import { registerDemo } from './commands/demo.js';
import { registerSample } from './commands/sample.js';
import { registerInit } from './commands/init.js';
import { registerExplain } from './commands/explain.js';
import { registerLint } from './commands/lint.js';
import { registerLsuv } from './commands/lsuv.js';
import { registerDiagnose } from './commands/diagnose.js';

export function buildProgram(): Command {
  const program = new Command('initkit')
    .description(
      'Neural-network weight initialization, bit-identical to PyTorch on CPU: initialize, explain, diagnose.',
    )
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortSubcommands: false });
  registerDemo(program);
  registerSample(program);
  registerInit(program);
  registerExplain(program);
  registerLint(program);
  registerDiagnose(program);
  registerLsuv(program);
  return program;
}

await runMain(buildProgram);
