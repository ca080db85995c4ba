#!/usr/bin/env node
// Runs the TypeScript entry through tsx so the CLI works from a source checkout without a build step.
import { register } from 'tsx/esm/api';
register();
await import('../src/main.ts');
