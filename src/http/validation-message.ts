/**
 * Turns Ajv's errors into one sentence per field. Ajv reports a union of constants once per member plus once for
 * the union itself, so `employment_status=bogus` would otherwise say "must be equal to constant" five times without
 * ever naming a value that works.
 */
export interface AjvIssue {
  instancePath?: string;
  keyword?: string;
  message?: string;
  params?: Record<string, unknown>;
}

export function validationMessage(where: string, issues: readonly AjvIssue[]): string {
  const byPath = new Map<string, { allowed: unknown[]; messages: string[] }>();
  for (const issue of issues) {
    const path = fieldPath(issue);
    const entry = byPath.get(path) ?? { allowed: [], messages: [] };
    byPath.set(path, entry);
    if (issue.keyword === 'const') entry.allowed.push(issue.params?.allowedValue);
    else if (issue.keyword === 'enum' && Array.isArray(issue.params?.allowedValues))
      entry.allowed.push(...issue.params.allowedValues);
    else if (issue.keyword !== 'anyOf' && issue.keyword !== 'oneOf')
      entry.messages.push(issue.message ?? 'is invalid');
  }
  const parts: string[] = [];
  for (const [path, { allowed, messages }] of byPath) {
    const subject = `${where}${path}`;
    if (allowed.length > 0) {
      const names = [...new Set(allowed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))))];
      parts.push(`${subject} must be one of: ${names.join(', ')}`);
    } else if (messages.length > 0) {
      parts.push(`${subject} ${[...new Set(messages)].join(', ')}`);
    } else {
      parts.push(`${subject} is invalid`);
    }
  }
  return parts.join('; ');
}

/** `/employment_status`, or the missing property's own path for a `required` error. */
function fieldPath(issue: AjvIssue): string {
  const base = issue.instancePath ?? '';
  if (issue.keyword === 'required' && typeof issue.params?.missingProperty === 'string') {
    return `${base}/${issue.params.missingProperty}`;
  }
  if (issue.keyword === 'additionalProperties' && typeof issue.params?.additionalProperty === 'string') {
    return `${base}/${issue.params.additionalProperty}`;
  }
  return base;
}
