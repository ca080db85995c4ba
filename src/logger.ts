/** Moved to src/logging/logger.ts (issue #4: redaction plus value scrubbing); kept as a re-export. */
export { REDACT_PATHS, createLogger } from './logging/logger.js';
